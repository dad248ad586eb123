"""Follow-ups that keep the conversation's subject, role or company: a role after another role was turned
away, the tools of a data scientist asked for the other role, the handoff to production, "they" after a
company; and requests for a path or for the fit advice, in the words people use."""

from __future__ import annotations

import itertools

import pytest

from bot import Advisor

_conversations = itertools.count()





@pytest.mark.parametrize(("turns", "expected"), [
    (("is a data engineer the same as a DS?", "and an ML engineer?"), [None, "role.ml-engineer"]),
    (("explain what an analytics engineer does", "ok then what about data scientists"),
     [None, "role.data-scientist"]),
    # Pay asked again for the other role stays turned away; "forget money" sets it aside.
    (("what do ML engineers get paid?", "and data scientists?", "fine, forget the money, what does an MLE do?"),
     [None, None, "role.ml-engineer"]),
])
def test_a_role_after_another_role_was_turned_away(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("which tools should a data scientist learn?", "and for MLEs?"), ["skills.tools", "role.tools"]),
    (("the basic tools for a DS?", "what about the other role?"), ["skills.tools", "role.tools"]),
    (("what does a data scientist need to know?", "and their tools?"), ["skills.data-scientist", "skills.tools"]),
    (("which languages do both roles code in?", "and a DS?"), ["role.tools", "role.tools"]),
])
def test_the_tools_of_one_role_asked_for_the_other(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("what does a DS write prototypes in?", "so who turns that into production code?"),
     ["role.tools", "team.workflow"]),
    (("how do the two roles work together?", "and who checks the numbers afterwards?"),
     ["team.workflow", "team.workflow"]),
    (("how do I switch from DS to ML engineer?", "and the other way round?"),
     ["advice.switch-roles", "advice.switch-roles"]),
    (("going from MLE to data scientist, is it doable?", "which one needs more maths?"),
     ["advice.switch-roles", "role.compare"]),
    (("tell me about data munging", "what other skills are there besides that?"),
     ["skills.data-munging", "skills.data-scientist"]),
])
def test_follow_ups_on_the_last_answer(intents, turns, expected):
    assert intents(*turns) == expected


def test_they_after_the_company_itself_is_the_company(intents):
    assert intents("when was quora founded?", "fine. and how do they use machine learning?") == [
        None, "quora.machine-learning"]
    # With a role talked about, "they" are those people, wherever they work.
    assert intents("what does an ML engineer do at Quora?", "do they run the experiments?",
                   "who does then?") == ["quora.ml-engineer", "quora.ml-engineer", "quora.data-scientist"]


@pytest.mark.parametrize(("question", "expected"), [
    ("ML eng path?", "path.ml-engineer"),
    ("a plan for becoming a data scientist, in steps", "path.data-scientist"),
    ("step by step, how to be an ML engineer when I know some C#", "path.ml-engineer"),
    ("the steps towards becoming a DS please", "path.data-scientist"),
    ("how would I sequence my evenings of study toward an MLE job?", "path.ml-engineer"),
    ("is there a step-by-step path for the engineering side?", "path.ml-engineer"),
    # Steps of other work are no learning path.
    ("what are the steps to deploy a model?", "team.workflow"),
])
def test_a_learning_path_in_other_words(intents, question, expected):
    assert intents(question) == [expected]


def test_steps_after_the_role_wanted_and_an_ordered_path_after_a_role(intents):
    assert intents("complete beginner here, where to begin?", "I guess I'd want DS one day. steps?") == [
        "advice.getting-started", "path.data-scientist"]
    assert intents("what skills does an ML engineer need?", "is there an ordered path I could follow?") == [
        "skills.ml-engineer", "path.ml-engineer"]


@pytest.mark.parametrize("question", [
    "I'm a Go developer, I enjoy stats a bit, DS or MLE?",
    "I do embedded C and obsess over latency. sounds like MLE?",
    "i like R and telling stories with charts, am I a DS or MLE type",
    "which suits a quiet statistician better, DS or MLE",
    "just tell me which role is best for a person who likes robots and code",
])
def test_a_self_description_ending_with_the_choice_asks_which_fits(intents, question):
    assert intents(question) == ["advice.which-role"]


@pytest.mark.parametrize(("question", "expected"), [
    ("what tools do I need, DS or MLE?", "role.tools"),
    ("I'm new, where do I start to become a data scientist or ML engineer?", "advice.getting-started"),
])
def test_a_choice_that_is_not_about_the_asker(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("how does a total beginner get started?", "and if I'm aiming for data science specifically?"),
     ["advice.getting-started", "path.data-scientist"]),
    (("where should a newcomer begin?", "and for ML engineers?"), ["advice.getting-started", "path.ml-engineer"]),
    (("what do I learn first to become a data scientist?",), ["path.data-scientist"]),
    (("what's the order for becoming an MLE, coding first or maths first?",), ["path.ml-engineer"]),
])
def test_a_path_after_where_to_start_or_in_an_order(intents, turns, expected):
    assert intents(*turns) == expected


def test_the_skills_to_add_after_a_move_are_the_target_roles(intents):
    assert intents("I'm an MLE wondering about moving to data science",
                   "which skills would I have to add?") == ["advice.switch-roles", "skills.data-scientist"]


@pytest.mark.parametrize("question", [
    "is there a quick test to see if I'm more a DS or an MLE?",
    "let's do the little quiz thing",
    "take the short test for me, DS vs MLE",
])
def test_the_fit_check_asked_for_as_a_test(intents, question):
    assert intents(question) == ["fit.question"]


def test_a_test_of_something_else_is_not_the_fit_check(intents):
    assert intents("how does Quora test a new ranking model?") != ["fit.question"]


@pytest.mark.parametrize(("turns", "expected"), [
    # A yes-or-no question about the people just talked about is answered by their own answer.
    (("what do Quora's data scientists do?", "do they deploy what they build?", "who does, then?"),
     ["quora.data-scientist", "quora.data-scientist", "quora.ml-engineer"]),
    (("what does an ML engineer do at Quora?", "what frameworks do they build there?"),
     ["quora.ml-engineer", "quora.ml-engineer"]),
    # What they need to learn is no company's answer.
    (("what does a DS do at Quora?", "what do they need to learn?"), ["quora.data-scientist", "skills.data-scientist"]),
    (("is Quora profitable?", "ok, how do they use machine learning then?"), [None, "quora.machine-learning"]),
    (("how does a random forest work?", "does Quora use that?"), [None, "quora.machine-learning"]),
])
def test_the_people_or_company_talked_about(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("should we hire an MLE or a DS first?", "fine, what does each of them do then?"), [None, "role.compare"]),
    (("I'm a data scientist and want to become an MLE", "and if I go the other way one day?"),
     ["advice.switch-roles", "advice.switch-roles"]),
    (("what does an MLE do?", "which languages?", "and which skills besides languages?"),
     ["role.ml-engineer", "role.tools", "skills.ml-engineer"]),
    (("what's job type 2?", "and the last type?"), ["jobs.data-driven", "jobs.data-product"]),
    (("what's an ML engineer?", "skills?", "path?"), ["role.ml-engineer", "skills.ml-engineer", "path.ml-engineer"]),
    # Steps after the teamwork answer are its own steps, not a learning path.
    (("how do the two roles work together?", "steps?"), ["team.workflow", "team.workflow"]),
])
def test_more_follow_ups(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("what do DSes do at Quora?", "quora.data-scientist"),
    ("so I'm into charts and telling stories with data. that means DS for me?", "advice.which-role"),
    ("I love stats and writing reports for managers. which of the two roles is that?", "advice.which-role"),
    ("DS path pls", "path.data-scientist"),
    ("ML engineer path: step 1, step 2...?", "path.ml-engineer"),
    ("I'm a network admin, lay out the steps for me to become an ML engineer", "path.ml-engineer"),
    ("what's the progression to data scientist from accounting?", "path.data-scientist"),
    ("what does a data scientist do anyway?", "role.data-scientist"),
    ("DS vs MLE in a nutshell", "role.compare"),
])
def test_single_questions_in_other_words(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize("greeting", ["assalamualaikum", "kumusta po", "habari", "how far"])
def test_greetings_in_other_languages(intents, greeting):
    assert intents(greeting) == ["meta.greeting"]


@pytest.mark.parametrize("thanks", ["salamat po", "terima kasih", "asante sana", "tq bro"])
def test_thanks_in_other_languages(intents, thanks):
    assert intents(thanks) == ["meta.thanks"]


@pytest.mark.parametrize("question", ["apa saja skill untuk jadi data scientist?", "paano ako magsisimula sa data?"])
def test_questions_in_indonesian_or_tagalog_get_the_english_only_reply(advisor, question):
    reply = advisor.ask(question, conversation_id=f"context:{next(_conversations)}")
    assert (reply.intent, reply.outside) == (None, "language")


@pytest.mark.parametrize(("turns", "expected"), [
    (("what do DSes earn compared with MLEs?", "ok, which one is more maths-heavy?"), [None, "role.compare"]),
    (("what's an MLE's salary in Berlin?", "fine. what skills does one need?"), [None, "skills.ml-engineer"]),
    (("what do ML engineers code in?", "why not only R like the data scientists?"), ["role.tools", "role.tools"]),
    (("does a DS need linear algebra?", "and SQL?"), ["skills.math", "skills.tools"]),
    (("what kinds of data science jobs are there?", "and the last kind?"), ["jobs.types", "jobs.data-product"]),
])
def test_follow_ups_after_pay_tools_and_lists(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("type 4?", "jobs.data-product"),
    ("what is the last type of data science job?", "jobs.data-product"),
    ("I'm an ML engineer in payments, thinking of moving to data science. Advice?", "advice.switch-roles"),
])
def test_an_item_by_its_place_and_a_short_ask_after_backstory(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("how do the roles differ?", "oh wait, at Quora I mean"), ["role.compare", "quora.compare"]),
    (("what's job type 1?", "no wait, the third"), ["jobs.analyst", "jobs.data-wrangler"]),
    (("which kinds of DS jobs exist?", "and the first one, what's that like?"), ["jobs.types", "jobs.analyst"]),
    (("how do I start from zero?", "a full roadmap to data scientist then?", "what about the MLE version?"),
     ["advice.getting-started", "path.data-scientist", "path.ml-engineer"]),
    (("is storytelling with charts a DS skill?", "whats the whole list then"),
     ["skills.visualization", "skills.data-scientist"]),
    (("Quora's DS vs MLE?", "is that the same everywhere?"), ["quora.compare", "role.compare"]),
    (("what does a data scientist do?", "what tools do they use?", "and which tools must they know?"),
     ["role.data-scientist", "role.tools", "skills.tools"]),
    (("what does an MLE do?", "what skills does that take?"), ["role.ml-engineer", "skills.ml-engineer"]),
    (("will data scientists still exist in ten years?", "ok, what does the job involve today?"),
     [None, "role.data-scientist"]),
    (("which pays more, DS or MLE?", "fine. which one is more stats-heavy?"), [None, "role.compare"]),
])
def test_corrections_places_versions_and_what_is_required(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("I love graphs and spotting patterns, what role fits me", "advice.which-role"),
    ("my teammate writes Rust and obsesses over latency. is he more MLE than DS?", "advice.which-role"),
    ("data science speedrun route?", "path.data-scientist"),
    ("give me the ML engineer grind order", "path.ml-engineer"),
    ("a phased plan towards ML engineering, what would the phases be?", "path.ml-engineer"),
    ("is there a personality test for the two roles?", "fit.question"),
    ("hiiii", "meta.greeting"),
    ("thanksss", "meta.thanks"),
])
def test_single_questions_in_slang(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("what does a DS earn in Spain?", "and an MLE?"), [None, None]),
    (("what maths does a data scientist need?", "what's a Hessian matrix?", "and do MLEs need that too?"),
     ["skills.math", None, "skills.ml-engineer"]),
    (("what is Spark Streaming exactly?", "which role uses it more?"), [None, "role.tools"]),
    (("how does Docker work?", "who uses that more, DS or MLE?"), [None, "role.compare"]),
    (("how does Quora rank answers?", "how does gradient descent work?", "ok skip that, who at Quora builds those?"),
     ["quora.machine-learning", None, "quora.ml-engineer"]),
    (("which languages do ML engineers use?", "and the data scientist, what does she code in?"),
     ["role.tools", "role.tools"]),
    (("which tools must a DS know?", "and the maths side?"), ["skills.tools", "skills.math"]),
    (("who built you?", "cool. what's a data scientist then?"), ["meta.about", "role.data-scientist"]),
    (("where does your information come from?", "how old is it?"), ["meta.about", "meta.about"]),
])
def test_asides_places_and_a_word_before_the_question(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("the role fit quiz, what's that?", "is the week 3 quiz graded?"), ["fit.question", None]),
    (("how does a data scientist differ from an ML engineer in general, not the Quora example?",),
     ["role.compare"]),
    (("compare the two roles at Quora", "is the split the same in general, outside Quora?"),
     ["quora.compare", "role.compare"]),
    (("what does a DS do?", "and an MLE?", "so what's the difference, in one line?"),
     ["role.data-scientist", "role.ml-engineer", "role.compare"]),
    (("how do DS and MLE work together at Quora?", "who builds the frameworks for training models?"),
     ["team.workflow", "quora.ml-engineer"]),
    (("I write C++ and love tuning performance, which role?", "ok and what does that role do at Quora?"),
     ["advice.which-role", "quora.ml-engineer"]),
    (("is the first DS job type a good start for a beginner?",), ["jobs.analyst"]),
])
def test_quizzes_examples_left_behind_and_that_role(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("which role is right for a person who prefers ideas to infrastructure?", "advice.which-role"),
    ("20 years of Java and distributed systems: which of the two roles would match my profile?",
     "advice.which-role"),
    ("me: loves Go, hates slides. which role pls", "advice.which-role"),
    ("how would a bookkeeper progress, stage by stage, to being a data scientist?", "path.data-scientist"),
    ("what's the order of things to learn to become an ML engineer?", "path.ml-engineer"),
])
def test_more_requests_in_words(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("what's a data engineer?", "Understood. What about an ML engineer, then?"), [None, "role.ml-engineer"]),
    (("what does a DS do?", "ok. and MLEs?"), ["role.data-scientist", "role.ml-engineer"]),
])
def test_a_word_said_on_its_own_before_a_follow_up(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("DS or MLE, which one is closer to research?", "role.compare"),
    ("DS or MLE, which should I pick if I love research?", "advice.which-role"),
    ("what does a cientista de dados do, in English please", "role.data-scientist"),
    ("the four DS job types, tl;dr", "jobs.types"),
    ("good bot", "meta.thanks"),
])
def test_comparisons_code_switching_and_short_replies(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("I write C++ and have very little stats. which role?", "ok and what does that role do at Quora?"),
     ["advice.which-role", "quora.ml-engineer"]),
    (("how many data scientists does Quora employ?", "what do they do there though?"), [None, "quora.data-scientist"]),
    (("who runs Quora these days?", "what about the feed then?"), [None, "quora.machine-learning"]),
])
def test_the_company_and_leaning_carried_through(intents, turns, expected):
    assert intents(*turns) == expected


@pytest.mark.parametrize(("question", "expected"), [
    ("another student loves statistics and charts, which role suits her?", "advice.which-role"),
    ("my nephew is a total Java nerd, more of an MLE type?", "advice.which-role"),
    ("I keep servers alive and love making things fast. Does that sound more DS or MLE to you?", "advice.which-role"),
    ("analytics engineer, lots of SQL. which of the two roles is closer to me?", "advice.which-role"),
    ("as a PLC programmer, would I fit better as a data scientist or an ML engineer?", "advice.which-role"),
    ("run the fit thing", "fit.question"),
    ("help me decide by asking me questions", "fit.question"),
    ("steps to get to data scientist", "path.data-scientist"),
    ("MLE path: maths first or coding first? whats the order", "path.ml-engineer"),
    ("the ML engineer path as numbered steps please", "path.ml-engineer"),
])
def test_fit_advice_fit_check_and_paths_in_more_words(intents, question, expected):
    assert intents(question) == [expected]


@pytest.mark.parametrize(("turns", "expected"), [
    (("what's a data scientist's salary versus an MLE's?", "fine. what's the difference in the work then?"),
     [None, "role.compare"]),
    (("what is data munging?", "what's the next skill on the list after that?"),
     ["skills.data-munging", "skills.thinking"]),
    (("what's the first type of DS job?", "is it good for someone starting out?", "where should a beginner start?"),
     ["jobs.analyst", "jobs.analyst", "advice.getting-started"]),
])
def test_differences_next_items_and_questions_of_their_own(advisor, intents, turns, expected):
    assert intents(*turns) == expected


def outcome(advisor: Advisor, *turns: str) -> tuple[str | None, str | None]:
    """The last turn's intent and out-of-scope topic, in one new conversation."""
    conversation = f"context:{next(_conversations)}"
    replies = [advisor.ask(turn, conversation_id=conversation) for turn in turns]
    return replies[-1].intent, replies[-1].outside


@pytest.mark.parametrize("turns", [
    ("what does an ML engineer do at Quora?", "do they get paid well?"),
    ("what does a data scientist do?", "do they earn a lot?"),
    ("what does a data scientist do?", "are they in demand right now?"),
    ("how do data scientists and ML engineers work together?", "who gets paid more?"),
    ("how do data scientists and ML engineers work together?", "who gets hired more easily?"),
    ("where should a beginner start?", "how much is an MLE going to earn?"),
])
def test_pay_hiring_and_demand_after_an_answer_are_still_turned_away(advisor, turns):
    intent, outside = outcome(advisor, *turns)
    assert intent is None and outside is not None


@pytest.mark.parametrize(("turns", "expected"), [
    (("should a data scientist run a test before deploying a model?",), "role.data-scientist"),
    (("how do you do a test for statistical significance?",), "skills.statistics"),
    (("which one is better for a dataset with missing values?",), "skills.data-munging"),
    (("I like Python; which language is used more, DS or MLE?",), "role.tools"),
    (("what maths does a data scientist need?", "which is more important, stats or linear algebra?"), "skills.math"),
    (("which tools must a DS know?", "which one is more important, SQL or Python?"), "skills.tools"),
    (("what are the four types of data science jobs?", "ok, what does each of them do then?"), "jobs.types"),
    (("what skills does an MLE need?", "what does it involve?"), "skills.ml-engineer"),
    (("where should a beginner start?", "I want to know what an MLE does"), "role.ml-engineer"),
])
def test_what_the_new_rules_leave_alone(intents, turns, expected):
    assert intents(*turns)[-1] == expected


@pytest.mark.parametrize("question", [
    "is there a quick test to check whether my model overfits?",
    "list the steps a data scientist follows to evaluate a model",
    "step by step, what happens to a model before it is being deployed?",
])
def test_tests_and_steps_of_other_things_are_no_fit_check_or_path(advisor, intents, question):
    (intent,) = intents(question)
    assert intent not in ("fit.question", "path.data-scientist", "path.ml-engineer")
    assert advisor.ask(question, conversation_id=f"context:{next(_conversations)}").title != "Which learning path?"

