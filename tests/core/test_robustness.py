"""Whatever people type (nothing, noise, chat markup, other scripts, a novel), they get a proper reply."""

from __future__ import annotations

import itertools
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import Reply, ReplyKind

# `ask` gives every call a conversation of its own, so reusing it across examples is safe.
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

NOISE = st.sampled_from(
    ["مرحبا", "שלום", "\u200f", "\u202e", "😀", "🤖", "\x00", "\x07", "\x1b[31m", "\n", "\t", "<@U123>", "<!here>",
     "@everyone", "https://example.org/x?y=1", "ﬁ", "Ⅻ", "e\u0301", "中文", "DS", "MLE", "quora", "?", "..."]
)
MIXED = st.lists(st.one_of(NOISE, st.text(max_size=12)), max_size=12).map(" ".join)
IN_SCOPE_WITH_NOISE = st.tuples(st.text(max_size=30), st.sampled_from(
    ["what does a data scientist do", "ML engineer at quora", "the second one", "and for ML engineers?"]
), st.text(max_size=30)).map(" ".join)
# Text shaped like the core's tokens (fit-check answers, learning paths), with numbers and runs of any length.
RUN = st.builds(lambda piece, times: piece * times, st.sampled_from(["9", "0", "a", "-", ":", " ", "é", "fit:"]),
                st.integers(min_value=1, max_value=10_000))
NUMBER = st.one_of(st.integers(min_value=0).map(str), st.integers(min_value=4_000, max_value=10_000).map("1".__mul__),
                   st.text(alphabet="0123456789٣", max_size=8))
TOKEN_SHAPED = st.one_of(
    st.builds("fit:{}:{}".format, NUMBER, st.one_of(st.sampled_from(["a", "b", "z", ""]), RUN)),
    st.builds("{}{}".format, st.sampled_from(["fit:", "path:", "fit:start", "fit:stop", "fit:restart", "fit:1:"]),
              st.one_of(NUMBER, RUN, st.sampled_from(["data-scientist", "ml-engineer", "nowhere"]))),
    st.lists(st.one_of(RUN, NUMBER, st.sampled_from(["fit:", "path:", ":"])), min_size=1, max_size=4).map("".join),
)
ANY_TEXT = st.one_of(st.text(), MIXED, IN_SCOPE_WITH_NOISE, TOKEN_SHAPED)
_CONVERSATIONS = itertools.count(1)


def assert_well_formed(reply: Reply, known_ids: set[str]) -> None:
    assert isinstance(reply, Reply)
    assert reply.kind in set(ReplyKind)
    assert 0.0 <= reply.confidence <= 1.0
    assert reply.title.strip()
    assert reply.intent is None or reply.intent in known_ids
    assert (reply.intent is not None) == (reply.kind is ReplyKind.ANSWER)
    assert isinstance(reply.text, str)
    assert reply.text.startswith(reply.title)
    json.dumps(reply.to_dict())  # adapters and the CLI serialise every reply


@pytest.fixture(scope="module")
def known_ids(advisor):
    fit_and_paths = {"fit.question", "fit.result", "fit.notice", *(p.id for p in advisor.knowledge.paths.values())}
    return {intent.id for intent in advisor.knowledge.intents} | fit_and_paths


@PROPERTY
@given(text=ANY_TEXT)
def test_any_text_gets_a_well_formed_reply(ask, known_ids, text):
    assert_well_formed(ask(text), known_ids)


@PROPERTY
@given(text=TOKEN_SHAPED)
def test_any_token_shaped_text_gets_a_well_formed_reply(ask, known_ids, text):
    assert_well_formed(ask(text), known_ids)


@PROPERTY
@given(turns=st.lists(ANY_TEXT, min_size=2, max_size=5))
def test_any_conversation_gets_well_formed_replies(advisor, known_ids, turns):
    conversation = f"robustness:{next(_CONVERSATIONS)}"
    for text in turns:
        assert_well_formed(advisor.ask(text, conversation_id=conversation), known_ids)


@pytest.mark.parametrize(
    "text",
    ["", "   ", "@everyone", "@whoswho @here", "\x00\x07", "😀😀😀"],
    ids=["empty", "blank", "everyone", "typed-mentions", "control-chars", "emoji"],
)
def test_a_message_with_no_words_gets_the_help_topics(ask, known_ids, text):
    reply = ask(text)
    assert_well_formed(reply, known_ids)
    assert reply.intent == "meta.help"
    assert reply.suggestions


@pytest.mark.parametrize(
    "text",
    ["مرحبا", "❶", "²", "zxqv wplk"],
    ids=["arabic", "dingbat-digit", "superscript-digit", "gibberish"],
)
def test_text_with_nothing_to_match_gets_a_fallback(ask, known_ids, text):
    reply = ask(text)
    assert_well_formed(reply, known_ids)
    assert reply.kind is ReplyKind.FALLBACK
    assert reply.suggestions


@pytest.mark.parametrize(
    "text",
    ["data scientist " * 7_000, "x" * 100_000, "what does an ML engineer do at Quora? " + "é😀" * 50_000],
    ids=["repeated-words", "one-long-word", "question-then-emoji"],
)
def test_a_hundred_kilobytes_of_text_returns(ask, known_ids, text):
    assert len(text) >= 100_000
    assert_well_formed(ask(text), known_ids)


def test_a_mention_before_the_question_is_ignored(ask):
    assert ask("@whoswho @here what does an ML engineer do at Quora?").intent == "quora.ml-engineer"
    assert ask("@everyone what does an ML engineer do at Quora?").intent == "quora.ml-engineer"


# Questions that open a topic, and the follow-ups people lean on them with: every rule that reads the
# conversation's state meets every kind of state these leave.
OPENING = [
    "what does a data scientist do?", "what does an ML engineer do at Quora?", "DS vs MLE at Quora?",
    "how do DS and MLE work together at Quora?", "how does Quora use machine learning?", "who founded Quora?",
    "what are the four types of data science jobs?", "job type 3", "which tools must a DS know?",
    "which languages does each role use?", "what maths does a data scientist need?", "what skills does an MLE need?",
    "I'm a DS and want to move to MLE", "where should a beginner start?", "roadmap to ML engineer",
    "what does a data engineer do?", "how much does an MLE earn in Berlin?", "how does gradient boosting work?",
    "I like stats and charts, which role fits me?", "quiz me", "who made you?", "thanks!",
]
FOLLOWING = [
    "and the other one?", "and MLEs?", "what about data scientists?", "the second one", "and the last type?",
    "who builds the frameworks?", "who does then?", "do they deploy what they build?", "how do they use ML?",
    "does Quora use it?", "which role uses it more?", "and do MLEs need that too?", "which one is more CS-heavy?",
    "what skills does that take?", "and which tools must they know?", "what about the MLE version?",
    "and the other way round?", "wait, at Quora I mean", "no wait, the fourth", "skip that, who builds those?",
    "is that the same everywhere?", "in general, not at Quora", "ok forget the money, what does a DS do?",
    "cool. what's an ML engineer then?", "what does that role do at Quora?", "steps?", "path?", "2", "stop",
]


@pytest.mark.parametrize("opening", OPENING)
def test_every_follow_up_after_every_opening_gets_a_well_formed_reply(advisor, known_ids, opening):
    for follow_up in FOLLOWING:
        conversation = f"robustness:{next(_CONVERSATIONS)}"
        advisor.ask(opening, conversation_id=conversation)
        assert_well_formed(advisor.ask(follow_up, conversation_id=conversation), known_ids)


@PROPERTY
@given(turns=st.lists(st.sampled_from([*OPENING, *FOLLOWING]), min_size=3, max_size=6))
def test_follow_ups_in_any_order_get_well_formed_replies(advisor, known_ids, turns):
    conversation = f"robustness:{next(_CONVERSATIONS)}"
    for text in turns:
        assert_well_formed(advisor.ask(text, conversation_id=conversation), known_ids)
