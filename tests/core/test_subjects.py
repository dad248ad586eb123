"""Follow-ups that name a subject in a few words: an item of a list by its short name ("and ML?"), a job type
by its place ("the fourth type", "the next one after that one"), the comparison on another subject ("and in
statistics?"), both roles as "the two", and a company left behind ("not just at Quora")."""

from __future__ import annotations

import pytest

from bot import ReplyKind


@pytest.mark.parametrize(("turns", "expected"), [
    (("how much maths does a data scientist need?", "and stats?", "and ML?"),
     ["skills.math", "skills.statistics", "skills.machine-learning"]),
    (("which skills must a DS have?", "what does the ML part involve?"),
     ["skills.data-scientist", "skills.machine-learning"]),
    (("which skills must a DS have?", "and viz?"), ["skills.data-scientist", "skills.visualization"]),
    # After the machine learning a data scientist needs, the ML engineer's side of it is that role's skills.
    (("which skills must a DS have?", "the ML part?", "and for an ML engineer?"),
     ["skills.data-scientist", "skills.machine-learning", "skills.ml-engineer"]),
])
def test_an_item_named_by_its_short_name(intents, turns, expected):
    assert intents(*turns) == expected


def test_ml_on_its_own_after_a_role_answer_is_still_the_role(intents):
    assert intents("what does a data scientist do?", "and ML engineers?")[-1] == "role.ml-engineer"


@pytest.mark.parametrize(("turns", "expected"), [
    (("what is the please wrangle our data job?", "and the fourth type?"), "jobs.data-product"),
    (("what kinds of data science jobs are there?", "ok, the second kind"), "jobs.data-driven"),
    (("explain the analyst kind of data science job", "and the type after that one?"), "jobs.data-driven"),
])
def test_a_job_type_by_its_place_in_the_list(intents, turns, expected):
    assert intents(*turns)[-1] == expected


@pytest.mark.parametrize(("turns", "expected"), [
    (("DS vs MLE, who is stronger in computer science?", "and in statistics?"), "role.compare"),
    (("how does a DS differ from an MLE?", "and at Quora?"), "quora.compare"),
])
def test_the_comparison_on_another_subject_or_at_a_company(intents, turns, expected):
    assert intents(*turns)[-1] == expected


def test_and_in_a_subject_after_one_role_is_not_the_comparison(intents):
    assert intents("what does a data scientist do?", "and in statistics?")[-1] == "skills.statistics"


@pytest.mark.parametrize(("follow_up", "outside"), [
    ("and in pay?", "outside.pay"),
    ("and at Google?", "outside.other-companies"),
])
def test_and_in_what_the_sources_do_not_cover_after_a_comparison_is_turned_away(chat, follow_up, outside):
    _, reply = chat("DS vs MLE, who is stronger in computer science?", follow_up)
    assert (reply.intent, reply.outside) == (None, outside)


@pytest.mark.parametrize("turns", [
    ("what do Quora's ML engineers do?", "and their data scientists?",
     "how do the two differ in general, not just at Quora?"),
    ("what does a data scientist do?", "how do the two roles differ?"),
])
def test_the_two_are_both_roles_and_a_company_left_behind_stays_behind(chat, turns):
    *_, last = chat(*turns)
    assert (last.kind, last.intent) == (ReplyKind.ANSWER, "role.compare")


@pytest.mark.parametrize(("turns", "expected"), [
    (("explain the analyst kind of data science job", "is it good for learning?"), "jobs.analyst"),
    (("what is the we are data, data is us job?", "what do data scientists focus on there?"), "jobs.data-product"),
])
def test_a_follow_up_on_one_job_type_stays_on_it(intents, turns, expected):
    assert intents(*turns)[-1] == expected


def test_pay_after_one_job_type_is_still_turned_away(chat):
    _, reply = chat("explain the analyst kind of data science job", "is it well paid?")
    assert (reply.intent, reply.outside) == (None, "outside.pay")


@pytest.mark.parametrize("turns", [
    ("what's the learning path to ML engineer?", "I'm already a data scientist btw"),
    ("where should a total beginner start?", "I'm a backend developer, forgot to say"),
])
def test_naming_a_job_after_a_path_or_a_start_is_a_move_between_jobs(intents, turns):
    assert intents(*turns)[-1] == "advice.switch-roles"


@pytest.mark.parametrize("turns", [
    ("what's the learning path to ML engineer?", "I'm a data scientist, how much does an MLE make?"),
    ("where should a total beginner start?", "im not an engineer at all"),
])
def test_a_job_named_in_passing_after_a_path_is_not_a_move(intents, turns):
    assert intents(*turns)[-1] != "advice.switch-roles"


@pytest.mark.parametrize("turns", [
    ("how is an ML project staffed?", "what do the data scientists do in step 1?"),
    ("how do the two roles work together?", "and what does the DS do at the very end?"),
])
def test_a_step_of_the_teamwork_answer_is_that_answer(intents, turns):
    assert intents(*turns)[-1] == "team.workflow"
