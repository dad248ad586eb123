"""The command line around the platforms: whoswho alone chats, --version, a platform without its extra."""

from __future__ import annotations

import io
import re
import sys

import pytest

from adapters import cli


@pytest.fixture
def quiet_environment(monkeypatch, tmp_path):
    for name in ("WHOSWHO_KNOWLEDGE", "WHOSWHO_REDIS_URL", "WHOSWHO_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WHOSWHO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("WHOSWHO_SEMANTIC", "0")


def test_whoswho_alone_starts_the_chat(quiet_environment, monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", io.StringIO("hi\nquit\n"))
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert out.startswith("whoswho") and out.rstrip().endswith("Bye!")
    assert "Hi" in out or "hello" in out.lower()  # the greeting was answered


def test_version_prints_the_installed_version(capsys):
    with pytest.raises(SystemExit) as ended:
        cli.main(["--version"])
    assert ended.value.code == 0
    assert re.fullmatch(r"whoswho \d+\.\d+\.\d+\S*\n", capsys.readouterr().out)


def test_a_platform_without_its_extra_names_the_extra(quiet_environment, monkeypatch, capsys):
    def missing(*args: object) -> int:
        raise ModuleNotFoundError("No module named 'slack_bolt'", name="slack_bolt")

    original = cli.platforms.spec
    slack = original("slack")
    without = type(slack)(**{**vars(slack), "run": missing})
    monkeypatch.setattr(cli.platforms, "spec", lambda name: without if name == "slack" else original(name))
    assert cli.main(["slack"]) == 2
    err = capsys.readouterr().err
    assert err == "whoswho: slack_bolt is not installed; install whoswho[slack] (see README, section 'Install')\n"
