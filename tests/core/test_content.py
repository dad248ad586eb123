"""What the knowledge base says: the deck's Quora slide as titled, the skills it leaves out, and answers
that stay with their sources."""

from __future__ import annotations

import re
import statistics

import pytest

from bot import BulletList, Paragraph, ReplyKind

NEW_INTENTS = ["quora.compare", "quora.machine-learning", "skills.visualization", "skills.software-engineering"]
#: The only addresses the deck and its sources give: the two Udacity posts.
GIVEN_LINKS = {
    "http://blog.udacity.com/2014/11/data-science-job-skills.html",
    "http://blog.udacity.com/2016/04/5-skills-you-need-to-become-a-machine-learning-engineer.html",
}


def _normalized(question: str) -> str:
    return " ".join(re.findall(r"\w+", question.casefold()))


def _bullets(reply) -> list[str]:
    return [item for block in reply.body if isinstance(block, BulletList) for item in block.items]


def _opening(reply) -> str:
    first = next(block for block in reply.body if isinstance(block, Paragraph))
    return re.split(r"(?<=[.:!?])\s", first.text, maxsplit=1)[0]


# The Quora slide, as the deck titles it


def test_the_quora_slides_title_is_answered_with_both_roles_side_by_side(ask):
    reply = ask("Difference between Data scientist and Machine Learning Engineer at Quora")
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, "quora.compare")
    assert [(s.key, s.where) for s in reply.sources] == [("deck", "slide 3, the Quora example")]
    assert "one-off analyses" in reply.text and "speed, reliability and performance" in reply.text
    assert {"quora.data-scientist", "quora.ml-engineer"} <= {s.intent for s in reply.suggestions}


def test_after_the_general_comparison_at_quora_means_the_quora_comparison(ask):
    assert ask("DS vs MLE?", "me").intent == "role.compare"
    assert ask("how about at Quora?", "me").intent == "quora.compare"


def test_how_quora_uses_machine_learning_lists_the_2015_answers_applications(ask):
    reply = ask("How does Quora use machine learning?")
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, "quora.machine-learning")
    text = reply.text.casefold()
    for application in ("answer ranking", "upvotes", "learning to rank", "email digest", "related questions",
                        "duplicate question", "per topic", "search ranking", "spam", "a/b tests"):
        assert application in text
    less_certain = next(b for b in _bullets(reply) if "search ranking" in b)
    assert "medium confidence" in less_certain and "spam" in less_certain and "neural networks" in less_certain
    assert " ads" not in text and "advertis" not in text
    assert {s.key for s in reply.sources} == {"quora-2015", "deck"}


def test_the_role_at_quora_stays_about_the_role(ask):
    reply = ask("What does an ML engineer do at Quora?")
    assert reply.intent == "quora.ml-engineer"
    assert "frameworks" in reply.text and "A/B" not in reply.text
    assert "quora.machine-learning" in [s.intent for s in reply.suggestions]
    assert ask("How does Quora use machine learning?", "ml").intent == "quora.machine-learning"
    assert ask("and for ML engineers?", "ml").intent == "quora.ml-engineer"


# The two skills the deck's slide leaves out


def test_what_about_data_visualization_after_the_skills_answer(ask):
    skills = ask("What skills does a data scientist need?", "me")
    assert skills.intent == "skills.data-scientist"
    assert "data visualization and communication" in skills.text
    reply = ask("what about data visualization?", "me")
    assert (reply.kind, reply.intent) == (ReplyKind.ANSWER, "skills.visualization")


@pytest.mark.parametrize(("question", "intent_id", "words"), [
    ("Why does a data scientist need data visualization and communication skills?", "skills.visualization",
     ["young companies", "for the first time", "help others"]),
    ("Why does a data scientist need software engineering skills?", "skills.software-engineering",
     ["first data hires", "data logging", "data-driven products"]),
])
def test_a_skill_from_the_post_says_it_is_not_on_the_slide(ask, question, intent_id, words):
    reply = ask(question)
    assert reply.intent == intent_id
    assert "not on" in reply.text or "leaves it out" in reply.text
    assert any(s.key == "udacity-2014" for s in reply.sources)
    for word in words:
        assert word in reply.text


def test_the_new_intents_have_as_many_phrasings_as_the_others(advisor):
    knowledge = advisor.knowledge
    others = [len({_normalized(q) for q in i.questions}) for i in knowledge.intents
              if i.id not in NEW_INTENTS and i.topic != "meta"]
    for intent_id in NEW_INTENTS:
        assert len({_normalized(q) for q in knowledge[intent_id].questions}) >= statistics.median(others)


# Help


def test_help_names_the_fit_check_and_the_learning_paths(ask):
    reply = ask("help")
    assert reply.intent == "meta.help"
    assert any(b.startswith("**Fit check**") for b in _bullets(reply))
    assert any(b.startswith("**Learning paths**") for b in _bullets(reply))
    assert ("Take the fit check", "fit:start") in [(s.label, s.query) for s in reply.suggestions]


# Answers that stay with their sources


def test_links_are_only_those_the_sources_give(advisor):
    urls = {source.url for source in advisor.knowledge.sources.values() if source.url}
    assert urls == GIVEN_LINKS
    for intent in advisor.knowledge.intents:
        for block in intent.answer:
            texts = [block.text] if isinstance(block, Paragraph) else list(block.items)
            for text in texts:
                assert set(re.findall(r"https?://[^)\s]+", text)) <= GIVEN_LINKS, intent.id


def test_no_two_answers_open_with_the_same_sentence(advisor):
    openings: dict[str, str] = {}
    for intent in advisor.knowledge.intents:
        opening = _opening(advisor.reply_for(intent.id))
        assert openings.setdefault(opening, intent.id) == intent.id, f"{intent.id} opens like {openings[opening]}"
    assert advisor.knowledge.fit is not None
    assert not any(advisor.knowledge.fit.caveat.startswith(opening) for opening in openings)


def test_an_answer_does_not_repeat_its_summary_as_its_first_bullet(advisor):
    for intent in advisor.knowledge.intents:
        reply = advisor.reply_for(intent.id)
        bullets = _bullets(reply)
        if bullets:
            summary = set(re.findall(r"\w+", _opening(reply).casefold()))
            first = set(re.findall(r"\w+", bullets[0].casefold()))
            assert len(summary & first) / len(first) < 0.6, intent.id


def test_lists_carry_no_numbers_of_their_own_and_words_have_one_spelling(advisor):
    for intent in advisor.knowledge.intents:
        reply = advisor.reply_for(intent.id)
        for bullet in _bullets(reply):
            assert not re.match(r"^(\*\*)?\d+[.)]", bullet), intent.id
        assert "modeling" not in reply.text.casefold() and "chat bot" not in reply.text, intent.id
