"""What a post says around its question: a topic it sets aside, a pause before it, a role's possessive, a
line of work "in" something, the job it moves from; and follow-ups that name a subject or stay on a job type."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import ReplyKind
from bot.posts import after_interjection, question_sentence, set_aside


@pytest.mark.parametrize(("post", "rest"), [
    ("I get that pay is off the table here, so skip that - which skills does an MLE need?",
     "which skills does an MLE need?"),
    ("not asking about salaries. Just wondering what a data scientist does all day",
     "Just wondering what a data scientist does all day"),
    ("We have no data team yet. Setting the hiring question aside, which job type would that be?",
     "We have no data team yet. which job type would that be?"),
    ("anyway, what does Quora use ML for?", "what does Quora use ML for?"),
])
def test_a_clause_that_sets_a_topic_aside_is_left_out(post, rest):
    assert set_aside(post) == rest


@pytest.mark.parametrize("post", [
    "what does a DS do anyway?",
    "the logs are a mess anyway, how should I clean them?",
    "what do ML engineers do, not interested in pay",
    "skip it",
])
def test_what_sets_nothing_aside_is_kept_whole(post):
    assert set_aside(post) is None


_PIECES = st.sampled_from(["skip that", "not looking for pay", "anyway", "leaving hiring aside", ", ", " - ", ". ",
                            "what does a DS do", "?", "forget the money", "x", " "])


def _in_order(part: list[str], whole: list[str]) -> bool:
    """Whether ``part`` is ``whole`` with some items left out."""
    remaining = iter(whole)
    return all(any(word == other for other in remaining) for word in part)


@given(st.lists(_PIECES, max_size=80).map("".join))
def test_setting_aside_only_ever_leaves_out_words(post):
    rest = set_aside(post)
    if rest is not None:
        # What is left is the post's own characters, in order: clauses are only ever left out.
        assert _in_order(list("".join(rest.split())), list("".join(post[:2000].split())))
    asked = question_sentence(post)
    assert asked is None or len(asked) <= len(post)


@pytest.mark.parametrize(("question", "intent"), [
    ("I get that pay is off the table here, so skip that - which skills does an MLE need?", "skills.ml-engineer"),
    ("money is fine where I am, not looking for salary talk. I just want to know what an ML engineer does",
     "role.ml-engineer"),
    ("my friends keep talking about Google, but I'd rather hear about your example: how does Quora use ML?",
     "quora.machine-learning"),
])
def test_the_question_after_an_aside_is_answered(chat, question, intent):
    (reply,) = chat(question)
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, intent)


def test_an_aside_that_asks_about_the_same_topic_is_still_turned_away(chat):
    (reply,) = chat("forget the salary part, how much equity do ML engineers get?")
    assert (reply.intent, reply.outside) == (None, "outside.pay")


@pytest.mark.parametrize("post", [
    # "anyway" inside the question, and "wait" or "before that" as words of the question, set nothing aside.
    "what does a DS do, anyway, at a startup like ours?",
    "before that happens, what does a DS do?",
    "wait times are long, what does an MLE do about latency?",
])
def test_words_that_only_look_like_an_aside_or_a_pause_stay(post):
    assert set_aside(post) is None
    assert after_interjection(post) is None


@pytest.mark.parametrize("pause", ["actually wait, first", "hold on, before that:", "one sec -"])
def test_a_pause_during_the_fit_check_does_not_hide_the_question(chat, pause):
    assert after_interjection(f"{pause} what does a data scientist do?") == "what does a data scientist do?"
    started, asked = chat("quiz me", f"{pause} what does a data scientist do?")
    assert started.intent == "fit.question"
    assert (asked.kind, asked.intent) == (ReplyKind.ANSWER, "role.data-scientist")


@pytest.mark.parametrize(("question", "intent"), [
    ("what is the DS's job at Quora?", "quora.data-scientist"),
    ("what does an mle's day job look like?", "role.ml-engineer"),
])
def test_a_role_s_possessive_names_no_company(advisor, chat, question, intent):
    assert advisor.matcher.analyze(question).other_company is None
    (reply,) = chat(question)
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, intent)


@pytest.mark.parametrize("question", [
    "my sister-in-law is a data scientist, what does her job involve?",
    "eight years in banking, mostly Excel and SQL. What does a data scientist actually do?",
])
def test_in_before_a_line_of_work_or_inside_a_word_names_no_place(advisor, question):
    assert advisor.matcher.analyze(question).other_company is None


@pytest.mark.parametrize(("question", "company"), [
    ("what do Spotify's ML engineers do?", "spotify"),
    ("what does a data scientist do in Zalando?", "zalando"),
])
def test_another_company_is_still_another_company(advisor, chat, question, company):
    assert advisor.matcher.analyze(question).other_company == company
    (reply,) = chat(question)
    assert (reply.intent, reply.outside) == (None, "outside.other-companies")


@pytest.mark.parametrize("question", [
    "Wie wird man ML Engineer?",
    "data scientist aur ML engineer mein kya fark hai?",
])
def test_more_languages_get_the_english_only_reply(chat, question):
    (reply,) = chat(question)
    assert (reply.kind, reply.intent, reply.outside) == (ReplyKind.FALLBACK, None, "language")


@pytest.mark.parametrize("question", [
    "I'm a backend developer, how do I become an ML engineer?",
    # Matched alone, its asking sentence is where a beginner starts.
    "I'm a statistician, how can I become a data scientist?",
])
def test_becoming_a_role_from_a_job_near_it_is_a_switch(chat, question):
    (reply,) = chat(question)
    assert reply.intent == "advice.switch-roles"


@pytest.mark.parametrize("question", [
    "I'm a teacher, how do I become a data scientist?",
    "I'm an aspiring data scientist, how do I become one?",
    "I'm not a developer, how do I become a data scientist?",
])
def test_becoming_a_role_from_another_field_or_from_nothing_is_not_a_switch(chat, question):
    (reply,) = chat(question)
    assert reply.intent in {"advice.getting-started", "path.data-scientist"}


@pytest.mark.parametrize("turns", [
    ("who moves a prototype into production?", "which language do they usually redo it in?"),
    ("how do DS and MLE work together?", "who puts it in production?", "and what language is it rewritten in?"),
])
def test_a_subject_the_follow_up_names_wins_over_the_last_answer(chat, turns):
    *_, last = chat(*turns)
    assert (last.kind, last.intent) == (ReplyKind.ANSWER, "role.tools")


@pytest.mark.parametrize(("opening", "intent"), [
    ("tell me about the analyst kind of data science job", "jobs.analyst"),
    ("what's the job type at data-driven companies that aren't data companies?", "jobs.data-driven"),
])
def test_tools_there_after_one_job_type_are_that_job_s(chat, opening, intent):
    first, tools = chat(opening, "which tools do they use there?")
    assert first.intent == tools.intent == intent


def test_working_together_after_a_job_type_is_still_the_teamwork_answer(chat):
    _, together = chat("what's the please wrangle our data job?", "how do they work together?")
    assert together.intent == "team.workflow"


@pytest.mark.parametrize("question", [
    # Its words are near the move between jobs: only what it asks to become tells it apart.
    "how do I become a data analyst at a bank?",
    "how do I become a data engineer?",
])
def test_becoming_another_role_is_turned_away(chat, question):
    (reply,) = chat(question)
    assert (reply.intent, reply.outside) == (None, "outside.other-roles")


@pytest.mark.parametrize("question", [
    "statistics bores me but I love shipping code. so MLE?",
    "I like fast systems more than stats, am I an ML engineer person?",
])
def test_asking_whether_one_role_fits_at_the_end_is_the_fit_advice(chat, question):
    (reply,) = chat(question)
    assert reply.intent == "advice.which-role"


def test_ask_me_things_starts_the_fit_check(chat):
    (reply,) = chat("ask me a few things and tell me which role suits me")
    assert reply.intent == "fit.question"
