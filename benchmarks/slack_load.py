"""Slack load: N concurrent signed `/whoswho` commands against `whoswho slack` in HTTP mode on loopback.

    python benchmarks/slack_load.py [--sizes 1 50 200] [--runs 5] [--json]

The server (Bolt's AsyncApp behind aiohttp, exactly what `whoswho slack` serves) runs in a child
process pinned to one CPU; the client runs in this process, pinned to another CPU when there is one.
A tiny fake Web API answers the one lazy `auth.test`; commands are answered in the ack, so no other
Web API call is made. For each size, every run fires N commands at once (each signed like Slack
signs them, with distinct users and questions) and times each from send to the ack's full body.
Reported per size: commands per second (N over the wall time of the burst), ack latency p50 and p99
(over all commands of all runs) and the share acked under 3 s. A warm-up burst precedes the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

from aiohttp import ClientSession, ClientTimeout, TCPConnector, web
from slack_sdk.signature import SignatureVerifier

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TOKEN = "xoxb-1111-2222-benchmarktoken"
QUESTIONS = [
    "what does an ML engineer do at Quora", "DS vs MLE?", "what skills does a data scientist need",
    "how do data scientists and ML engineers work together", "which role fits me", "wat does an mle do all day",
    "what are the four types of data science jobs", "how much do ML engineers earn", "help",
    "what tools does a data scientist use",
]


def _pin(cpu: int) -> None:
    if hasattr(os, "sched_setaffinity") and cpu < (os.cpu_count() or 1):
        os.sched_setaffinity(0, {cpu})


async def _serve(port_file: Path) -> None:
    """The child: a fake auth.test and the whoswho app in HTTP mode; writes both ports, runs until killed."""
    from adapters.slack import SlackSettings, build_app
    from adapters.slack.server import start_http
    from bot import Advisor

    async def auth_test(request: web.Request) -> web.Response:
        return web.json_response({"ok": True, "team_id": "T0001", "user_id": "UBOT", "bot_id": "BBOT",
                                  "team": "Bench", "user": "whoswho", "url": "https://bench.slack.com/"})

    fake = web.Application()
    fake.add_routes([web.post("/api/auth.test", auth_test)])
    fake_runner = web.AppRunner(fake, access_log=None)
    await fake_runner.setup()
    await web.TCPSite(fake_runner, "127.0.0.1", 0).start()
    api = f"http://127.0.0.1:{fake_runner.addresses[0][1]}/api/"
    settings = SlackSettings(bot_token=TOKEN, signing_secret=SECRET, api_url=api)
    runner, port = await start_http(build_app(settings, Advisor.load()), host="127.0.0.1", port=0)
    port_file.write_text(str(port))
    await asyncio.Event().wait()
    await runner.cleanup()


def _command(number: int) -> tuple[str, dict[str, str]]:
    body = urlencode({
        "token": "verification", "team_id": "T0001", "team_domain": "bench", "channel_id": "C0001",
        "channel_name": "mentoring", "user_id": f"U{number:08d}", "user_name": f"user{number}",
        "command": "/whoswho", "text": QUESTIONS[number % len(QUESTIONS)], "api_app_id": "A0001",
        "response_url": "http://127.0.0.1:9/unused", "trigger_id": f"{number}.1.abc",
    })
    stamp = str(int(time.time()))
    return body, {
        "Content-Type": "application/x-www-form-urlencoded",
        "X-Slack-Request-Timestamp": stamp,
        "X-Slack-Signature": SignatureVerifier(SECRET).generate_signature(timestamp=stamp, body=body),
    }


async def _burst(session: ClientSession, url: str, size: int, offset: int) -> tuple[float, list[float]]:
    requests = [_command(offset + i) for i in range(size)]  # signed before the clock starts

    async def one(body: str, headers: dict[str, str]) -> float:
        started = time.perf_counter()
        async with session.post(url, data=body, headers=headers) as response:
            payload = await response.read()
            if response.status != 200 or b'"blocks"' not in payload:
                raise RuntimeError(f"command not answered: HTTP {response.status} {payload[:200]!r}")
        return time.perf_counter() - started

    started = time.perf_counter()
    latencies = await asyncio.gather(*(one(b, h) for b, h in requests))
    return time.perf_counter() - started, list(latencies)


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


async def _measure(port: int, sizes: list[int], runs: int) -> list[dict[str, float]]:
    url = f"http://127.0.0.1:{port}/slack/events"
    rows = []
    async with ClientSession(connector=TCPConnector(limit=0), timeout=ClientTimeout(total=30)) as session:
        await _burst(session, url, 50, 0)  # warm-up: connections, auth.test, caches
        offset = 1000
        for size in sizes:
            walls, latencies = [], []
            for _ in range(runs):
                wall, times = await _burst(session, url, size, offset)
                offset += size
                walls.append(wall)
                latencies += times
            rows.append({
                "n": size, "runs": runs,
                "commands_per_s": statistics.median(size / w for w in walls),
                "ack_p50_ms": 1000 * _percentile(latencies, 0.50),
                "ack_p99_ms": 1000 * _percentile(latencies, 0.99),
                "ack_max_ms": 1000 * max(latencies),
                "acked_under_3s": sum(t < 3 for t in latencies) / len(latencies),
            })
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 50, 200])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        _pin(0)
        asyncio.run(_serve(args.serve))
        return 0
    import subprocess
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        port_file = Path(folder) / "port"
        env = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_")}
        server = subprocess.Popen([sys.executable, __file__, "--serve", str(port_file)], env=env, cwd=ROOT)
        try:
            deadline = time.monotonic() + 30
            while not port_file.exists() or not port_file.read_text():
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("the server did not start")
                time.sleep(0.05)
            _pin(1)
            rows = asyncio.run(_measure(int(port_file.read_text()), args.sizes, args.runs))
        finally:
            server.terminate()
            server.wait(10)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"# {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
          f"CPython {platform.python_version()}, server pinned to one CPU, {args.runs} runs per size")
    print("| concurrent commands | commands/s | ack p50 (ms) | ack p99 (ms) | ack max (ms) | acked under 3 s |")
    print("|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        print(f"| {row['n']} | {row['commands_per_s']:,.0f} | {row['ack_p50_ms']:.1f} | {row['ack_p99_ms']:.1f} "
              f"| {row['ack_max_ms']:.1f} | {row['acked_under_3s']:.0%} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
