"""A real redis-server on a free 127.0.0.1 port, in a temporary folder, that a test can stop and start again."""

from __future__ import annotations

import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

#: What redis-server prints once it listens (Redis 6 and 7 alike).
READY = "Ready to accept connections"
START_SECONDS = 10.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class RedisServer:
    """One redis-server process, without persistence; :meth:`stop` and :meth:`start` keep its port."""

    def __init__(self, executable: str, folder: Path) -> None:
        self.executable = executable
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[str] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        """Start the server and return once it accepts connections (its log says so)."""
        assert self.process is None, "already running"
        process = subprocess.Popen(
            [self.executable, "--bind", "127.0.0.1", "--port", str(self.port), "--dir", str(self.folder),
             "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "notice"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        ready = threading.Event()
        output: list[str] = []

        def watch() -> None:
            assert process.stdout is not None
            for line in process.stdout:  # keeps draining the pipe for the server's lifetime
                if len(output) < 200:
                    output.append(line)
                if READY in line:
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        if not ready.wait(START_SECONDS):
            process.kill()
            process.wait()
            raise RuntimeError("redis-server did not start:\n" + "".join(output))
        self.process = process

    def stop(self) -> None:
        """Stop the server (SIGTERM) and wait for it to exit."""
        if self.process is None:
            return
        self.process.terminate()
        self.process.wait(timeout=10)
        self.process = None


@pytest.fixture
def redis_server(require_tool: Callable[[str, str], str], tmp_path: Path) -> Iterator[RedisServer]:
    """A running redis-server of its own for one test; stopped afterwards."""
    executable = require_tool("redis-server", "the Redis store tests")
    server = RedisServer(executable, tmp_path)
    for _attempt in range(3):
        try:
            server.start()
            break
        except RuntimeError:
            # Another process took the free port between the probe and the start: take another.
            server.port = free_port()
    else:
        pytest.fail("redis-server did not start on three free ports")
    try:
        yield server
    finally:
        server.stop()
