"""Understanding what people mean: indirect questions, self-descriptions, follow-ups that lean on the
conversation, near misses that the sources do not cover, and other languages."""

from __future__ import annotations

import pytest

from bot import Advisor, ReplyKind


@pytest.mark.parametrize(("question", "intent"), [
    ("how do I become a data scientist?", "path.data-scientist"),
    ("what are the steps from zero to ML engineer?", "path.ml-engineer"),
    ("what are a data scientist's daily tasks?", "role.data-scientist"),
    ("I'm a backend developer, what does a data scientist do?", "role.data-scientist"),
    ("difference between DS and MLE at Quora", "quora.compare"),
    ("the DS makes a prototype... then what?", "team.workflow"),
    ("which one is stronger in statistics?", "role.compare"),
    ("I've done marketing reports in Excel for three years. I'd love to move into data science. "
     "Where do I begin?", "advice.getting-started"),
])
def test_what_people_mean_is_answered(advisor, question, intent):
    """(A question like "who takes the model to production?" is the ML engineer's role, by slide 2.)"""
    reply = advisor.ask(question, conversation_id=f"means:{question}")
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, intent)


@pytest.mark.parametrize(("question", "outside"), [
    ("what's MapReduce?", "outside.technical"),
    ("explain supervised versus unsupervised", "outside.technical"),
    ("how would I become a data engineer", "outside.other-roles"),
    ("is a PhD required?", "outside.education"),
    ("how much does an ML engineer make in Berlin?", "outside.pay"),
])
def test_near_misses_get_an_honest_reply_about_their_topic(advisor, question, outside):
    reply = advisor.ask(question, conversation_id=f"near:{question}")
    assert (reply.kind, reply.intent, reply.outside) == (ReplyKind.FALLBACK, None, outside)
    assert "cover" in reply.text and reply.suggestions


def test_who_started_it_after_quora_is_about_quora_the_company(chat):
    first, then = chat("what does a data scientist do at Quora?", "who started it?")
    assert first.intent == "quora.data-scientist"
    assert (then.intent, then.outside) == (None, "outside.quora-company")


@pytest.mark.parametrize(("first", "follow_up", "expected"), [
    ("what skills does a data scientist need?", "and the other one?", "skills.ml-engineer"),
    ("what does an ML engineer do at Quora?", "what about the other role?", "quora.data-scientist"),
    ("which languages and tools does each role use?", "and DS?", "role.tools"),
    ("what does a data scientist do at Quora?", "what do they do there day to day?", "quora.data-scientist"),
    ("what does a data scientist do?", "how does Quora use ML?", "quora.machine-learning"),
    ("what does a data scientist do?", "sorry, I meant ML engineers", "role.ml-engineer"),
])
def test_follow_ups_resolve_against_the_conversation(chat, first, follow_up, expected):
    replies = chat(first, follow_up)
    assert replies[1].intent == expected


def test_the_topic_survives_an_out_of_scope_turn(chat):
    skills, pay, again = chat("what skills does an ML engineer need?", "how much do they earn?",
                              "ok and for data scientists?")
    assert skills.intent == "skills.ml-engineer"
    assert (pay.intent, pay.outside) == (None, "outside.pay")
    assert again.intent == "skills.data-scientist"


@pytest.mark.parametrize("question", [
    "¿Qué hace un científico de datos?",
    "Quelle est la différence entre un data scientist et un ingénieur ML ?",
    "Was macht ein Machine-Learning-Ingenieur bei Quora?",
    "データサイエンティストとは何ですか",
])
def test_another_language_gets_an_english_reply_saying_so(advisor, question):
    reply = advisor.ask(question, conversation_id=f"language:{question}")
    assert (reply.kind, reply.intent, reply.outside) == (ReplyKind.FALLBACK, None, "language")
    assert "English" in reply.text and reply.suggestions


def test_a_learning_path_asked_for_in_words(advisor):
    reply = advisor.ask("can you give me a roadmap to become an ML engineer?", conversation_id="roadmap")
    assert reply.intent == "path.ml-engineer"


def test_a_clarification_never_lists_one_choice(advisor):
    for question in ("quora", "skills", "ml", "data", "the roles", "what about it", "engineers", "python"):
        reply = advisor.ask(question, conversation_id=f"one:{question}")
        if reply.kind is ReplyKind.CLARIFY and len(reply.candidates) == 1:
            assert "Did you mean" in reply.text
            assert len(reply.suggestions) == 1
        elif reply.kind is ReplyKind.CLARIFY:
            assert len(reply.candidates) >= 2


def test_a_reply_carries_the_alternatives_it_weighed(advisor):
    reply = advisor.ask("what does an ML engineer do at Quora?", conversation_id="alternatives")
    assert reply.intent == "quora.ml-engineer"
    assert reply.alternatives and all(intent != reply.intent and 0 <= p <= 1 for intent, p in reply.alternatives)


def test_the_decision_is_learned_from_the_knowledge_with_its_cross_validated_accuracy(advisor):
    decider = advisor.matcher.decider
    assert 0.75 < decider.cross_validated <= 1.0
    assert len(decider.coefficients) == len(decider.means) == len(decider.scales)


def test_without_the_semantic_signal_the_lexical_matcher_still_answers():
    from bot import MatchSettings

    lean = Advisor.load(settings=MatchSettings(semantic=False))
    assert lean.matcher.semantic is None
    reply = lean.ask("what does an ML engineer do at Quora?", conversation_id="lean")
    assert reply.intent == "quora.ml-engineer"
    assert lean.ask("how much do data scientists earn?", conversation_id="lean:pay").intent is None


def test_a_role_asked_about_at_another_company_is_kept_for_the_next_turn(chat):
    elsewhere, here = chat("what does a data scientist do at Spotify?", "ok, and at Quora?")
    assert (elsewhere.intent, elsewhere.outside) == (None, "outside.other-companies")
    assert (here.kind, here.intent) == (ReplyKind.ANSWER, "quora.data-scientist")


def test_in_general_drops_the_company_and_keeps_the_role(chat):
    _, general = chat("what does an ML engineer do at Netflix?", "fine, in general then?")
    assert (general.kind, general.intent) == (ReplyKind.ANSWER, "role.ml-engineer")


def test_the_next_one_follows_the_overview_that_lists_the_last_answer(chat):
    replies = chat("tell me about the data analyst who lives in San Francisco",
                   "and the next type?", "next one")
    assert [r.intent for r in replies] == ["jobs.analyst", "jobs.data-driven", "jobs.data-wrangler"]


def test_a_that_question_naming_the_other_role_compares_them(chat):
    _, compared = chat("what does a data scientist do at Quora?",
                       "how is that different from the ML engineer there?")
    assert compared.intent == "quora.compare"


@pytest.mark.parametrize(("question", "intent"), [
    ("I'm a backend developer, how do I become an ML engineer?", "advice.switch-roles"),
    ("how would I become a data engineer", None),
])
def test_becoming_is_a_path_only_from_nothing_and_only_to_one_of_the_two_roles(advisor, question, intent):
    assert advisor.ask(question, conversation_id=f"become:{question}").intent == intent


def test_a_misspelt_word_used_once_in_the_knowledge_still_gives_way_to_the_right_one(advisor):
    # "scientst" appears in one phrasing; it is not an English word, so it reads as "scientist".
    typo = advisor.matcher.analyze("wat does a data scientst do")
    assert typo.roles == frozenset({"data-scientist"}) and "data scientist" in typo.normalized
    # "decade" is an English word, never taken for "decide".
    assert advisor.matcher.analyze("what will the next decade bring").normalized == "what will the next decade bring"


@pytest.mark.parametrize(("first", "then", "intent"), [
    ("how do data scientists and ML engineers work together?", "is that how it works at Quora too?",
     "quora.compare"),
    ("what does a data scientist do?", "is it the same at Quora?", "quora.data-scientist"),
])
def test_the_last_answer_asked_again_at_a_company(chat, first, then, intent):
    assert chat(first, then)[1].intent == intent


@pytest.mark.parametrize(("question", "intent"), [
    ("what's the second kind of data science job?", "jobs.data-driven"),
    ("explain job type 3", "jobs.data-wrangler"),
    ("what is the first type of DS job", "jobs.analyst"),
])
def test_an_item_of_an_overview_named_by_its_position(advisor, question, intent):
    reply = advisor.ask(question, conversation_id=f"nth:{question}")
    assert reply.intent == intent and intent not in dict(reply.alternatives)


def test_the_next_one_after_the_overview_is_its_first_item(chat):
    assert chat("what types of DS jobs are there?", "and the next one?")[1].intent == "jobs.analyst"


@pytest.mark.parametrize(("question", "intent"), [
    ("hi bot, what can you do for me?", "meta.help"),
    ("hey there, what does an ML engineer do?", "role.ml-engineer"),
    ("hello!", "meta.greeting"),
])
def test_a_greeting_before_a_question_is_not_the_question(advisor, question, intent):
    assert advisor.ask(question, conversation_id=f"hi:{question}").intent == intent


def test_ask_me_some_questions_starts_the_fit_check(advisor):
    reply = advisor.ask("ask me some questions to work out which role suits me", conversation_id="askme")
    assert reply.intent == "fit.question"


@pytest.mark.parametrize(("turns", "intent"), [
    (("what does a data scientist do?", "what skills does that need?"), "skills.data-scientist"),
    (("what languages do data scientists prototype in?", "is that true for the other role too?"), "role.tools"),
    (("what are the types of DS jobs?", "which of those pays best?", "ok, tell me more about the first one"),
     "jobs.analyst"),
    (("what's the data analyst in San Francisco job?", "what would I actually do there day to day?"),
     "jobs.analyst"),
    (("what does a data scientist do?", "and the engineers?"), "role.ml-engineer"),
    (("what's Quora's revenue?", "ok, what do their ML engineers do?"), "quora.ml-engineer"),
    (("who keeps the ML systems fast at Quora?", "and who checks whether the models moved the metrics?"),
     "quora.data-scientist"),
    (("how much do ML engineers make compared with data scientists?", "ok, what's the difference between them?"),
     "role.compare"),
    (("what does an ML engineer do at Quora?", "and in general, what languages do ML engineers code in?"),
     "role.tools"),
])
def test_follow_ups_lean_on_the_conversation(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


def test_that_one_is_the_last_answer_however_sure_the_matcher_is_of_another(chat):
    _, then = chat("what's the 'data analyst in San Francisco' job?",
                   "what kind of tasks would I be doing in that one?")
    assert then.intent == "jobs.analyst"


@pytest.mark.parametrize(("question", "intent"), [
    ("/whoswho help", "meta.help"),
    ("/whoswho what does an ML engineer do", "role.ml-engineer"),
])
def test_a_slash_command_typed_as_a_message_is_read_without_its_name(advisor, question, intent):
    assert advisor.ask(question, conversation_id=f"slash:{question}").intent == intent


def test_an_unrelated_request_after_help_is_not_taken_for_help(chat):
    _, joke = chat("what can you do?", "can it tell me a joke?")
    assert (joke.kind, joke.intent) == (ReplyKind.FALLBACK, None)


def test_a_company_owning_a_job_by_possessive_is_another_company(advisor):
    assert advisor.matcher.analyze("what do Netflix's data scientists do all day?").other_company == "netflix"
    reply = advisor.ask("is Google's ML engineer role the same as Quora's?", conversation_id="owner")
    assert (reply.intent, reply.outside) == (None, "outside.other-companies")


def test_a_possessive_that_is_not_a_company_changes_nothing(advisor):
    assert advisor.ask("what do my company's data scientists do?", conversation_id="mine").intent == \
        "role.data-scientist"


@pytest.mark.parametrize(("turns", "intent"), [
    (("what's the analyst in San Francisco job type?", "and the one after that?"), "jobs.data-driven"),
    (("how does Quora use ML?", "who founded Quora?", "and who builds those systems there?"), "quora.ml-engineer"),
    (("what does a data scientist do at Quora?", "and in general, outside Quora?"), "role.data-scientist"),
    (("I think I lean toward ML engineering. What's the path?",), "path.ml-engineer"),
    (("just tell me the difference between the 2 roles",), "role.compare"),
])
def test_more_follow_ups_and_requests(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


@pytest.mark.parametrize(("turns", "intent"), [
    (("what skills does a data scientist need?", "how does that compare with what an ML engineer needs?"),
     "skills.ml-engineer"),
    (("what should I learn, in order, to become a data scientist?",), "path.data-scientist"),
    (("what are the stages of learning to be an ML engineer?",), "path.ml-engineer"),
    (("could you explain what data scientists do?",), "role.data-scientist"),
])
def test_comparisons_orders_and_politeness(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


def test_a_contraction_before_a_role_is_not_another_company(advisor):
    reply = advisor.ask("what's an ML engineer's main job at Quora?", conversation_id="contraction")
    assert reply.intent == "quora.ml-engineer"


@pytest.mark.parametrize(("turns", "intent"), [
    (("what does a data scientist do at Quora?", "how's that different from the engineers there?"), "quora.compare"),
    (("which role fits me, DS or MLE?", "ok, give me a step by step plan for the engineer route"), "path.ml-engineer"),
    (("I'm leaning data science, give me a path",), "path.data-scientist"),
])
def test_the_engineers_are_the_ml_engineers_once_the_roles_are_talked_about(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


@pytest.mark.parametrize(("turns", "intent"), [
    (("what does an ML engineer do day to day?", "what skills does that need?"), "skills.ml-engineer"),
    (("I lean DS more than MLE. Give me a path",), "path.data-scientist"),
    (("what's an ML engineer?", "how would I go from zero to that?"), "path.ml-engineer"),
    (("how much statistics does a data scientist need?", "and a data scientist at Quora?"),
     "quora.data-scientist"),
])
def test_the_role_talked_about_carries_into_requests(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


@pytest.mark.parametrize(("turns", "intent"), [
    (("what tools does an ML engineer use?", "and what about the skills?"), "skills.ml-engineer"),
    (("what does an ML engineer do at Quora?", "and their tools?"), "role.tools"),
    (("what does a data scientist do at Quora?", "and the skills?"), "skills.data-scientist"),
])
def test_a_turn_naming_only_a_topic_keeps_the_role_talked_about(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


def test_the_tools_of_both_roles_keep_the_role_the_conversation_was_about(chat):
    *_, skills = chat("what does an ML engineer do?", "which tools do they use?", "and the skills?")
    assert skills.intent == "skills.ml-engineer"


@pytest.mark.parametrize(("question", "intent"), [
    ("I work at a bank in Leeds, what does a data scientist do at Quora?", "quora.data-scientist"),
    ("we're a small team at Acme, how do data scientists and ML engineers work together?", "team.workflow"),
])
def test_the_askers_own_workplace_is_not_a_company_asked_about(advisor, question, intent):
    assert advisor.ask(question, conversation_id=f"workplace:{question}").intent == intent


def test_a_company_asked_about_is_still_one_when_the_asker_works_there(advisor):
    reply = advisor.ask("I work at Spotify, what do ML engineers do at Spotify?", conversation_id="own-company")
    assert reply.intent is None


@pytest.mark.parametrize(("turns", "intent"), [
    (("how do data scientists and ML engineers hand work over?", "why?"), "team.workflow"),
    (("how do data scientists and ML engineers hand work over?", "and what happens in step 3?"), "team.workflow"),
    (("do data scientists need to be good at visualizing data?", "how come?"), "skills.visualization"),
    (("a step-by-step plan to data scientist please", "why in that order?"), "path.data-scientist"),
    (("a step-by-step plan to data scientist please", "can you elaborate"), "path.data-scientist"),
])
def test_asking_why_or_for_more_stays_on_the_last_answer(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


def test_who_does_then_is_the_other_role(chat):
    *_, other = chat("what does an ML engineer do at Quora?", "do they run the experiments?",
                     "who does then?")
    assert other.intent == "quora.data-scientist"


def test_what_they_do_after_an_out_of_scope_turn_is_the_role_talked_about(chat):
    *_, role = chat("what do ML engineers earn in Paris?", "fine, so what do they actually do?")
    assert role.intent == "role.ml-engineer"


@pytest.mark.parametrize(("second", "intent"), [
    ("tell me more about the stats part", "skills.statistics"),
    ("is munging on the list?", "skills.data-munging"),
    ("the second one seems interesting", "skills.statistics"),
])
def test_an_item_of_an_overview_named_by_its_own_words(chat, second, intent):
    assert chat("which skills should a data scientist have?", second)[-1].intent == intent


def test_at_a_company_specifically_after_both_roles_is_that_company(chat):
    *_, there = chat("how do DS and MLE collaborate?", "and at Quora specifically?")
    assert there.intent == "quora.compare"


@pytest.mark.parametrize("question", [
    "how do I become a data science manager?",
    "give me a roadmap to ML engineering lead",
])
def test_becoming_another_job_is_not_a_learning_path(advisor, question):
    reply = advisor.ask(question, conversation_id=f"other-job:{question}")
    assert reply.intent is None or not reply.intent.startswith("path.")


@pytest.mark.parametrize(("turns", "intent"), [
    (("how much maths does a data scientist need?", "what about the rest?"), "skills.data-scientist"),
    (("tell me about job type 3", "and the other types?"), "jobs.types"),
    (("what do data scientists do at Quora?", "and in general, not only Quora?"), "role.data-scientist"),
    (("what's a data scientist?", "which skills for that?"), "skills.data-scientist"),
])
def test_the_rest_of_a_list_in_general_and_the_skills_for_that(chat, turns, intent):
    assert chat(*turns)[-1].intent == intent


@pytest.mark.parametrize(("question", "intent"), [
    ("how would I grow into a data scientist?", "path.data-scientist"),
    ("could you test which role suits me?", "fit.question"),
])
def test_more_ways_to_ask_for_a_path_or_the_fit_check(advisor, question, intent):
    assert advisor.ask(question, conversation_id=f"requests:{question}").intent == intent


def test_a_question_after_an_aside_and_its_preamble(chat):
    *_, back = chat("what does an ML engineer do?", "who won the match yesterday?",
                    "anyway, back to it: and the data scientist?")
    assert back.intent == "role.data-scientist"


def test_a_role_asked_about_that_keeps_the_company_talked_about(chat):
    *_, there = chat("how does Quora use machine learning?", "is this the ML engineers' work?")
    assert there.intent == "quora.ml-engineer"
