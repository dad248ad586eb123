"""Discord load: bursts of slash-command interactions through the fake gateway, timed to their callbacks.

    python benchmarks/discord_load.py [--sizes 1 100 500] [--runs 3]

A real discord.py client runs whoswho against the test suite's fake Discord (REST and gateway on
127.0.0.1, tests/adapters/discord/conftest.py). Each burst sends N INTERACTION_CREATE events as fast
as the websocket takes them; the time of one interaction runs from its event being sent to its
callback reaching the fake REST API. Everything runs in one process on one core, so the fake's own
work is counted against the bot: the figures are an upper bound.
"""

from __future__ import annotations

import argparse
import asyncio
import copy
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import discord
import yarl

from bot import Advisor

FAKE = Path(__file__).resolve().parent.parent / "tests" / "adapters" / "discord" / "conftest.py"
QUESTIONS = [
    "what does an ML engineer do at Quora", "DS vs MLE?", "what skills does a data scientist need",
    "how do data scientists and ML engineers work together", "which role fits me", "how much do they earn",
]


def load_fake():
    spec = importlib.util.spec_from_file_location("discord_fake", FAKE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module


async def burst(fake, template: dict, size: int) -> tuple[list[float], float]:
    sent: dict[str, float] = {}
    paths = []
    start = time.perf_counter()
    for number in range(size):
        interaction = copy.deepcopy(template)
        interaction["id"], interaction["token"] = fake.new_id(), f"token-{fake.new_id()}"
        interaction["member"]["user"]["id"] = str(1_250_000_000_000_000_000 + number)  # N people, N conversations
        interaction["data"]["options"][0]["value"] = QUESTIONS[number % len(QUESTIONS)]
        path = f"/interactions/{interaction['id']}/{interaction['token']}/callback"
        paths.append(path)
        sent[path] = time.perf_counter()
        await fake.dispatch("INTERACTION_CREATE", interaction)
    wanted = set(paths)
    await fake.wait_for(lambda: wanted <= {r.path for r in fake.requests[-size * 2:]}, timeout=60)
    arrived = {r.path: r.at for r in fake.requests if r.path in wanted}
    latencies = [arrived[p] - sent[p] for p in paths]
    return latencies, max(arrived.values()) - start


async def measure(sizes: list[int], runs: int) -> list[dict]:
    conftest = load_fake()
    fake = await conftest.FakeDiscord().start()
    discord.http.Route.BASE = fake.api_url
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(fake.gateway_url)
    advisor = Advisor.load()
    with tempfile.TemporaryDirectory() as scratch:
        bot = await conftest.start_bot(advisor, state_file=Path(scratch) / "state.json")
        template = conftest.payload("interaction_command")
        await burst(fake, template, 20)  # warm-up
        results = []
        for size in sizes:
            rows = []
            for _ in range(runs):
                latencies, wall = await burst(fake, template, size)
                ordered = sorted(latencies)
                rows.append({
                    "p50": statistics.median(ordered) * 1000,
                    "p99": ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))] * 1000,
                    "max": ordered[-1] * 1000,
                    "rate": size / wall,
                })
            results.append({"size": size, **{k: statistics.median(r[k] for r in rows) for k in rows[0]},
                            "worst": max(r["max"] for r in rows)})
        await bot.stop()
    await fake.close()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 500])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    results = asyncio.run(measure(args.sizes, args.runs))
    print(f"Python {sys.version.split()[0]}, discord.py {discord.__version__}, medians of {args.runs} runs, one core")
    print("| burst | interactions/s | callback p50 (ms) | callback p99 (ms) | slowest (ms) |")
    print("|---:|---:|---:|---:|---:|")
    for row in results:
        print(f"| {row['size']} | {row['rate']:,.0f} | {row['p50']:.1f} | {row['p99']:.1f} | {row['worst']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
