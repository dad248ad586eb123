"""`whoswho insights` over a scripted set of records: the counts, the fallback groups, every format, the patch."""

from __future__ import annotations

import json
import re
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
    # The group's likely intent, with the model's score for it (how sure, not a fixed figure).
    assert re.search(r"\n +2 +Moving between the roles +0\.9\d\b", out)
    assert "how do I move from data science to ML engineering" in out
    assert "(+1 without stored text)" in out
    assert "quora.ml-engineer" not in out and "advice.switch-roles" not in out, "titles, not ids"


def test_markdown_for_a_wiki(records_url, capsys):
    out = insights(capsys, "--database", records_url, "--format", "markdown")
    assert out.startswith("# whoswho insights")
    assert "| fallback | 5 | 50% |" in out
    assert "| What an ML engineer does at Quora | 2 | 4 | 50% |" in out
    assert re.search(r"\| 2 \| Moving between the roles \| 0\.9\d \|", out)
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


# what a team lead reads


def test_topics_are_named_by_their_titles_in_every_format(records_url, capsys, tmp_path, advisor):
    page = tmp_path / "report.html"
    table = insights(capsys, "--database", records_url, "--html", str(page))
    markdown = insights(capsys, "--database", records_url, "--format", "markdown")
    html = page.read_text(encoding="utf-8")
    for shown in (table, markdown, html):
        for intent in ("quora.ml-engineer", "role.compare", "advice.switch-roles"):
            assert intent not in shown
            assert advisor.knowledge[intent].title in shown
    from adapters.insights.cli import chat_summary

    summary = chat_summary(records_url, advisor)  # what /whoswho-admin insights posts
    assert "Most asked: What an ML engineer does at Quora (2)" in summary
    assert "quora.ml-engineer" not in summary
    data = json.loads(insights(capsys, "--database", records_url, "--format", "json"))
    assert data["titles"]["quora.ml-engineer"] == "What an ML engineer does at Quora"  # tools keep the ids


def test_times_read_as_people_read_them_without_microseconds(one_day_url, capsys):
    table = insights(capsys, "--database", one_day_url)
    assert table.startswith("4 questions on Mon 6 May 2024, 09:05 to 17:59 UTC\n")
    data = json.loads(insights(capsys, "--database", one_day_url, "--format", "json"))
    assert (data["first"], data["last"]) == ("2024-05-06T09:05:12+00:00", "2024-05-06T17:59:59+00:00")
    html = insights(capsys, "--database", one_day_url, "--format", "markdown")
    for shown in (table, html, json.dumps(data)):
        assert ".345678" not in shown and "999999" not in shown and "T09:05:12.3" not in shown


def test_one_day_is_counted_by_hour(one_day_url, capsys, tmp_path):
    page = tmp_path / "day.html"
    table = insights(capsys, "--database", one_day_url, "--html", str(page))
    assert "Questions per hour, Mon 6 May 2024 (UTC)\n  hour   questions\n" in table
    assert "  09:00  2\n  13:00  1\n  17:00  1\n" in table
    data = json.loads(insights(capsys, "--database", one_day_url, "--format", "json"))
    assert len(data["per_hour"]) == 24 and data["per_hour"]["09"] == 2 and data["per_hour"]["10"] == 0
    html = page.read_text(encoding="utf-8")
    assert '<svg id="chart-hours"' in html and '<svg id="chart-days"' not in html
    hours = html[html.index('<svg id="chart-hours"'):]
    hours = hours[:hours.index("</svg>")]
    assert hours.count('<rect class="bar"') == 24 and "<title>09:00: 2</title>" in hours


def test_a_long_example_is_cut_and_the_page_keeps_it_whole_behind_a_toggle(one_day_url, capsys, tmp_path):
    from tests.adapters.insights.conftest import LONG

    page = tmp_path / "day.html"
    table = insights(capsys, "--database", one_day_url, "--html", str(page))
    [row] = [line for line in table.splitlines() if "backend developer" in line]
    example = row[row.index("I have been"):]
    assert example.endswith("…") and 100 <= len(example) <= 121 and LONG.startswith(example[:-1])
    markdown = insights(capsys, "--database", one_day_url, "--format", "markdown")
    assert LONG not in markdown and "I have been a backend developer" in markdown
    html = page.read_text(encoding="utf-8")
    assert f"<details><summary>{example}</summary><p>{LONG}</p></details>" in html
    assert "<details><summary>what does" not in html, "a short example needs no toggle"


def test_each_heading_names_the_table_under_it(records_url, capsys, tmp_path):
    page = tmp_path / "report.html"
    lines = insights(capsys, "--database", records_url, "--html", str(page)).splitlines()
    expected = {"Outcomes": "outcome", "Questions per platform": "platform", "Questions per day": "day",
                "Most asked topics": "topic", "Least helpful answers": "answer",
                "Unanswered questions, grouped": "questions"}
    for heading, column in expected.items():
        assert lines[lines.index(heading) + 1].split()[0] == column, heading
    assert not any("votes)" in line and not line.startswith(" ") for line in lines), "no count in a heading"
    html = page.read_text(encoding="utf-8")
    assert "<h2>Questions per platform</h2><table><thead><tr><th>platform</th>" in html
    assert "<h2>Least helpful answers</h2><table><thead><tr><th>answer</th>" in html
    assert "<h2>Unanswered questions, grouped</h2><table><thead><tr><th>questions</th><th>likely topic</th>" \
        "<th>confidence</th>" in html


def test_the_fit_check_steps_are_counted_apart_from_questions(fresh_advisor, tmp_path, capsys):
    import io

    from adapters.records import Records, RecordsSettings
    from adapters.terminal import run_chat
    from adapters.turn import Turns

    url = f"sqlite:///{tmp_path / 'fit.sqlite3'}"
    records = Records(RecordsSettings(database_url=url, salt="s"))
    typed = iter(["fit", "2", "2", "2", "2", "2", "3", "2", "what does an ML engineer do at Quora?", "quit"])
    try:
        run_chat(Turns(fresh_advisor, records=records), read=lambda _: next(typed), out=io.StringIO(),
                 conversation_id="t:fit")
        assert records.flush()
    finally:
        records.close()
    data = json.loads(insights(capsys, "--database", url, "--format", "json"))
    assert data["fit_check"] == {"steps": 8, "results": 1}
    assert data["total"] == 1 and data["outcomes"]["answer"] == 1
    assert [row["intent"] for row in data["top_intents"]] == ["quora.ml-engineer"]
    assert data["unanswered_groups"] == []
    table = insights(capsys, "--database", url)
    assert table.splitlines()[1] == "8 fit-check steps (1 result shown), not counted as questions"
