"""`whoswho insights` over a scripted set of records: the counts, the fallback groups, every format, the patch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from adapters.cli import main
from adapters.insights import build_report, read_records, suggest
from bot import Advisor

BECOME = ["How can I move from data science into ML engineering?", "how do I move from data science to ML engineering"]
EARN = ["how much do data scientists earn in munich", "how much does a data scientist earn in berlin"]
LUNCH = ["lunch anyone? I am starving today"]


@pytest.fixture(autouse=True)
def _no_platform_env(monkeypatch, tmp_path):
    monkeypatch.delenv("WHOSWHO_DATABASE_URL", raising=False)
    monkeypatch.delenv("WHOSWHO_KNOWLEDGE", raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))


def insights(capsys, *args: str) -> str:
    assert main(["insights", *args]) == 0
    return capsys.readouterr().out


def test_the_report_counts_and_groups_the_unanswered(records_url, advisor: Advisor):
    report = build_report(*read_records(records_url), advisor=advisor)
    assert report.total == 10
    assert report.per_day == {"2024-05-01": 5, "2024-05-02": 5}
    assert report.per_platform == {"slack": 5, "discord": 3, "terminal": 2}
    assert report.outcomes == {"answer": 3, "clarify": 2, "fallback": 5}
    assert report.rate("fallback") == 0.5
    assert report.top_intents == [("quora.ml-engineer", 2), ("role.compare", 1)]
    assert report.votes == 5
    assert report.least_helpful == [("quora.ml-engineer", 4, 2)]  # role.compare: only helpful votes
    assert [sorted(g.texts) for g in report.groups] == [BECOME, EARN, LUNCH]
    assert [g.count for g in report.groups] == [2, 2, 1]
    become, earn, _ = report.groups
    assert become.likely_intent == "advice.switch-roles" and become.score > advisor.settings.clarify_threshold
    assert earn.likely_intent is None  # salaries are a known out-of-scope topic: no intent to add them to
    assert report.unanswered_without_text == 1  # the fallback stored without its text


def test_the_terminal_table_is_the_default(records_url, capsys):
    out = insights(capsys, "--database", records_url)
    assert out.startswith("10 questions from Wed 1 May 2024, 09:00 to Thu 2 May 2024, 15:30 UTC\n")
    assert "fallback  5          50%" in out
    assert "What an ML engineer does at Quora                           2" in out
    assert "What an ML engineer does at Quora  2            4      50%" in out
    assert "2          Moving between the roles  0.97" in out
    assert "how do I move from data science to ML engineering" in out
    assert "(+1 without stored text)" in out
    assert "quora.ml-engineer" not in out and "advice.switch-roles" not in out, "titles, not ids"


def test_markdown_for_a_wiki(records_url, capsys):
    out = insights(capsys, "--database", records_url, "--format", "markdown")
    assert out.startswith("# whoswho insights")
    assert "| fallback | 5 | 50% |" in out
    assert "| What an ML engineer does at Quora | 2 | 4 | 50% |" in out
    assert "| 2 | Moving between the roles | 0.97 |" in out
    assert "| 1 | - | - | lunch anyone? I am starving today |" in out
    assert "| Wed 1 May 2024 | 5 |" in out


def test_json_for_tools(records_url, capsys):
    data = json.loads(insights(capsys, "--database", records_url, "--format", "json"))
    assert data["total"] == 10
    assert data["outcomes"] == {"answer": 3, "clarify": 2, "fallback": 5}
    assert data["rates"]["clarify"] == 0.2
    assert data["per_platform"] == {"slack": 5, "discord": 3, "terminal": 2}
    assert data["least_helpful"] == [{"intent": "quora.ml-engineer", "votes": 4, "not_helpful": 2, "share": 0.5}]
    groups = data["unanswered_groups"]
    assert [(g["count"], g["likely_intent"]) for g in groups] == [(2, "advice.switch-roles"), (2, None), (1, None)]
    assert sorted(groups[0]["examples"]) == BECOME


def test_the_database_comes_from_the_environment_else_the_data_folder(records_url, capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("WHOSWHO_DATABASE_URL", records_url)
    assert json.loads(insights(capsys, "--format", "json"))["total"] == 10
    monkeypatch.delenv("WHOSWHO_DATABASE_URL")
    assert main(["insights"]) == 1  # nothing at DATA_DIR/whoswho.sqlite3 yet
    assert "nothing recorded yet" in capsys.readouterr().err
    assert not (tmp_path / "data" / "whoswho.sqlite3").exists()  # and reading did not create it
    assert main(["insights", "--database", "not a url"]) == 2
    assert "--database" in capsys.readouterr().err


def test_suggest_writes_a_yaml_patch_and_leaves_the_knowledge_alone(records_url, capsys, tmp_path, advisor):
    target = tmp_path / "patch.yml"
    assert main(["insights", "--database", records_url, "--suggest", str(target)]) == 0
    patch = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert patch == {
        "advice.switch-roles": BECOME,  # a fallback group that likely belongs there
        "role.compare": ["ds or mle, what's different"],  # clarified, then picked
    }
    assert yaml.safe_load(insights(capsys, "--database", records_url, "--suggest")) == patch
    assert target.read_text(encoding="utf-8").startswith("# whoswho insights --suggest")


def test_suggest_leaves_out_phrasings_an_intent_already_has(records_url, advisor):
    report = build_report(*read_records(records_url), advisor=advisor)
    known = advisor.knowledge.intents[0]
    report.picks.append((known.questions[0], known.id))
    assert known.questions[0] not in suggest(report, advisor).get(known.id, [])


def test_the_html_page_is_self_contained(records_url, capsys, tmp_path):
    page = tmp_path / "report.html"
    insights(capsys, "--database", records_url, "--html", str(page))
    html = page.read_text(encoding="utf-8")
    for chart in ("chart-days", "chart-outcomes", "chart-intents"):
        assert f'<svg id="{chart}"' in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<link" not in html


def test_an_empty_database_reports_nothing_yet(tmp_path: Path, capsys):
    from sqlalchemy import create_engine

    from adapters.records import schema

    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    schema.metadata.create_all(create_engine(url))
    assert "No questions recorded yet." in insights(capsys, "--database", url)
    assert json.loads(insights(capsys, "--database", url, "--format", "json"))["total"] == 0
