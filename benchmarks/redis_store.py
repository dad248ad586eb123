"""Benchmark of the Redis context store: two replicas sharing Redis against one replica in memory.

    python benchmarks/redis_store.py [--runs N] [--conversations N] [--redis-url URL] [--json]

The harness plays the same conversations through both set-ups, each question as a replica serves
it: ``store.count`` for the per-user rate limit, then ``advisor.ask`` (which reads and writes the
conversation's state). With Redis, the questions of a conversation alternate between replica A and
replica B (two advisors, two Redis clients), so every follow-up reaches the replica that did not
see the question before it; in memory, one advisor serves them all. For each set-up and run:

- answers/s: questions per second of the sequential loop, one thread;
- question p50/p99: the whole of one question (count + ask), ``time.perf_counter_ns``;
- store p50/p99: the time spent in the store per question (count + get + put: three Redis round
  trips), measured inside the same questions by a timing wrapper around the store.

Without ``--redis-url`` it starts its own ``redis-server`` (Debian's package) on a free loopback
port, without persistence. The figures are medians across runs, the spread in parentheses. It
also checks that both set-ups gave the same answers, so the shared context really was shared.
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import redis

from adapters.stores.redis import RedisContextStore
from bot import Advisor, ContextStore, ConversationState, MemoryContextStore

#: Conversations as people have them: a question, then follow-ups that need its context.
SCRIPTS = (
    ("what does an ML engineer do?", "what do they need to learn?", "and data scientists?",
     "how do they work together?"),
    ("what's the difference between a DS and an MLE?", "which one fits me?", "where do I start?"),
    ("what does a data scientist do at Quora?", "and ML engineers?", "what skills do they need?"),
    ("what kinds of data science jobs are there?", "the second one", "what do they need to learn?"),
    ("how about at Quora?", "the first one", "and the other role?"),
)


class TimedStore:
    """A store that adds up the time spent in the store it wraps."""

    def __init__(self, store: ContextStore) -> None:
        self.store = store
        self.spent_ns = 0

    def get(self, conversation_id: str) -> ConversationState | None:
        started = time.perf_counter_ns()
        try:
            return self.store.get(conversation_id)
        finally:
            self.spent_ns += time.perf_counter_ns() - started

    def put(self, conversation_id: str, state: ConversationState) -> None:
        started = time.perf_counter_ns()
        try:
            self.store.put(conversation_id, state)
        finally:
            self.spent_ns += time.perf_counter_ns() - started

    def count(self, key: str, *, window_seconds: float) -> int:
        started = time.perf_counter_ns()
        try:
            return self.store.count(key, window_seconds=window_seconds)
        finally:
            self.spent_ns += time.perf_counter_ns() - started


@contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server on a free loopback port; yields its URL."""
    executable = shutil.which("redis-server")
    if executable is None:
        sys.exit("redis-server is not installed (Debian: apt-get install redis-server), or pass --redis-url")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(
            [executable, "--bind", "127.0.0.1", "--port", str(port), "--dir", folder, "--save", "",
             "--appendonly", "no"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        ready = threading.Event()

        def watch() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                if "Ready to accept connections" in line:
                    ready.set()

        threading.Thread(target=watch, daemon=True).start()
        try:
            if not ready.wait(10):
                sys.exit("redis-server did not start")
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            process.wait(timeout=10)


def questions(conversations: int, run: int) -> list[tuple[str, str]]:
    """(conversation id, text) in the order they arrive: conversations interleaved, as in a busy team."""
    scripts = [SCRIPTS[n % len(SCRIPTS)] for n in range(conversations)]
    arrived = []
    for turn in range(max(len(s) for s in scripts)):
        for n, script in enumerate(scripts):
            if turn < len(script):
                arrived.append((f"bench:{run}:{n}", script[turn]))
    return arrived


def play(replicas: Sequence[tuple[Advisor, TimedStore]], arrived: list[tuple[str, str]]) -> dict[str, Any]:
    """Each question on the next replica of its conversation; latencies and the answers given."""
    turns: dict[str, int] = {}
    question_ns: list[int] = []
    store_ns: list[int] = []
    answers = []
    started = time.perf_counter()
    for conversation_id, text in arrived:
        turn = turns.get(conversation_id, 0)
        turns[conversation_id] = turn + 1
        advisor, store = replicas[turn % len(replicas)]
        before_store = store.spent_ns
        before = time.perf_counter_ns()
        store.count(f"rate:{conversation_id}", window_seconds=60)
        reply = advisor.ask(text, conversation_id=conversation_id)
        question_ns.append(time.perf_counter_ns() - before)
        store_ns.append(store.spent_ns - before_store)
        answers.append(reply.intent)
    elapsed = time.perf_counter() - started
    return {"answers_per_s": len(arrived) / elapsed, "question_ns": question_ns, "store_ns": store_ns,
            "answers": answers}


def percentile(values: Sequence[int], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] / 1e6


def summary(runs: list[dict[str, Any]]) -> dict[str, tuple[float, float, float]]:
    figures: dict[str, list[float]] = {"answers/s": [], "question p50 (ms)": [], "question p99 (ms)": [],
                                       "store p50 (ms)": [], "store p99 (ms)": []}
    for run in runs:
        figures["answers/s"].append(run["answers_per_s"])
        figures["question p50 (ms)"].append(percentile(run["question_ns"], 0.50))
        figures["question p99 (ms)"].append(percentile(run["question_ns"], 0.99))
        figures["store p50 (ms)"].append(percentile(run["store_ns"], 0.50))
        figures["store p99 (ms)"].append(percentile(run["store_ns"], 0.99))
    return {name: (statistics.median(v), min(v), max(v)) for name, v in figures.items()}


def cell(name: str, figure: tuple[float, float, float]) -> str:
    if name == "answers/s":
        return f"{figure[0]:,.0f} ({figure[1]:,.0f}-{figure[2]:,.0f})"
    return f"{figure[0]:.3f} ({figure[1]:.3f}-{figure[2]:.3f})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="repetitions of the whole measurement")
    parser.add_argument("--conversations", type=int, default=1000, help="conversations per run")
    parser.add_argument("--redis-url", help="an existing Redis (default: start a redis-server on loopback)")
    parser.add_argument("--json", action="store_true", help="also print the raw per-run figures")
    args = parser.parse_args(argv)

    knowledge = Advisor.load().knowledge
    with (redis_server() if args.redis_url is None else _given(args.redis_url)) as url:
        flush = redis.Redis.from_url(url)
        results: dict[str, list[dict[str, Any]]] = {"one replica, in memory": [], "two replicas, Redis": []}
        for run in range(-1, args.runs):  # run -1 warms up both set-ups
            arrived = questions(args.conversations, run)
            memory = TimedStore(MemoryContextStore())
            in_memory = play([(Advisor(knowledge, memory=memory), memory)], arrived)
            flush.flushdb()
            shared = [TimedStore(RedisContextStore(url)) for _ in range(2)]
            with_redis = play([(Advisor(knowledge, memory=s), s) for s in shared], arrived)
            if with_redis["answers"] != in_memory["answers"]:
                sys.exit("the replicas sharing Redis answered differently from one replica in memory")
            if run >= 0:
                results["one replica, in memory"].append(in_memory)
                results["two replicas, Redis"].append(with_redis)
            print(f"run {run + 1}/{args.runs}: {len(arrived)} questions", file=sys.stderr)
        flush.close()
        server_version = redis.Redis.from_url(url).info("server")["redis_version"]

    per_run = sum(len(SCRIPTS[n % len(SCRIPTS)]) for n in range(args.conversations))
    print(f"{args.conversations} conversations, {per_run} questions a run, {args.runs} runs;"
          f" CPython {platform.python_version()}, redis-py {redis.__version__}, Redis {server_version},"
          f" {platform.processor() or platform.machine()}\n")
    names = ["answers/s", "question p50 (ms)", "question p99 (ms)", "store p50 (ms)", "store p99 (ms)"]
    print("| set-up | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    summaries = {setup: summary(runs) for setup, runs in results.items()}
    for setup, figures in summaries.items():
        print(f"| {setup} | " + " | ".join(cell(name, figures[name]) for name in names) + " |")
    redis_store = summaries["two replicas, Redis"]["store p99 (ms)"][0]
    print(f"\nRedis store p99 per question (count + get + put): {redis_store:.3f} ms (target: under 1 ms)")
    if args.json:
        print(json.dumps({setup: [{k: v for k, v in run.items() if k != "answers"} for run in runs]
                          for setup, runs in results.items()}))
    return 0


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    sys.exit(main())
