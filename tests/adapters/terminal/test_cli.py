"""The ``whoswho`` command as people run it: ask, topics, check, eval, and settings from the environment."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from adapters.cli import main

SOURCES = {"notes": {"title": "Team notes"}}
ONCALL = {
    "id": "team.oncall",
    "title": "Who is on call for the ML platform",
    "questions": ["who is on call for the ML platform this week", "ml platform on-call rota"],
    "answer": "Ask in #ml-platform; the rota is pinned there.",
    "sources": ["notes"],
}


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("WHOSWHO_KNOWLEDGE", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))  # `chat` records there
    monkeypatch.delenv("NO_COLOR", raising=False)


@pytest.fixture
def broken_knowledge(write_knowledge):
    return write_knowledge({
        "ours.yml": {
            "sources": SOURCES,
            "intents": [
                {**ONCALL, "related": ["team.nowhere"]},
                {**ONCALL, "id": "team.rota", "questions": ["rota"], "sources": ["nowhere"]},
            ],
        },
        "typo.yml": "intents: [unclosed\n",
    }, folder="broken")


def write_cases(path: Path, *cases: dict) -> Path:
    path.write_text("".join(json.dumps(case) + "\n" for case in cases), encoding="utf-8")
    return path


# ask


def test_ask_json_prints_the_reply_as_one_object(capsys):
    assert main(["ask", "what", "does", "an", "MLE", "do", "at", "quora", "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert {"intent", "confidence", "kind", "text", "sources", "suggestions"} <= reply.keys()
    assert (reply["intent"], reply["kind"]) == ("quora.ml-engineer", "answer")
    assert 0.0 <= reply["confidence"] <= 1.0
    assert reply["text"].startswith("What an ML engineer does at Quora")
    assert any("who's who?" in source["title"] for source in reply["sources"])
    assert {"label", "query", "intent"} <= reply["suggestions"][0].keys()
    assert "quora.data-scientist" in [s["intent"] for s in reply["suggestions"]]


def test_ask_without_json_prints_the_rendered_reply(capsys):
    assert main(["ask", "DS vs MLE?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("The difference between a data scientist and an ML engineer")
    assert "Source: " in out
    assert "\x1b[" not in out, "captured output is not a terminal, so no colour"


def test_ask_out_of_scope_prints_a_fallback(capsys):
    assert main(["ask", "what's the weather like today", "--json"]) == 0
    reply = json.loads(capsys.readouterr().out)
    assert (reply["kind"], reply["intent"]) == ("fallback", None)


# topics


def test_topics_lists_each_topic_with_an_example_question(capsys, advisor):
    assert main(["topics"]) == 0
    out = capsys.readouterr().out
    for heading in ("Roles", "Quora example", "Jobs", "Skills", "Advice"):
        assert heading in out.splitlines()
    for intent in advisor.knowledge.intents:
        if intent.topic == "meta":
            assert intent.title not in out
        else:
            assert intent.title in out
            assert f'e.g. "{intent.questions[0]}"' in out


def test_topics_of_another_knowledge_folder_get_a_heading_of_their_own(capsys, write_knowledge):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [{**ONCALL, "topic": "on-call"}]}})
    assert main(["--knowledge", str(folder), "topics"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[lines.index("On-call") + 1].startswith(f"  {ONCALL['title']}  ")
    assert lines.count("Roles") == 1 and lines[-1].startswith("  A learning path to ")


def whoswho(*args: str, stdin: str = "", environ: dict[str, str] | None = None, cwd: Path | None = None) -> str:
    """Run the installed command (or the module) with ``stdin``; its standard output."""
    script = shutil.which("whoswho", path=str(Path(sys.executable).parent)) or shutil.which("whoswho")
    command = [script] if script else [sys.executable, "-m", "adapters.cli"]
    env = {key: value for key, value in os.environ.items() if not key.startswith("WHOSWHO_")}
    done = subprocess.run([*command, *args], input=stdin, env={**env, **(environ or {})}, cwd=cwd,
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_topics_are_grouped_as_help_groups_them_and_aligned(advisor, tmp_path):
    out = whoswho("topics", environ={"WHOSWHO_DATA_DIR": str(tmp_path)})
    lines = out.splitlines()
    assert lines[0] == "Roles", "no blank line before the first heading"
    headings = [line for line in lines if line and not line.startswith(" ")]
    assert headings == ["Roles", "Quora example", "Jobs", "Skills", "Advice", "Fit check", "Learning paths"]
    help_reply = advisor.ask("help", conversation_id="topics:help").text
    for heading in headings:
        assert f"{heading}:" in help_reply, f"help does not list {heading!r}"
    rows = [line for line in lines if line.startswith("  ")]
    columns = {line.index(' e.g. "') if ' e.g. "' in line else line.index(' type "') for line in rows}
    assert len(columns) == 1, "every example starts in the same column"
    section = {heading: [] for heading in headings}
    current = ""
    for line in lines:
        if line in section:
            current = line
        elif line.strip():
            section[current].append(line.strip())
    quora = section["Quora example"]
    assert any(row.startswith("What an ML engineer does at Quora ") for row in quora)
    assert any(row.startswith("How data scientists and ML engineers work together ") for row in quora)
    assert not any("Quora" in row.split("  ")[0] for row in section["Roles"])
    [fit] = section["Fit check"]
    assert fit.startswith(f"{len(advisor.knowledge.fit.questions)} quick questions on which role your interests ")
    assert fit.endswith('type "fit"')
    for row in section["Learning paths"]:
        title, example = row.split('  e.g. "')
        assert advisor.ask(example.rstrip('"'), conversation_id="topics:path").title == title.strip()


def test_the_chat_banner_names_the_fit_check_the_paths_and_where_questions_are_recorded(tmp_path):
    data = tmp_path / "data"
    out = whoswho("chat", stdin="quit\n", environ={"WHOSWHO_DATA_DIR": str(data)}, cwd=tmp_path)
    banner = out.split("\n> ")[0]
    assert banner.startswith("whoswho: ask about data scientists and machine-learning engineers.\n")
    assert "Type 'fit' for the fit check: 7 quick questions on which role suits you." in banner
    assert "Type 'learning path to data scientist' or 'learning path to ML engineer' for a step-by-step " \
        "learning path." in banner
    assert f"Questions are recorded in {data / 'whoswho.sqlite3'} for the people who curate the answers; " \
        "start whoswho with WHOSWHO_STORE_QUESTIONS=0 to record them without their words." in banner
    assert (data / "whoswho.sqlite3").exists(), "the banner names the file the chat records in"

    out = whoswho("chat", stdin="quit\n", environ={"WHOSWHO_DATA_DIR": str(data), "WHOSWHO_STORE_QUESTIONS": "0"})
    assert f"Questions are recorded in {data / 'whoswho.sqlite3'} without their words " \
        "(WHOSWHO_STORE_QUESTIONS=0)." in out


def test_what_the_banner_says_to_type_works(tmp_path):
    out = whoswho("chat", stdin="fit\nlearning path to ML engineer\nquit\n",
                  environ={"WHOSWHO_DATA_DIR": str(tmp_path), "WHOSWHO_STORE_QUESTIONS": "0"})
    assert "Fit check: question 1 of 7" in out
    assert "\nA learning path to ML engineer\n" in out


# check


def test_check_passes_on_the_built_in_knowledge(capsys, advisor):
    assert main(["check"]) == 0
    ok, learned = capsys.readouterr().out.strip().splitlines()
    topics = len(advisor.knowledge.outside)
    assert ok == f"ok: {len(advisor.knowledge)} intents and {topics} out-of-scope topics in 1 folder"
    rate = float(learned.split("phrasings: ")[1].split("%")[0])
    assert learned.startswith("decision learned from ") and 75 < rate <= 100


def test_check_accepts_a_valid_layer(capsys, write_knowledge, advisor):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [ONCALL]}})
    assert main(["check", str(folder)]) == 0
    ok, learned = capsys.readouterr().out.strip().splitlines()
    assert ok == f"ok: {len(advisor.knowledge) + 1} intents and {len(advisor.knowledge.outside)} out-of-scope " \
        "topics in 2 folders"
    assert "cross-validation" in learned


def test_check_reports_every_problem_with_file_intent_and_field(capsys, broken_knowledge):
    assert main(["check", str(broken_knowledge)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("3 problems in the knowledge base")
    ours = broken_knowledge / "ours.yml"
    assert f"{ours}, intent 'team.oncall', field 'related'" in err
    assert "team.nowhere" in err
    assert f"{ours}, intent 'team.rota', field 'sources'" in err
    assert f"{broken_knowledge / 'typo.yml'}:" in err
    assert "not valid YAML" in err


def test_check_only_ignores_the_built_in_knowledge(capsys, write_knowledge):
    folder = write_knowledge({"ours.yml": {"intents": [{**ONCALL, "sources": ["deck"]}]}})
    assert main(["check", str(folder)]) == 0
    capsys.readouterr()
    assert main(["check", "--only", str(folder)]) == 1
    assert "'deck', which is not a known source" in capsys.readouterr().err


def test_check_reads_the_folders_of_whoswho_knowledge(capsys, monkeypatch, broken_knowledge):
    monkeypatch.setenv("WHOSWHO_KNOWLEDGE", str(broken_knowledge))
    assert main(["check"]) == 1
    assert "team.oncall" in capsys.readouterr().err


# eval


def test_eval_passes_above_the_floor(capsys, tmp_path):
    cases = write_cases(
        tmp_path / "cases.jsonl",
        {"q": "what does an MLE do at quora", "intent": "quora.ml-engineer"},
        {"q": "tell me a joke", "intent": None},
        {"turns": [["what does an ML engineer do?", "role.ml-engineer"], ["how about at Quora?", "quora.ml-engineer"]]},
    )
    assert main(["eval", str(cases), "--min", "0.9"]) == 0
    out = capsys.readouterr().out
    assert "cases: 4 (3 in scope, 1 out of scope)" in out
    assert "overall:               100.0%" in out


def test_eval_fails_below_the_floor_and_lists_the_misses(capsys, tmp_path):
    cases = write_cases(
        tmp_path / "cases.jsonl",
        {"q": "what does an MLE do at quora", "intent": "quora.ml-engineer"},
        {"q": "what does a data scientist do", "intent": "role.ml-engineer"},
    )
    assert main(["eval", str(cases), "--min", "0.9", "--misses"]) == 1
    captured = capsys.readouterr()
    assert "overall 50.0% is below the floor 90.0%" in captured.err
    assert "role.ml-engineer -> role.data-scientist" in captured.out
    assert "line 2: 'what does a data scientist do' expected ['role.ml-engineer']" in captured.out


def test_eval_json_prints_the_summary(capsys, tmp_path):
    cases = write_cases(tmp_path / "cases.jsonl", {"q": "hi", "intent": "meta.greeting"})
    assert main(["eval", str(cases), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["cases"], summary["overall"], summary["misses"]) == (1, 1.0, [])


def test_eval_names_a_malformed_line(capsys, tmp_path):
    cases = tmp_path / "cases.jsonl"
    cases.write_text('{"q": "hi", "intent": "meta.greeting"}\n{"q": "hi"\n', encoding="utf-8")
    assert main(["eval", str(cases)]) == 2
    assert f"{cases}: line 2: not JSON" in capsys.readouterr().err


def test_eval_of_a_missing_file_says_so(capsys, tmp_path):
    assert main(["eval", str(tmp_path / "nowhere.jsonl")]) == 2
    assert "cannot read" in capsys.readouterr().err


# settings


def test_whoswho_knowledge_adds_a_folder(capsys, monkeypatch, write_knowledge):
    folder = write_knowledge({"ours.yml": {"sources": SOURCES, "intents": [ONCALL]}})
    monkeypatch.setenv("WHOSWHO_KNOWLEDGE", str(folder))
    assert main(["ask", "who is on call for the ML platform this week?", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["intent"] == "team.oncall"


def test_whoswho_knowledge_naming_a_missing_folder_exits_2_naming_the_variable(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("WHOSWHO_KNOWLEDGE", str(tmp_path / "nowhere"))
    assert main(["ask", "hi"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("whoswho: WHOSWHO_KNOWLEDGE:")
    assert "nowhere" in captured.err


def test_a_missing_knowledge_option_folder_exits_2_naming_the_option(capsys, tmp_path):
    assert main(["--knowledge", str(tmp_path / "nowhere"), "topics"]) == 2
    assert "--knowledge" in capsys.readouterr().err


def test_a_broken_layer_stops_ask_with_exit_1(capsys, monkeypatch, broken_knowledge):
    monkeypatch.setenv("WHOSWHO_KNOWLEDGE", str(broken_knowledge))
    assert main(["ask", "hi"]) == 1
    assert capsys.readouterr().err.startswith("whoswho: 3 problems in the knowledge base")


# the installed command


def test_the_installed_command_answers_from_any_folder(tmp_path):
    script = shutil.which("whoswho", path=str(Path(sys.executable).parent)) or shutil.which("whoswho")
    command = [script] if script else [sys.executable, "-m", "adapters.cli"]
    environment = {key: value for key, value in os.environ.items() if not key.startswith("WHOSWHO_")}
    done = subprocess.run(
        [*command, "ask", "what does an MLE do at quora?", "--json"],
        cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=60, check=False,
    )
    assert done.returncode == 0, done.stderr
    reply = json.loads(done.stdout)
    assert (reply["intent"], reply["kind"]) == ("quora.ml-engineer", "answer")
    assert list(tmp_path.iterdir()) == [], "asking writes nothing into the working folder"
