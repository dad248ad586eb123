"""A curator's view of loading: every problem named by file, intent and field, all at once; layering."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
import yaml

from bot import Advisor, KnowledgeBase, KnowledgeError, ReplyKind, TextLimits, builtin_knowledge_dir

MAX_ANSWER_CHARS = 3000
#: The limits a platform passes: those of a Slack section, header and button.
LIMITS = TextLimits(answer=MAX_ANSWER_CHARS, title=150, label=75)
SOURCES = {"notes": {"title": "Team notes", "url": "https://example.org/notes"}}


def intent(intent_id: str, **fields: Any) -> dict[str, Any]:
    """A valid intent; keyword arguments replace fields, and ``None`` removes one."""
    raw: dict[str, Any] = {
        "id": intent_id,
        "title": f"About {intent_id}",
        "questions": [f"what is {intent_id.replace('.', ' ')}", f"tell me about {intent_id.replace('.', ' ')}"],
        "answer": "A paragraph.\n\n- a bullet\n",
        "sources": ["notes"],
    }
    raw.update(fields)
    return {key: value for key, value in raw.items() if value is not None}


def load_error(folder) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        KnowledgeBase.load(folder, limits=LIMITS)
    return caught.value


def only_issue(error: KnowledgeError):
    assert len(error.issues) == 1, str(error)
    return error.issues[0]


def test_a_valid_folder_loads(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one"), intent("team.two")]}})
    knowledge = KnowledgeBase.load(folder)
    assert [i.id for i in knowledge.intents] == ["team.one", "team.two"]
    assert knowledge["team.one"].sources[0].title == "Team notes"
    assert knowledge["team.one"].file == str(folder / "team.yml")


def test_bad_yaml_names_the_file_and_line(write_knowledge):
    folder = write_knowledge({
        "sources.yml": {"sources": SOURCES},
        "broken.yml": """
            intents:
              - id: team.one
                title: [unclosed
                answer: text
            """,
    })
    issue = only_issue(load_error(folder))
    assert issue.file == str(folder / "broken.yml")
    assert issue.line == 4  # where the parser finds the unclosed "[" of line 3 running into a key
    assert "not valid YAML" in issue.message
    assert f"broken.yml:{issue.line}" in str(issue)


def test_the_same_id_twice_in_one_folder_is_an_error(write_knowledge):
    folder = write_knowledge({
        "a.yml": {"sources": SOURCES, "intents": [intent("team.one")]},
        "b.yml": {"intents": [intent("team.one", questions=["something else entirely", "another phrasing"])]},
    })
    issue = only_issue(load_error(folder))
    assert (issue.file, issue.intent, issue.field) == (str(folder / "b.yml"), "team.one", "id")
    assert "twice" in issue.message


def test_a_duplicate_yaml_key_is_an_error_with_its_line(write_knowledge):
    folder = write_knowledge({
        "team.yml": """
            sources:
              notes: {title: Team notes}
            intents:
              - id: team.one
                title: One
                title: Two
                questions: [what is one]
                answer: one
                sources: [notes]
            """,
    })
    issue = only_issue(load_error(folder))
    assert issue.file == str(folder / "team.yml")
    assert issue.line == 6
    assert "duplicate key 'title'" in issue.message


def test_a_related_id_that_does_not_exist_is_named(write_knowledge):
    folder = write_knowledge({
        "team.yml": {"sources": SOURCES, "intents": [intent("team.one", related=["team.nowhere"])]},
    })
    issue = only_issue(load_error(folder))
    assert (issue.file, issue.intent, issue.field) == (str(folder / "team.yml"), "team.one", "related")
    assert "team.nowhere" in issue.message


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"questions": None}, "questions", "no questions"),
        ({"questions": []}, "questions", "no questions"),
        ({"answer": "x" * (MAX_ANSWER_CHARS + 1)}, "answer", f"limit is {MAX_ANSWER_CHARS}"),
        ({"sources": None}, "sources", "at least one source"),
        ({"sources": ["nowhere"]}, "sources", "'nowhere'"),
        ({"sources": [{"source": "nowhere", "where": "p. 3"}]}, "sources", "'nowhere'"),
        ({"colour": "red"}, "colour", "not a known field"),
        ({"role": "astronaut"}, "role", "astronaut"),
    ],
    ids=["no-questions", "empty-questions", "long-answer", "no-sources", "unknown-source",
         "unknown-source-with-where", "unknown-field", "unknown-role"],
)
def test_a_bad_field_is_named_with_file_and_intent(write_knowledge, fields, field, words):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one", **fields)]}})
    error = load_error(folder)
    issue = only_issue(error)
    assert (issue.file, issue.intent, issue.field) == (str(folder / "team.yml"), "team.one", field)
    assert words in issue.message
    assert f"team.yml, intent 'team.one', field '{field}'" in str(error)


def test_an_answer_of_exactly_the_limit_loads(write_knowledge):
    folder = write_knowledge({
        "team.yml": {"sources": SOURCES, "intents": [intent("team.one", answer="x" * MAX_ANSWER_CHARS)]},
    })
    assert len(KnowledgeBase.load(folder, limits=LIMITS)) == 1


def test_the_core_sets_no_length_limit_of_its_own(write_knowledge):
    folder = write_knowledge({
        "team.yml": {"sources": SOURCES, "intents": [intent("team.one", answer="x" * (MAX_ANSWER_CHARS + 1),
                                                            title="t" * 200)]},
    })
    assert len(KnowledgeBase.load(folder)["team.one"].title) == 200
    assert {issue.field for issue in load_error(folder).issues} == {"title", "answer"}


def test_the_tightest_limits_fit_every_platform():
    wide = TextLimits(answer=4096, title=256, label=80)
    assert TextLimits.tightest(LIMITS, wide, TextLimits()) == LIMITS
    assert TextLimits.tightest(TextLimits(), TextLimits(label=80)) == TextLimits(label=80)
    assert TextLimits.tightest() == TextLimits()


def test_the_built_in_knowledge_fits_the_limits():
    assert len(KnowledgeBase.load(limits=LIMITS)) == len(KnowledgeBase.load())


def test_an_unknown_top_level_key_is_named(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one")], "intent": []}})
    issue = only_issue(load_error(folder))
    assert (issue.file, issue.field) == (str(folder / "team.yml"), "intent")


def test_every_problem_is_reported_at_once(write_knowledge):
    folder = write_knowledge({
        "a.yml": {
            "sources": SOURCES,
            "intents": [
                intent("team.no-questions", questions=None),
                intent("team.long", answer="x" * (MAX_ANSWER_CHARS + 1)),
                intent("team.no-sources", sources=None),
                intent("team.bad-source", sources=["nowhere"]),
                intent("team.extra", colour="red"),
                intent("team.lost", related=["team.nowhere"]),
                intent("team.fine"),
            ],
        },
        "b.yml": {"intents": [intent("team.fine", questions=["a different phrasing", "and another"])]},
        "c.yml": "intents: [unclosed\n",
    })
    error = load_error(folder)
    found = {(issue.file.rsplit("/", 1)[-1], issue.intent, issue.field) for issue in error.issues}
    assert found == {
        ("a.yml", "team.no-questions", "questions"),
        ("a.yml", "team.long", "answer"),
        ("a.yml", "team.no-sources", "sources"),
        ("a.yml", "team.bad-source", "sources"),
        ("a.yml", "team.extra", "colour"),
        ("a.yml", "team.lost", "related"),
        ("b.yml", "team.fine", "id"),
        ("c.yml", None, None),
    }
    assert str(error).startswith("8 problems in the knowledge base")


def test_one_intent_with_several_problems_reports_each(write_knowledge):
    folder = write_knowledge({
        "team.yml": {
            "sources": SOURCES,
            "intents": [intent("team.one", questions=None, sources=["nowhere"], colour="red",
                               related=["team.nowhere"])],
        },
    })
    fields = sorted(issue.field for issue in load_error(folder).issues)
    assert fields == ["colour", "questions", "related", "sources"]


# Layering


OUR_ABOUT = intent(
    "meta.about",
    title="About our team's whoswho",
    questions=["What is this bot and where does its information come from?", "who are you", "who runs this bot"],
    answer="Run by the data platform team.",
)
OUR_ONCALL = intent(
    "team.oncall",
    title="Who is on call for the ML platform",
    questions=["who is on call for the ML platform this week", "ml platform on-call rota"],
    related=["role.ml-engineer"],
)


def test_a_second_folder_overrides_an_intent_and_adds_new_ones(write_knowledge):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [OUR_ABOUT, OUR_ONCALL]}})
    advisor = Advisor.load(folder, with_builtin=True)
    assert len(advisor.knowledge) == len(Advisor.load().knowledge) + 1

    about = advisor.ask("What is this bot and where does its information come from?", conversation_id="layering")
    assert (about.intent, about.title) == ("meta.about", "About our team's whoswho")
    assert [s.key for s in about.sources] == ["notes"]

    oncall = advisor.ask("who is on call for the ML platform this week?", conversation_id="layering")
    assert (oncall.intent, oncall.kind) == ("team.oncall", ReplyKind.ANSWER)
    assert [s.intent for s in oncall.suggestions] == ["role.ml-engineer"]

    assert advisor.ask("what does an ML engineer do at Quora?", conversation_id="other").intent == "quora.ml-engineer"


def test_an_overriding_intent_answers_every_phrasing_it_lists(write_knowledge):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [OUR_ABOUT]}})
    advisor = Advisor.load(folder, with_builtin=True)
    answered = {q: advisor.ask(q, conversation_id=f"layering:{q}").intent for q in OUR_ABOUT["questions"]}
    assert answered == dict.fromkeys(OUR_ABOUT["questions"], "meta.about")


def test_a_layer_may_cite_built_in_sources(write_knowledge):
    folder = write_knowledge({"ours.yml": {"intents": [intent("team.deck", sources=["deck"])]}})
    knowledge = Advisor.load(folder, with_builtin=True).knowledge
    assert knowledge["team.deck"].sources[0].key == "deck"


def test_without_the_built_in_knowledge_a_layer_stands_alone(write_knowledge):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [intent("team.one")]}})
    assert [i.id for i in Advisor.load(folder).knowledge.intents] == ["team.one"]


def test_a_broken_layer_is_reported_over_the_built_in_knowledge(write_knowledge):
    folder = write_knowledge({
        "ours.yml": {"sources": SOURCES, "intents": [intent("team.one", related=["team.nowhere"])]},
    })
    with pytest.raises(KnowledgeError) as caught:
        Advisor.load(folder, with_builtin=True)
    assert [(i.intent, i.field) for i in caught.value.issues] == [("team.one", "related")]


def test_a_missing_folder_is_a_knowledge_error(tmp_path):
    issue = only_issue(load_error(tmp_path / "nowhere"))
    assert "not a folder" in issue.message


# Links: every related id, learning-path step and fit link names an intent on a fitting topic and role


def skill(intent_id: str, role: str, **fields: Any) -> dict[str, Any]:
    return intent(intent_id, topic="skills", role=role, **fields)


def path(role: str, *intents: str) -> dict[str, Any]:
    return {
        "role": role, "title": f"A path to {role}", "intro": "Learn these.", "offer": f"Show me a path to {role}",
        "steps": [{"skill": f"Skill {n}", "means": "what it is", "practise": "how to practise", "intent": i}
                  for n, i in enumerate(intents, start=1)],
        "sources": ["notes"],
    }


def test_a_learning_path_step_names_a_skill_of_the_paths_own_role(write_knowledge):
    folder = write_knowledge({
        "skills.yml": {"sources": SOURCES, "intents": [
            skill("skills.engineering", "ml-engineer"), skill("skills.statistics", "data-scientist"),
            skill("skills.shared", "both"), intent("role.engineer", topic="role", role="ml-engineer"),
        ]},
        "paths.yml": {"paths": [path("ml-engineer", "skills.engineering", "skills.statistics", "skills.shared",
                                     "role.engineer")]},
    })
    error = load_error(folder)
    found = {(issue.file, issue.intent, issue.field) for issue in error.issues}
    assert found == {(str(folder / "paths.yml"), "path 'ml-engineer', step #2", "intent"),
                     (str(folder / "paths.yml"), "path 'ml-engineer', step #4", "intent")}
    assert "paths.yml, intent \"path 'ml-engineer', step #2\", field 'intent': names 'skills.statistics', " \
           "which is about the data-scientist role" in str(error)
    assert "names 'role.engineer', whose topic is 'role'" in str(error)


def test_a_fit_result_for_one_role_links_only_to_that_roles_intents(tmp_path):
    folder = tmp_path / "kb"
    shutil.copytree(builtin_knowledge_dir(), folder)
    data = yaml.safe_load((folder / "fit.yml").read_text())
    results = data["fit"]["results"]
    results["ml-engineer"]["next_skills"].append({"text": "Basic statistics.", "intent": "skills.statistics"})
    results["data-scientist"]["related"].append("role.ml-engineer")
    results["balanced"]["next_skills"].append({"text": "What a data scientist does.", "intent": "role.data-scientist"})
    (folder / "fit.yml").write_text(yaml.safe_dump(data))
    error = load_error(folder)
    found = {(issue.file, issue.intent, issue.field, issue.message.split(",")[0]) for issue in error.issues}
    fit_file = str(folder / "fit.yml")
    assert found == {
        (fit_file, "fit result 'ml-engineer'", "next_skills", "names 'skills.statistics'"),
        (fit_file, "fit result 'data-scientist'", "related", "names 'role.ml-engineer'"),
        (fit_file, "fit result 'balanced'", "next_skills", "names 'role.data-scientist'"),
    }


def test_an_intent_about_one_role_links_to_the_other_role_only_on_its_own_topic(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [
        skill("skills.science", "data-scientist",
              related=["skills.engineering", "role.engineer", "team.both", "team.anyone"]),
        skill("skills.engineering", "ml-engineer", related=["skills.science"]),
        intent("role.engineer", topic="role", role="ml-engineer", related=["skills.science"]),
        intent("team.both", topic="teamwork", role="both"),
        intent("team.anyone"),
    ]}})
    error = load_error(folder)
    assert sorted((issue.intent, issue.field) for issue in error.issues) == [
        ("role.engineer", "related"), ("skills.science", "related")]
    assert "team.yml, intent 'skills.science', field 'related': names 'role.engineer', about the ml-engineer " \
           "role on the 'role' topic" in str(error)


def test_the_built_in_links_all_fit():
    knowledge = KnowledgeBase.load()
    engineer_path = knowledge.paths["ml-engineer"]
    assert {knowledge[step.intent].role for step in engineer_path.steps if step.intent} <= {"ml-engineer", "both"}
    assert knowledge.fit is not None
    assert {knowledge[s.intent].role for s in knowledge.fit.results["ml-engineer"].next_skills} == {"ml-engineer"}


def test_small_talk_may_cite_nothing_but_an_answer_must(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [
        intent("meta.hello", topic="meta", sources=[]),
        intent("team.one", sources=[]),
    ]}})
    issue = only_issue(load_error(folder))
    assert (issue.intent, issue.field) == ("team.one", "sources")
    assert "at least one source" in issue.message
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("meta.hello", topic="meta",
                                                                                   sources=[])]}}, folder="ok")
    assert KnowledgeBase.load(folder)["meta.hello"].sources == ()


def test_an_outside_topic_is_checked_like_an_intent(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one")], "outside": [
        {"id": "outside.pay", "title": "Pay", "answer": "The sources say nothing about pay.",
         "questions": ["how much does it pay"], "related": ["team.one", "team.nowhere"]},
        {"id": "outside.perks", "title": "Perks", "answer": "Nothing on perks.", "questions": [], "colour": "red"},
        {"id": "team.one", "title": "Twice", "answer": "An intent's id.", "questions": ["twice"]},
    ]}})
    found = {(issue.intent, issue.field, issue.message.split(" (")[0]) for issue in load_error(folder).issues}
    assert found == {
        ("outside.pay", "related", "names 'team.nowhere', which is not an intent"),
        ("outside.perks", "questions", "has no questions; give the phrasings people would type"),
        ("outside.perks", "colour", "is not a known field"),
        ("team.one", "id", "is also the id of an intent"),
    }


def test_an_intent_may_not_list_itself_as_related(write_knowledge):
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one", related=["team.one"])]}})
    issue = only_issue(load_error(folder))
    assert (issue.intent, issue.field, issue.message) == ("team.one", "related", "lists the intent itself")


def test_an_advisor_loads_within_the_limits_it_is_given_and_keeps_them_for_a_reload(write_knowledge):
    long = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [
        intent("team.one", answer="x" * (MAX_ANSWER_CHARS + 1))]}})
    with pytest.raises(KnowledgeError):
        Advisor.load(long, limits=LIMITS)
    assert Advisor.load(long).limits == TextLimits()
    folder = write_knowledge({"team.yml": {"sources": SOURCES, "intents": [intent("team.one")]}}, folder="ok")
    advisor = Advisor.load(folder, limits=LIMITS)
    assert advisor.limits == LIMITS
    assert advisor.reloaded(KnowledgeBase.load(folder, limits=advisor.limits)).limits == LIMITS


# The platforms' limits: knowledge served anywhere keeps within the tightest platform's


def test_whoswho_check_names_an_answer_longer_than_a_platform_shows(capsys, write_knowledge, monkeypatch):
    from adapters.cli import main
    from adapters.platforms import knowledge_limits
    from adapters.slack.render import KNOWLEDGE_LIMITS

    assert knowledge_limits() == KNOWLEDGE_LIMITS == LIMITS
    monkeypatch.setenv("WHOSWHO_SEMANTIC", "0")
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [
        intent("team.long", answer="x" * (MAX_ANSWER_CHARS + 1))]}})
    assert main(["check", str(folder)]) == 1
    assert f"intent 'team.long', field 'answer': is {MAX_ANSWER_CHARS + 1} characters; the limit is " \
           f"{MAX_ANSWER_CHARS}" in capsys.readouterr().err


async def test_a_reload_keeps_the_limits_the_served_knowledge_was_loaded_within(write_knowledge):
    from adapters.serve.reload import KnowledgeReloader
    from adapters.turn import Turns

    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [intent("team.one")]}})
    turns = Turns(Advisor.load(folder, limits=LIMITS))
    reloader = KnowledgeReloader(turns, [folder])
    (folder / "ours.yml").write_text(yaml.safe_dump(
        {"sources": SOURCES, "intents": [intent("team.one", answer="x" * (MAX_ANSWER_CHARS + 1))]}))
    assert await reloader.reload("a test") is False
    assert reloader.last_error is not None and f"the limit is {MAX_ANSWER_CHARS}" in reloader.last_error
    (folder / "ours.yml").write_text(yaml.safe_dump({"sources": SOURCES, "intents": [intent("team.two")]}))
    assert await reloader.reload("a test") is True
    assert [i.id for i in turns.advisor.knowledge.intents] == ["team.two"] and turns.advisor.limits == LIMITS
