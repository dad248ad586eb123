"""Follow-ups that lean on the conversation: a list walked through, a correction, who does what at the
company talked about, an out-of-scope topic asked again for the other role; and requests in words."""

from __future__ import annotations

import itertools

import pytest

from bot import ReplyKind
from bot.posts import question_sentence

_conversations = itertools.count()





def test_an_ordinal_after_one_item_counts_in_the_list_that_holds_it(intents):
    assert intents("what kinds of data science jobs are there?", "and the third kind?",
                   "the fourth?") == ["jobs.types", "jobs.data-wrangler", "jobs.data-product"]
    assert intents("tell me about job type 2", "ok and the last one?") == ["jobs.data-driven",
                                                                                 "jobs.data-product"]


def test_make_that_corrects_the_role_of_a_learning_path(intents):
    assert intents("give me a roadmap to data scientist", "hmm, make that ML engineer") == [
        "path.data-scientist", "path.ml-engineer"]


def test_the_difference_after_one_role_at_quora_is_the_difference_there(intents):
    assert intents("what do ML engineers do at Quora?", "so how do the two really differ?") == [
        "quora.ml-engineer", "quora.compare"]
    assert intents("what does a data scientist do?", "and what's the main difference?") == [
        "role.data-scientist", "role.compare"]


def test_who_builds_and_who_checks_at_the_company_talked_about(intents):
    assert intents("what does Quora use machine learning for?", "and who builds those systems?") == [
        "quora.machine-learning", "quora.ml-engineer"]
    assert intents("how does Quora use ML?", "ok, who measures whether they worked?") == [
        "quora.machine-learning", "quora.data-scientist"]
    assert intents("how does Quora rank its feed?", "and how does Netflix do it?",
                   "back to Quora then, who maintains those models?") == [
        "quora.machine-learning", None, "quora.ml-engineer"]
    # Who runs the company is not a role's work.
    assert intents("what does Quora use ML for?", "who runs Quora?") == ["quora.machine-learning", None]


def test_an_out_of_scope_topic_is_asked_again_for_the_other_role(advisor, intents):
    conversation = f"follow-ups:{next(_conversations)}"
    first = advisor.ask("what does an ML engineer earn?", conversation_id=conversation)
    then = advisor.ask("and a data scientist?", conversation_id=conversation)
    assert (first.outside, then.kind, then.intent, then.outside) == (
        "outside.pay", ReplyKind.FALLBACK, None, "outside.pay")
    other = advisor.ask("what's a data engineer?", conversation_id=f"follow-ups:{next(_conversations)}")
    assert other.outside == "outside.other-roles"
    # A question of its own after the aside is answered.
    assert intents("how much do MLEs make?", "fine, what does an MLE do then?") == [
        None, "role.ml-engineer"]
    # With a topic before the aside, the follow-up goes back to that topic.
    assert intents("what does an ML engineer do?", "and their salary?", "ok and for data scientists?") == [
        "role.ml-engineer", None, "role.data-scientist"]


def test_a_post_describing_one_job_type_gets_that_type_not_the_overview(intents):
    question = ("We're a travel booking site, not a data company, though we track metrics for everything. "
                "What does a data science job look like at a place like ours?")
    assert intents(question) == ["jobs.data-driven"]
    assert intents("I'm new to this. What kinds of data science jobs exist?") == ["jobs.types"]


def test_topics_after_a_learning_path_stay_on_its_role(intents):
    assert intents("show me a learning path to ML engineer", "ok so which skills are on it?") == [
        "path.ml-engineer", "skills.ml-engineer"]


@pytest.mark.parametrize(("question", "intent"), [
    ("lay out what I should study, stage by stage, to become a data scientist", "path.data-scientist"),
    ("in what sequence should I learn things to become an ML engineer?", "path.ml-engineer"),
    ("is there a quiz I could take that tells me which role suits me?", "fit.question"),
])
def test_paths_and_the_fit_check_asked_for_in_other_words(intents, question, intent):
    assert intents(question) == [intent]


def test_a_promotion_ladder_is_not_a_learning_path(advisor):
    reply = advisor.ask("what's the promotion path from ML engineer to staff ML engineer?",
                        conversation_id=f"follow-ups:{next(_conversations)}")
    assert (reply.kind, reply.intent) == (ReplyKind.FALLBACK, None)


def test_a_company_named_after_another_company_is_answered_there(intents):
    assert intents("what do ML engineers do at Netflix?", "ok, and at Quora?") == [
        None, "quora.ml-engineer"]


def test_what_they_do_today_after_the_future_of_the_role(intents):
    assert intents("will data scientists still exist in ten years?", "ok, what do they do now then") == [
        None, "role.data-scientist"]


def test_in_general_outside_the_company_after_an_aside(intents):
    assert intents("how do the two roles differ at Quora?", "who runs Quora?",
                   "ok and in general, outside Quora?") == ["quora.compare", None, "role.compare"]


def test_working_together_at_the_company_is_the_teamwork_answer(intents):
    assert intents("what do Quora's ML engineers do?", "and their data scientists?",
                   "so how do the two work together there?") == [
        "quora.ml-engineer", "quora.data-scientist", "team.workflow"]
    # "each other" is not "the other one".
    assert intents("what's a data scientist's job?", "how do they collaborate with each other?") == [
        "role.data-scientist", "team.workflow"]


def test_questions_about_one_kind_of_job_stay_on_it(intents):
    assert intents("explain the 'please wrangle our data' kind of job", "would it suit a junior?",
                   "what skills are they after?") == ["jobs.data-wrangler"] * 3
    # Its pay is still turned away.
    assert intents("what's job type 4?", "and what does it pay?") == ["jobs.data-product", None]


def test_a_role_at_another_company_is_turned_away(intents):
    assert intents("what do data scientists do at Spotify", "what does an MLE at Ubisoft work on") == [
        None, None]
    assert intents("what does a data scientist do at work all day") == ["role.data-scientist"]


@pytest.mark.parametrize(("turns", "expected"), [
    (("what does a data scientist do?", "ok and the engineer side?"), ["role.data-scientist", "role.ml-engineer"]),
    (("what's an ML engineer's salary?", "fine, just tell me what they do then"), [None, "role.ml-engineer"]),
    (("who takes a model to production?", "in which language, mostly?"), ["team.workflow", "role.tools"]),
    (("how do DS and MLE divide a project?", "and what happens after the engineer ships it?"),
     ["team.workflow", "team.workflow"]),
    (("learning path to ML engineer", "and if I went the data scientist way instead?"),
     ["path.ml-engineer", "path.data-scientist"]),
    (("what skills does an ML engineer need?", "what's the system design part?"),
     ["skills.ml-engineer", "skills.ml-engineer"]),
    (("what skills does a data scientist need?", "and the statistics part specifically"),
     ["skills.data-scientist", "skills.statistics"]),
])
def test_short_follow_ups_lean_on_the_last_answer(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "intent"), [
    ("I want to be an ML engineer: what do I learn 1st, 2nd, 3rd?", "path.ml-engineer"),
    ("could you give my daughter a plan of learning to become a data scientist", "path.data-scientist"),
    ("how do the two roles work together on a project, step by step?", "team.workflow"),
])
def test_an_order_of_learning_is_a_path_and_an_order_of_work_is_not(intents, question, intent):
    assert intents(question) == [intent]


def test_which_one_is_for_me_after_a_self_description(intents):
    assert intents("I'm into maths and chess, which one is for me?") == ["advice.which-role"]
    assert intents("support engineer here, I enjoy spotting trends in ticket data. which role") == [
        "advice.which-role"]
    # Pay is still turned away.
    assert intents("which one pays more for me") == [None]


def test_who_puts_it_in_production_at_the_company(intents):
    assert intents("what do Quora's data scientists do?", "who puts the models in production then?") == [
        "quora.data-scientist", "quora.ml-engineer"]


def test_another_item_named_by_its_words_after_an_item(intents):
    assert intents("what's the 'we are data' kind of job?", "versus the analyst one?") == [
        "jobs.data-product", "jobs.analyst"]
    assert intents("what does a data scientist need to know?", "the fifth one", "and the stats part?") == [
        "skills.data-scientist", "skills.data-munging", "skills.statistics"]


def test_at_that_is_not_a_place(intents):
    # "look at crash data" names no company; "an ML eng's job" no owner.
    assert intents("we hired a DS to look at crash reports, what do data scientists do?") == [
        "role.data-scientist"]
    assert intents("what does an ML eng's job look like at Quora?") == ["quora.ml-engineer"]


@pytest.mark.parametrize(("question", "intent"), [
    ("buenos dias", "meta.greeting"), ("namaste", "meta.greeting"), ("merci beaucoup", "meta.thanks"),
    ("quiz me on SQL basics before the interview", None), ("quiz me", "fit.question"),
    ("DS or MLE for someone who enjoys explaining charts to people?", "advice.which-role"),
])
def test_greetings_quizzes_and_fits_in_a_few_words(intents, question, intent):
    assert intents(question) == [intent]


def test_the_rest_of_a_list_and_what_else_they_do(intents):
    assert intents("which kind of DS job is mostly dashboards and reports?", "what are the other types?") == [
        "jobs.analyst", "jobs.types"]
    assert intents("do Quora's data scientists ship models?", "who does then?", "what else do they do?") == [
        "quora.data-scientist", "quora.ml-engineer", "quora.ml-engineer"]


def test_a_move_between_roles_keeps_the_role_moved_to(advisor):
    conversation = f"follow-ups:{next(_conversations)}"
    advisor.ask("I'm a data scientist and want to become an ML engineer, how?", conversation_id=conversation)
    assert advisor.memory.get(conversation).role == "ml-engineer"


@pytest.mark.parametrize(("turns", "expected"), [
    (("quiz me", "hold on, first tell me the difference between the two"), ["fit.question", "role.compare"]),
    (("what do Quora's data scientists do?", "and in general, not Quora?"), ["quora.data-scientist",
                                                                             "role.data-scientist"]),
    (("how does Quora rank its feed?", "what does an ML engineer do in general, not at Quora?"),
     ["quora.machine-learning", "role.ml-engineer"]),
    (("how does Quora use machine learning?", "and who owns those systems there?"),
     ["quora.machine-learning", "quora.ml-engineer"]),
    (("the four kinds of DS jobs?", "the second one again?"), ["jobs.types", "jobs.data-driven"]),
    (("what's the first type of DS job?", "list them all again please"), ["jobs.analyst", "jobs.types"]),
    (("what does an MLE do?", "and a data engineer?", "ok back to MLEs, what tools?"),
     ["role.ml-engineer", None, "role.tools"]),
    (("what do Quora's ML engineers do?", "and in general, outside Quora?", "how's that different from a DS?"),
     ["quora.ml-engineer", "role.ml-engineer", "role.compare"]),
    (("how do DS and MLE differ?", "and who's stronger in stats?", "which one is more creative?"),
     ["role.compare", "role.compare", "role.compare"]),
])
def test_follow_ups_after_a_list_a_company_or_a_comparison(intents, turns, expected):
    assert intents(*turns) == expected


def test_which_role_suits_someone_who(intents):
    assert intents("which role would suit someone who loves Haskell?") == ["advice.which-role"]


def test_a_role_asked_about_after_a_technical_question(advisor, intents):
    # The technical question is turned away; "it" is then what the knowledge base says a role needs of it.
    assert intents("how do random forests work?", "fine, but do I need to know it as a data scientist?") == [
        None, "skills.machine-learning"]
    assert intents("what is MapReduce?", "do ML engineers use that?") == [None, "role.tools"]
    # Pay keeps nothing of the kind.
    conversation = f"follow-ups:{next(_conversations)}"
    advisor.ask("how much does an ML engineer earn?", conversation_id=conversation)
    assert advisor.memory.get(conversation).aside is None


@pytest.mark.parametrize("question", ["thanks. what does a data scientist do?",
                                      "ok thanks, and what does a data scientist do?"])
def test_thanks_before_a_question_is_not_the_question(intents, question):
    assert intents(question) == ["role.data-scientist"]


def test_thanks_with_no_question_after_it_is_all_thanks():
    assert question_sentence("thanks, that was really helpful!") is None
    assert question_sentence("thanks! and what does an MLE do?") == "and what does an MLE do?"


def test_which_one_needs_the_askers_own_words(intents):
    assert intents("I like coding more than the maths part. which one?") == ["advice.which-role"]
    assert intents("is this bot based on a slide deck? which one?") == ["meta.about"]


@pytest.mark.parametrize(("turns", "expected"), [
    (("I'm a chemist who loves statistics and charts, which way should I go?", "ok, and the skills for that?",
      "fine. roadmap?"), ["advice.which-role", "skills.data-scientist", "path.data-scientist"]),
    (("second-year CS student, I like algorithms and I'm meh at stats. DS or MLE?", "the roadmap for that one?",
      "fine, and what skills to focus on?"), ["advice.which-role", "path.ml-engineer", "skills.ml-engineer"]),
])
def test_a_self_description_leans_the_follow_ups_of_the_fit_advice(intents, turns, expected):
    assert intents(*turns) == expected


def test_a_self_description_that_leans_both_ways_leans_neither(advisor):
    conversation = f"follow-ups:{next(_conversations)}"
    advisor.ask("I like statistics and coding about equally, which role fits me?", conversation_id=conversation)
    assert advisor.memory.get(conversation).role == "both"


@pytest.mark.parametrize(("turns", "expected"), [
    (("what's an ML engineer?", "diff tldr"), ["role.ml-engineer", "role.compare"]),
    (("who takes models to prod?", "what langs for that"), ["team.workflow", "role.tools"]),
    (("ds vs mle", "what's the MLE salary tho", "ok nvm, who's stronger in stats"), ["role.compare", None,
                                                                                   "role.compare"]),
    (("stats grad who loves analysis, ds or mle?", "cool, path for that?"), ["advice.which-role",
                                                                            "path.data-scientist"]),
    (("fit check", "actually nvm, just tell me the diff"), ["fit.question", "role.compare"]),
    (("what's the analyst-in-SF kind of DS job?", "good for a beginner?"), ["jobs.analyst", "jobs.analyst"]),
])
def test_terse_follow_ups(intents, turns, expected):
    assert intents(*turns) == expected


def test_the_skills_not_the_roadmap(intents):
    assert intents("all the DS skills in one list please, not the roadmap") == ["skills.data-scientist"]


@pytest.mark.parametrize(("turns", "expected"), [
    (("does Quora fight spam with machine learning?", "who keeps those systems healthy?"),
     ["quora.machine-learning", "quora.ml-engineer"]),
    (("I'm a DS and want to move to MLE, what should I learn?", "which languages would I be writing?"),
     ["advice.switch-roles", "role.tools"]),
    (("what languages does an ML engineer use?", "how do I install Spark?", "and the data scientist's languages?"),
     ["role.tools", None, "role.tools"]),
    (("what's an MLE?", "the other one?", "ok which one is more creative"),
     ["role.ml-engineer", "role.data-scientist", "role.compare"]),
    (("I'm a copywriter who loves finding patterns in campaign numbers, where do I start?", "roadmap please"),
     ["advice.getting-started", "path.data-scientist"]),
])
def test_follow_ups_on_the_role_the_conversation_is_about(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("what maths does a DS need?", "why though?"), ["skills.math", "skills.math"]),
    (("what does an ML engineer do?", "what skills should that person have?"), ["role.ml-engineer",
                                                                               "skills.ml-engineer"]),
    (("is a data scientist a kind of artist?", "and the engineer is what then?"), ["role.data-scientist",
                                                                                 "role.ml-engineer"]),
])
def test_why_that_person_and_the_engineer(intents, turns, expected):
    assert intents(*turns) == expected


def test_an_aside_lasts_one_turn_and_needs_a_person(advisor, intents):
    conversation = f"follow-ups:{next(_conversations)}"
    advisor.ask("how does kNN work?", conversation_id=conversation)
    advisor.ask("learning path to ML engineer", conversation_id=conversation)
    assert advisor.memory.get(conversation).aside is None
    assert intents("how does kNN work?", "is it used at Quora?")[1] != "skills.machine-learning"


def test_teamwork_after_a_job_type_and_pay_after_a_role(intents):
    assert intents("what's job type 3?", "how do data scientists and ML engineers work together?") == [
        "jobs.data-wrangler", "team.workflow"]
    assert intents("what does an ML engineer do?", "and who is better paid?") == ["role.ml-engineer", None]


@pytest.mark.parametrize(("question", "leans"), [
    ("I love stats, ML engineer or data scientist for me?", "data-scientist"),
    ("I like coding less than statistics, which role fits me?", None),
])
def test_the_role_named_is_not_a_leaning(advisor, question, leans):
    from bot.requests import leaning
    assert leaning(advisor.matcher.analyze(question)) == leans


def test_what_is_not_a_fit_or_a_path_or_a_move(advisor):
    from bot.requests import asks_for_path, asks_which_fits, switch_target
    analyze = advisor.matcher.analyze
    assert not asks_which_fits(analyze("where does an ML engineer fit"))
    assert asks_which_fits(analyze("infra engineer who loves pipelines, am I an MLE fit"))
    assert not asks_for_path("how do ML engineers plan out the deployment?",
                             analyze("how do ML engineers plan out the deployment?"))
    assert switch_target(analyze("I used to be a data scientist, now I want to move into ML engineering")) == (
        "ml-engineer")
