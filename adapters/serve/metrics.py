"""Prometheus metrics of a serving process, in a registry of its own (several can live in one test run)."""

from __future__ import annotations

from collections.abc import Iterable

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.process_collector import ProcessCollector

# The advisor answers in well under a millisecond; the buckets resolve that and still catch a stall.
LATENCY_BUCKETS = (0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0)


class Metrics:
    """whoswho's metrics; also the :class:`~adapters.turn.Recorder` the turns report to."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self, platforms: Iterable[str] = ()) -> None:
        self.registry = CollectorRegistry()
        ProcessCollector(registry=self.registry)
        self.questions = Counter("whoswho_questions", "Questions answered, by platform, outcome and intent",
                                 ["platform", "outcome", "intent"], registry=self.registry)
        self.latency = Histogram("whoswho_answer_seconds", "Time the advisor took to answer a question",
                                 ["platform"], buckets=LATENCY_BUCKETS, registry=self.registry)
        self.errors = Counter("whoswho_errors", "Events that failed (an exception or a refused API call)",
                              ["platform"], registry=self.registry)
        self.rate_limited = Counter("whoswho_rate_limited", "Questions not answered because of the per-user limit",
                                    ["platform"], registry=self.registry)
        self.connected = Gauge("whoswho_platform_connected", "1 while the platform is connected, else 0",
                               ["platform"], registry=self.registry)
        self.intents = Gauge("whoswho_knowledge_intents", "Intents in the knowledge being served",
                             registry=self.registry)
        self.reloads = Counter("whoswho_knowledge_reloads", "Knowledge reloads, by result (ok or failed)",
                               ["result"], registry=self.registry)
        self.records_dropped = Counter("whoswho_records_dropped", "Question, click and vote records lost because the "
                                       "records database failed (the answers were sent all the same)",
                                       registry=self.registry)
        self.ready = Gauge("whoswho_ready", "1 while /readyz answers 200, else 0", registry=self.registry)
        for platform in platforms:
            # Zero rather than absent, so rate() and alerts work from the first scrape.
            self.errors.labels(platform=platform)
            self.rate_limited.labels(platform=platform)
            self.connected.labels(platform=platform).set(0)
            self.latency.labels(platform=platform)
        for result in ("ok", "failed"):
            self.reloads.labels(result=result)

    def question(self, *, platform: str, outcome: str, intent: str, seconds: float) -> None:
        self.questions.labels(platform=platform, outcome=outcome, intent=intent).inc()
        self.latency.labels(platform=platform).observe(seconds)

    def limited(self, *, platform: str) -> None:
        self.rate_limited.labels(platform=platform).inc()

    def error(self, *, platform: str) -> None:
        self.errors.labels(platform=platform).inc()

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
