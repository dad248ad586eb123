"""What people get when they ask: the topics, the phrasings, the follow-ups and the reply text."""

from __future__ import annotations

import re

import pytest

from adapters.slack.render import MAX_SECTION as MAX_ANSWER_CHARS
from bot import BulletList, Paragraph, ReplyKind

REQUIRED_IDS = [
    "role.data-scientist", "role.ml-engineer", "role.compare", "role.tools",
    "quora.data-scientist", "quora.ml-engineer", "quora.compare", "quora.machine-learning", "team.workflow",
    "jobs.types", "jobs.analyst", "jobs.data-driven", "jobs.data-wrangler", "jobs.data-product",
    "skills.data-scientist", "skills.tools", "skills.statistics", "skills.machine-learning", "skills.math",
    "skills.data-munging", "skills.thinking", "skills.visualization", "skills.software-engineering",
    "skills.ml-engineer",
    "advice.which-role", "advice.getting-started", "advice.switch-roles",
    "meta.help", "meta.about", "meta.greeting", "meta.thanks",
]
#: Small talk has nothing to cite.
SMALL_TALK = {"meta.greeting", "meta.thanks"}


def _answer_markdown(blocks: tuple[Paragraph | BulletList, ...]) -> str:
    """The answer as its author wrote it: paragraphs and ``- `` bullets."""
    parts = [
        block.text if isinstance(block, Paragraph) else "\n".join(f"- {item}" for item in block.items)
        for block in blocks
    ]
    return "\n\n".join(parts)


def _normalized(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.casefold()))


# The knowledge base


def test_every_promised_topic_exists(advisor):
    missing = [intent_id for intent_id in REQUIRED_IDS if advisor.knowledge.get(intent_id) is None]
    assert missing == []


@pytest.mark.parametrize("intent_id", REQUIRED_IDS)
def test_each_topic_has_phrasings_sources_and_an_answer_that_fits_one_message(advisor, intent_id):
    intent = advisor.knowledge[intent_id]
    assert len({_normalized(q) for q in intent.questions}) >= 8
    assert bool(intent.sources) is (intent_id not in SMALL_TALK)
    assert all(source.title.strip() for source in intent.sources)
    answer = _answer_markdown(intent.answer)
    assert answer.strip()
    assert len(answer) <= MAX_ANSWER_CHARS


def test_every_topics_first_question_is_answered_by_that_topic(advisor, ask):
    # Suggestion buttons send an intent's first question, so it has to land on its own intent.
    misses = {}
    for intent in advisor.knowledge.intents:
        reply = ask(intent.questions[0])
        if reply.intent != intent.id:
            misses[intent.questions[0]] = (intent.id, reply.intent, str(reply.kind))
    assert misses == {}


def test_suggestions_under_an_answer_lead_to_the_topics_they_name(ask):
    reply = ask("what does an ML engineer do?")
    assert reply.suggestions
    for suggestion in reply.suggestions:
        assert ask(suggestion.query).intent == suggestion.intent


# Answers


def test_what_an_ml_engineer_does_at_quora_comes_from_the_quora_example(ask):
    reply = ask("what does an ML engineer do at Quora")
    assert reply.kind is ReplyKind.ANSWER
    assert reply.intent == "quora.ml-engineer"
    assert reply.title == "What an ML engineer does at Quora"
    assert {"deck", "quora-2015"} <= {source.key for source in reply.sources}
    assert "who's who?" in reply.text
    assert "ranking" in reply.text
    # Neither source gives an address for Quora's 2015 answer, so none is shown.
    assert [source.url for source in reply.sources if source.key == "quora-2015"] == [None]
    assert "quora.machine-learning" in [s.intent for s in reply.suggestions]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("DS", "role.data-scientist"),
        ("MLE", "role.ml-engineer"),
        ("what does a DS do", "role.data-scientist"),
        ("what's an MLE", "role.ml-engineer"),
        ("ml eng", "role.ml-engineer"),
        ("data sci", "role.data-scientist"),
        ("what skills does a data sci need", "skills.data-scientist"),
        ("what skills does an MLE need", "skills.ml-engineer"),
        ("machine-learning engineer", "role.ml-engineer"),
        ("what does a machine-learning engineer do", "role.ml-engineer"),
        ("what does a machine learning enginer do", "role.ml-engineer"),
        ("what does an ML engineer do at quroa", "quora.ml-engineer"),
        ("quroa data scientist", "quora.data-scientist"),
        ("ml eng at quora", "quora.ml-engineer"),
        ("DS vs MLE?", "role.compare"),
    ],
)
def test_abbreviations_and_typos_are_understood(ask, question, expected):
    reply = ask(question)
    assert (reply.intent, reply.kind) == (expected, ReplyKind.ANSWER)


@pytest.mark.parametrize(
    "question",
    [
        "data scientist salary",
        "how much do ML engineers get paid",
        "what's the salary of an ML engineer at Quora?",
        "what is the news today",
        "any news?",
        "what does a site reliability engineer do",
        "what does a data scientist do at Spotify",
        "what does an ML engineer do at Google?",
    ],
)
def test_questions_outside_the_sources_get_a_fallback_not_a_guess(ask, question):
    reply = ask(question)
    assert reply.kind is ReplyKind.FALLBACK
    assert reply.intent is None
    assert reply.suggestions, "a fallback still offers somewhere to go"
    assert "help" in reply.text


def test_asking_about_another_company_says_the_sources_only_describe_quora(ask):
    reply = ask("what does a data scientist do at Spotify")
    assert reply.kind is ReplyKind.FALLBACK
    assert "Quora" in reply.text
    assert "role.data-scientist" in [s.intent for s in reply.suggestions]


# Conversations


@pytest.mark.parametrize(
    ("opening", "opened", "follow_up", "expected"),
    [
        ("what does an ML engineer do?", "role.ml-engineer", "how about at Quora?", "quora.ml-engineer"),
        ("what does an ML engineer do?", "role.ml-engineer", "what do they need to learn?", "skills.ml-engineer"),
        ("What does a data scientist do at Quora?", "quora.data-scientist", "and for ML engineers?",
         "quora.ml-engineer"),
        ("What are the four types of data science jobs?", "jobs.types", "the second one", "jobs.data-driven"),
    ],
)
def test_follow_ups_continue_the_conversation(ask, opening, opened, follow_up, expected):
    assert ask(opening, "me").intent == opened
    reply = ask(follow_up, "me")
    assert (reply.intent, reply.kind) == (expected, ReplyKind.ANSWER)


def test_two_conversations_never_share_context(ask):
    assert ask("what does an ML engineer do?", "alice").intent == "role.ml-engineer"
    assert ask("what does a data scientist do?", "bob").intent == "role.data-scientist"

    assert ask("what do they need to learn?", "alice").intent == "skills.ml-engineer"
    assert ask("what do they need to learn?", "bob").intent == "skills.data-scientist"

    stranger = ask("how about at Quora?", "carol")
    assert stranger.kind is ReplyKind.CLARIFY
    assert stranger.intent is None


def test_an_ambiguous_question_asks_which_topic_was_meant(ask):
    reply = ask("what do they need to learn?", "me")
    assert reply.kind is ReplyKind.CLARIFY
    assert reply.intent is None
    assert set(reply.candidates) == {"skills.data-scientist", "skills.ml-engineer"}
    assert [s.intent for s in reply.suggestions] == list(reply.candidates)
    assert 0.0 <= reply.confidence <= 1.0


@pytest.mark.parametrize(("pick", "position"), [("the first one", 0), ("the second one", 1), ("the last one", -1)])
def test_a_clarification_is_answered_by_picking_an_option(ask, pick, position):
    clarify = ask("what do they need to learn?", "me")
    assert clarify.kind is ReplyKind.CLARIFY
    assert len(clarify.candidates) >= 2
    reply = ask(pick, "me")
    assert (reply.intent, reply.kind) == (clarify.candidates[position], ReplyKind.ANSWER)


# The reply as text


def test_reply_text_has_title_bullets_and_sources_without_markup(advisor):
    reply = advisor.reply_for("meta.help")
    text = reply.text
    assert text.startswith("What I can help with\n")
    assert "- Roles: what each does" in text
    assert "Sources:\n- Data scientist and Machine Learning engineers: who's who?" in text
    assert "**" not in text


def test_reply_text_shows_links_with_their_address(advisor):
    text = advisor.reply_for("meta.about").text
    assert "Data science job skills (http://blog.udacity.com/2014/11/data-science-job-skills.html)" in text
    assert "](" not in text


@pytest.mark.parametrize("intent_id", REQUIRED_IDS)
def test_every_answer_reads_as_plain_text(advisor, intent_id):
    reply = advisor.reply_for(intent_id)
    text = reply.text
    assert text.splitlines()[0] == reply.title
    assert "**" not in text
    assert "](" not in text
    bullets = [item for block in reply.body if isinstance(block, BulletList) for item in block.items]
    assert text.count("\n- ") >= len(bullets) + len(reply.sources)
    assert ("\nSources:\n" in text) is (intent_id not in SMALL_TALK)
    for source in reply.sources:
        assert f"- {source.label}" in text
