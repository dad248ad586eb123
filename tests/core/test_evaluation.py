"""Measuring answers on labelled questions: the file format, the rates, and errors that name the line."""

from __future__ import annotations

import io
import json

import pytest

from bot.evaluation import Case, EvalFileError, evaluate, read_cases

LABELLED = "\n".join([
    json.dumps({"q": "what does an ML engineer do at Quora", "intent": "quora.ml-engineer"}),
    json.dumps({"q": "DS vs MLE?", "intent": ["role.compare", "team.workflow"]}),
    "",
    json.dumps({"q": "what is the salary of a data scientist", "intent": None}),
    json.dumps({"q": "what does a data scientist do", "intent": "role.ml-engineer"}),  # labelled wrong on purpose
    json.dumps({"turns": [["what does an ML engineer do?", "role.ml-engineer"],
                          ["how about at Quora?", "quora.ml-engineer"]]}),
    json.dumps({"q": "hi", "intent": None}),  # a greeting is answered, so "no intent" is a miss
])


def test_read_cases_understands_singles_lists_nulls_and_dialogues():
    dialogues = read_cases(io.StringIO(LABELLED))
    assert [len(d) for d in dialogues] == [1, 1, 1, 1, 2, 1]
    assert dialogues[0] == [Case("what does an ML engineer do at Quora", frozenset({"quora.ml-engineer"}), 1)]
    assert dialogues[1][0].expected == {"role.compare", "team.workflow"}
    assert dialogues[2][0].expected == frozenset()
    assert dialogues[2][0].line == 4, "blank lines still count toward line numbers"
    assert [(c.question, c.turn, c.line) for c in dialogues[4]] == [
        ("what does an ML engineer do?", 1, 6), ("how about at Quora?", 2, 6),
    ]


def test_evaluate_reports_the_rates(fresh_advisor):
    report = evaluate(fresh_advisor, read_cases(io.StringIO(LABELLED)))
    assert len(report.outcomes) == 7
    assert (len(report.in_scope), len(report.out_of_scope)) == (5, 2)
    assert report.accuracy == pytest.approx(4 / 5)
    assert report.rejection == pytest.approx(1 / 2)
    assert report.overall == pytest.approx(5 / 7)
    assert [(o.case.line, o.intent) for o in report.misses] == [
        (5, "role.data-scientist"), (7, "meta.greeting"),
    ]
    summary = report.summary()
    assert summary["cases"] == 7
    assert summary["misses_by_intent"] == {"role.ml-engineer": 1, "(out of scope)": 1}
    assert {"expected": "role.ml-engineer", "given": "role.data-scientist", "count": 1} in summary["confusions"]
    json.dumps(summary)


def test_each_dialogue_has_a_conversation_of_its_own(fresh_advisor):
    lines = [
        json.dumps({"turns": [["what does an ML engineer do?", "role.ml-engineer"]]}),
        json.dumps({"q": "what do they need to learn?", "intent": None}),  # no context: asks which role
    ]
    report = evaluate(fresh_advisor, read_cases(lines))
    assert [o.kind for o in report.outcomes] == ["answer", "clarify"]
    assert report.overall == 1.0


def test_a_second_evaluation_does_not_inherit_the_first_ones_conversations(fresh_advisor):
    # Both runs number their dialogues from 0; the second must still start from a blank conversation.
    first = [json.dumps({"q": "what does an ML engineer do?", "intent": "role.ml-engineer"})]
    second = [json.dumps({"q": "what do they need to learn?", "intent": None})]
    evaluate(fresh_advisor, read_cases(first))
    report = evaluate(fresh_advisor, read_cases(second))
    assert [(o.intent, o.kind) for o in report.outcomes] == [(None, "clarify")]


def test_empty_input_has_perfect_rates(fresh_advisor):
    report = evaluate(fresh_advisor, read_cases(["", "  "]))
    assert report.outcomes == []
    assert (report.accuracy, report.rejection, report.overall) == (1.0, 1.0, 1.0)


@pytest.mark.parametrize(
    ("bad_line", "words"),
    [
        ('{"q": "hi", "intent": ', "not JSON"),
        ('{"q": "hi"}', "expected"),
        ('{"question": "hi", "intent": "meta.greeting"}', "expected"),
        ('["hi", "meta.greeting"]', "expected"),
        ('{"q": "hi", "intent": 3}', "'intent'"),
        ('{"q": "hi", "intent": ""}', "'intent'"),
        ('{"q": "hi", "intent": []}', "'intent'"),
        ('{"q": "hi", "intent": ["meta.greeting", 3]}', "'intent'"),
        ('{"turns": []}', "expected"),
        ('{"turns": [["hi"]]}', "turn 1"),
        ('{"turns": [["hi", "meta.greeting"], ["thanks", "meta.thanks", "x"]]}', "turn 2"),
        ('{"turns": [["hi", 5]]}', "'intent'"),
    ],
)
def test_a_malformed_line_is_named(bad_line, words):
    lines = [json.dumps({"q": "hi", "intent": "meta.greeting"}), "", bad_line]
    with pytest.raises(EvalFileError, match=r"^line 3: ") as caught:
        read_cases(lines)
    assert words in str(caught.value)
