"""Every reply the core can give renders within Discord's limits."""

from __future__ import annotations

import discord
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.discord.render import (
    BUTTONS_PER_ROW,
    CUSTOM_ID_LIMIT,
    DESCRIPTION_LIMIT,
    EMBED_TOTAL_LIMIT,
    FIELD_COUNT_LIMIT,
    FIELD_NAME_LIMIT,
    FIELD_VALUE_LIMIT,
    LABEL_LIMIT,
    ROW_LIMIT,
    TITLE_LIMIT,
    render_buttons,
    render_embed,
    render_topics,
)
from bot import BulletList, Paragraph, Reply, ReplyKind, Source, Suggestion


def assert_embed_fits(embed: discord.Embed) -> None:
    data = embed.to_dict()
    assert len(data.get("title", "")) <= TITLE_LIMIT
    assert len(data.get("description", "")) <= DESCRIPTION_LIMIT
    assert len(data.get("fields", [])) <= FIELD_COUNT_LIMIT
    for field in data.get("fields", []):
        assert 0 < len(field["name"]) <= FIELD_NAME_LIMIT
        assert 0 < len(field["value"]) <= FIELD_VALUE_LIMIT
    assert len(embed) <= EMBED_TOTAL_LIMIT


def assert_buttons_fit(buttons) -> None:
    assert len(buttons) <= ROW_LIMIT * BUTTONS_PER_ROW
    rows: dict[int, int] = {}
    for button in buttons:
        assert 0 < len(button.label) <= LABEL_LIMIT
        assert len(button.custom_id) <= CUSTOM_ID_LIMIT
        rows[button.row] = rows.get(button.row, 0) + 1
    assert all(0 <= row < ROW_LIMIT and count <= BUTTONS_PER_ROW for row, count in rows.items())


def test_every_intent_and_every_kind_of_reply_fits(advisor, ask):
    replies = [advisor.reply_for(intent.id) for intent in advisor.knowledge.intents]
    replies += [ask("how about at Quora?"), ask("how much do they earn"), ask(""), ask("x" * 5000)]
    assert {r.kind for r in replies} == set(ReplyKind)
    for reply in replies:
        assert_embed_fits(render_embed(reply))
        assert_buttons_fit(render_buttons(reply, share=True))
    assert_embed_fits(render_topics(advisor.knowledge))


async def test_rendered_buttons_make_a_valid_view(advisor):
    reply = advisor.reply_for("quora.ml-engineer")
    view = discord.ui.View(timeout=None)
    for button in render_buttons(reply, share=True):
        view.add_item(button)  # raises past 5 a row or 25 in all
    rows = view.to_components()
    assert rows[-1]["components"][-1]["custom_id"] == "whoswho:share:quora.ml-engineer"


def test_markup_becomes_discord_markdown_and_stray_markdown_is_escaped():
    reply = Reply(ReplyKind.ANSWER, "x.y", 1.0, "T", (
        Paragraph("**bold** and [a post](https://example.org/p) with *stars* and __under__"),
        BulletList(("- one", "two")),
    ))
    text = render_embed(reply).description or ""
    assert text.startswith("**bold** and [a post](https://example.org/p) with \\*stars\\* and \\_\\_under\\_\\_")
    assert "• \\- one\n• two" in text


texts = st.text(min_size=1, max_size=3000)
replies = st.builds(
    Reply,
    kind=st.sampled_from(list(ReplyKind)),
    intent=st.one_of(st.none(), st.from_regex(r"[a-z]{1,120}\.[a-z\-]{1,20}", fullmatch=True)),
    confidence=st.floats(0, 1),
    title=st.text(max_size=400),
    body=st.lists(st.one_of(st.builds(Paragraph, texts),
                            st.builds(BulletList, st.lists(texts, max_size=30).map(tuple))), max_size=6).map(tuple),
    sources=st.lists(st.builds(Source, key=st.just("k"), title=texts,
                               url=st.one_of(st.none(), st.just("https://e.org")),
                               where=st.one_of(st.none(), texts)), max_size=40).map(tuple),
    suggestions=st.lists(st.builds(Suggestion, label=st.text(min_size=1, max_size=200), query=texts,
                                   intent=st.one_of(st.none(), st.from_regex(r"[a-z.\-]{1,100}", fullmatch=True))),
                         max_size=40).map(tuple),
)


@settings(max_examples=60, deadline=None)
@given(replies, st.booleans())
def test_any_reply_fits_the_limits(reply, share):
    assert_embed_fits(render_embed(reply))
    assert_buttons_fit(render_buttons(reply, share=share))
