"""The role-fit check and learning paths, asked like the product: start, answer, stop, restart, expire."""

from __future__ import annotations

import shutil

import pytest
import yaml

from bot import Advisor, KnowledgeBase, KnowledgeError, MemoryContextStore, builtin_knowledge_dir
from bot.reply import BulletList

ENGINEER = ["fit:1:b", "fit:2:b", "fit:3:b", "fit:4:b", "fit:5:b", "fit:6:c", "fit:7:b"]
SCIENTIST = ["fit:1:a", "fit:2:a", "fit:3:a", "fit:4:a", "fit:5:a", "fit:6:a", "fit:7:a"]
EVEN = ["fit:1:a", "fit:2:b", "fit:3:c", "fit:4:a", "fit:5:b", "fit:6:d", "fit:7:b"]


def run(advisor: Advisor, answers: list[str], conversation: str = "me"):
    reply = advisor.ask("fit", conversation_id=conversation)
    for token in answers:
        assert reply.intent == "fit.question"
        assert token in [s.query for s in reply.suggestions]
        reply = advisor.ask(token, conversation_id=conversation)
    return reply


def bullets(reply) -> list[str]:
    return [item for block in reply.body if isinstance(block, BulletList) for item in block.items]


def test_each_question_says_why_it_is_asked_and_offers_buttons(fresh_advisor):
    reply = fresh_advisor.ask("fit", conversation_id="me")
    assert reply.title == "Fit check: question 1 of 7"
    assert "Why I ask" in reply.text and reply.sources
    assert [s.query for s in reply.suggestions] == ["fit:1:a", "fit:1:b", "fit:1:c"]
    assert reply.shareable is False and reply.lead == "Your answer:"


@pytest.mark.parametrize(("answers", "title", "lean"), [
    (ENGINEER, "Your fit check: ML engineer", "clearly"),
    (SCIENTIST, "Your fit check: data scientist", "clearly"),
    (EVEN, "Your fit check: balanced", "balanced"),
])
def test_a_completed_check_says_which_role_how_strongly_why_and_what_next(fresh_advisor, answers, title, lean):
    result = run(fresh_advisor, answers)
    assert result.intent == "fit.result" and result.title == title
    assert f"**{lean}**" in result.body[0].text
    assert "From your answers:" in result.text and "Skills to build next:" in result.text
    assert len(bullets(result)) >= 5 and result.sources
    assert any(s.intent for s in result.suggestions), "links to the relevant intents"
    assert result.suggestions[-1].query == "fit:restart"


def test_the_reasons_come_from_the_persons_own_answers(fresh_advisor):
    result = run(fresh_advisor, [*ENGINEER[:3], "fit:4:a", *ENGINEER[4:]])
    assert "Pulling the other way:" in result.text
    assert any("one-off analysis that helps evaluate an idea" in b for b in bullets(result))


def test_typed_ordinals_pick_an_option_and_questions_in_between_keep_the_check(fresh_advisor):
    fresh_advisor.ask("fit", conversation_id="me")
    assert fresh_advisor.ask("the second one", conversation_id="me").title == "Fit check: question 2 of 7"
    assert fresh_advisor.ask("what does an ML engineer do?", conversation_id="me").intent == "role.ml-engineer"
    assert fresh_advisor.ask("fit:2:a", conversation_id="me").title == "Fit check: question 3 of 7"


def test_stop_abandons_and_restart_begins_again(fresh_advisor):
    fresh_advisor.ask("fit", conversation_id="me")
    fresh_advisor.ask("fit:1:a", conversation_id="me")
    assert fresh_advisor.ask("restart", conversation_id="me").title == "Fit check: question 1 of 7"
    fresh_advisor.ask("fit:1:a", conversation_id="me")
    stopped = fresh_advisor.ask("stop", conversation_id="me")
    assert stopped.title == "Fit check stopped" and stopped.suggestions[0].query == "fit:start"
    late = fresh_advisor.ask("fit:2:a", conversation_id="me")
    assert late.title == "That fit check has ended"


def test_a_stale_button_shows_where_the_person_is(fresh_advisor):
    fresh_advisor.ask("fit", conversation_id="me")
    fresh_advisor.ask("fit:1:a", conversation_id="me")
    again = fresh_advisor.ask("fit:1:b", conversation_id="me")
    assert again.title == "Fit check: question 2 of 7" and "another question" in again.text


def test_the_check_is_per_person(fresh_advisor):
    fresh_advisor.ask("fit", conversation_id="alice")
    assert fresh_advisor.ask("fit:1:a", conversation_id="bob").title == "That fit check has ended"


def test_the_check_expires(advisor):
    now = [1000.0]
    fake = Advisor(advisor.knowledge, clock=lambda: now[0], memory=MemoryContextStore(clock=lambda: now[0],
                                                                                         idle_seconds=86400))
    fake.ask("fit", conversation_id="me")
    now[0] += 29 * 60
    assert fake.ask("fit:1:a", conversation_id="me").title == "Fit check: question 2 of 7"
    now[0] += 31 * 60
    assert fake.ask("fit:2:a", conversation_id="me").title == "That fit check has expired"


def test_which_role_offers_the_check_and_skills_offer_a_learning_path(ask):
    which = ask("which role fits me?")
    assert ("Take the fit check", "fit:start") in [(s.label, s.query) for s in which.suggestions]
    skills = ask("what should I learn to become an ML engineer?")
    assert skills.intent == "skills.ml-engineer", "paths don't steal the skills questions"
    offer = next(s for s in skills.suggestions if s.query.startswith("path:"))
    path = ask(offer.query)
    assert path.intent == "path.ml-engineer" and path.title == "A learning path to ML engineer"
    assert "1. CS fundamentals" in path.text and "Practise:" in path.text
    assert "hackathons" in path.text.casefold() and "kaggle" in path.text.casefold()


def test_stop_and_restart_mean_nothing_special_without_a_check(ask):
    assert ask("restart").intent != "fit.question"


def _broken_copy(tmp_path, change):
    folder = tmp_path / "kb"
    shutil.copytree(builtin_knowledge_dir(), folder)
    data = yaml.safe_load((folder / "fit.yml").read_text())
    change(data["fit"])
    (folder / "fit.yml").write_text(yaml.safe_dump(data))
    return folder


def _unknown_lean(fit):
    fit["questions"][0]["options"][0]["lean"] = "artist"


def _missing_why(fit):
    del fit["questions"][1]["why"]


def _bad_skill(fit):
    fit["results"]["balanced"]["next_skills"][0]["intent"] = "skills.juggling"


def _no_results(fit):
    del fit["results"]["ml-engineer"]


def _twice_the_same_id(fit):
    fit["questions"][1]["id"] = fit["questions"][0]["id"]


def _skill_without_intent(fit):
    del fit["results"]["balanced"]["next_skills"][0]["intent"]


def _one_option(fit):
    fit["questions"][1]["options"] = fit["questions"][1]["options"][:1]


@pytest.mark.parametrize(("change", "expected"), [
    (_unknown_lean, "fit.yml, intent \"fit question 'strength', option #1\", field 'lean'"),
    (_missing_why, "fit.yml, intent \"fit question 'enjoy'\", field 'why': is missing or empty"),
    (_bad_skill, "field 'next_skills'"),
    (_no_results, "intent \"fit result 'ml-engineer'\", field 'results': is missing"),
    (_twice_the_same_id, "intent 'fit question #2', field 'id': must be a unique lowercase word"),
    (_skill_without_intent, "intent \"fit result 'balanced'\", field 'next_skills': must name an intent"),
    (_one_option, "intent \"fit question 'enjoy'\", field 'options': must be a list of 2 to 5 options"),
])
def test_fit_data_is_validated_strictly_naming_file_item_and_field(tmp_path, change, expected):
    with pytest.raises(KnowledgeError) as raised:
        KnowledgeBase.load(_broken_copy(tmp_path, change))
    assert expected in str(raised.value)


def test_path_data_is_validated(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(builtin_knowledge_dir(), folder)
    data = yaml.safe_load((folder / "paths.yml").read_text())
    data["paths"][0]["steps"][0]["intent"] = "skills.nothing"
    del data["paths"][1]["offer"]
    (folder / "paths.yml").write_text(yaml.safe_dump(data))
    with pytest.raises(KnowledgeError) as raised:
        KnowledgeBase.load(folder)
    text = str(raised.value)
    assert "path 'ml-engineer', step #1\", field 'intent'" in text
    assert "intent \"path 'data-scientist'\", field 'offer'" in text
