"""Refresh what whoswho ships beside its model for the built-in knowledge base: the phrasing
embeddings (``bot/models/minilm/phrasings.npz``) and the learned decision (``bot/models/decisions``),
so that a start encodes and learns nothing. Run after changing anything in ``knowledge/``::

    .venv/bin/python tools/build_caches.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot import KnowledgeBase
from bot.matcher import DECISIONS_DIR, IntentMatcher
from bot.semantic import SHIPPED_CACHE, SentenceEncoder, text_key, write


def main() -> None:
    knowledge = KnowledgeBase.load()
    encoder = SentenceEncoder.shipped()
    SHIPPED_CACHE.unlink(missing_ok=True)
    for stale in DECISIONS_DIR.glob("decision-*.json"):
        stale.unlink()
    matcher = IntentMatcher(knowledge)
    texts = list(dict.fromkeys(matcher.lexical.normalized))
    vectors = matcher.semantic.vectors if matcher.semantic is not None else None
    assert vectors is not None
    by_text = dict(zip(matcher.lexical.normalized, vectors))
    write(SHIPPED_CACHE, ((text_key(t), by_text[t]) for t in texts), encoder.fingerprint)
    SHIPPED_CACHE.chmod(0o644)
    DECISIONS_DIR.mkdir(parents=True, exist_ok=True)
    (DECISIONS_DIR / f"decision-{matcher.decision_key}.json").write_text(
        json.dumps(matcher.decider.to_dict(), indent=1) + "\n", encoding="utf-8")
    print(f"{len(texts)} phrasing embeddings, decision {matcher.decision_key} "
          f"(cross-validated {matcher.decider.cross_validated:.1%})")


if __name__ == "__main__":
    main()
