"""Block Kit rendering: within Slack's limits for every reply, escaped, and never pinging anyone."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.slack.render import escape, quote_user_text, render, render_home
from bot import BulletList, Paragraph, Reply, ReplyKind, Source, Suggestion


def assert_within_limits(message: dict, *, max_blocks: int = 50) -> None:
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= max_blocks
    assert 0 < len(message.get("text", "x")) <= 40_000
    for block in blocks:
        if block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= 150
        elif block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= 3000
        elif block["type"] == "context":
            assert 1 <= len(block["elements"]) <= 10
            assert all(0 < len(e["text"]) <= 3000 for e in block["elements"])
        elif block["type"] == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for button in block["elements"]:
                assert 0 < len(button["text"]["text"]) <= 75
                assert len(button["value"]) <= 2000
                assert len(button["action_id"]) <= 255
            ids = [b["action_id"] for b in block["elements"]]
            assert len(ids) == len(set(ids))
        else:
            assert block["type"] == "divider"
        assert len(block.get("block_id", "")) <= 255
    json.dumps(message)


def test_every_reply_of_every_intent_fits_slacks_limits(advisor):
    checked = 0
    for intent in advisor.knowledge.intents:
        reply = advisor.reply_for(intent.id)
        for options in ({}, {"asked": intent.questions[0], "shareable": True},
                        {"asked": intent.questions[0], "shared_by": "U2147483697"}):
            assert_within_limits(render(reply, **options))
            checked += 1
        for suggestion in reply.suggestions:
            assert_within_limits(render(advisor.ask(suggestion.query, conversation_id=f"limits:{intent.id}"),
                                        shareable=True, asked=suggestion.query))
    assert checked == 3 * len(advisor.knowledge)


def test_clarifications_and_fallbacks_fit_too(ask):
    for text in ("how about at Quora?", "what do they need to learn?", "how much do they earn?", "x" * 5000):
        assert_within_limits(render(ask(text), asked=text, shareable=True))


def test_the_home_tab_fits(advisor):
    view = render_home(advisor.knowledge)
    assert_within_limits({"blocks": view["blocks"]}, max_blocks=100)


def huge_reply() -> Reply:
    return Reply(
        kind=ReplyKind.ANSWER, intent="x.huge", confidence=1.0, title="T" * 400,
        body=(Paragraph("word " * 2000), BulletList(tuple(f"**item {i}** " + "y " * 900 for i in range(120))),
              *(Paragraph(f"[link {i}](https://example.org/{i}) " * 200) for i in range(40))),
        sources=tuple(Source(f"s{i}", "A source & more " * 20, f"https://example.org/{i}", "p. 1") for i in range(30)),
        suggestions=tuple(Suggestion("Label " * 30, "q " * 1500) for _ in range(40)),
    )


def test_an_oversized_reply_is_cut_to_slacks_limits():
    message = render(huge_reply(), asked="z" * 10_000, shareable=True)
    assert_within_limits(message)
    assert "too long for one Slack message" in json.dumps(message)
    for block in message["blocks"]:
        if block["type"] == "section":  # never cut inside a <url|label> link
            text = block["text"]["text"]
            assert text.count("<") == text.count(">")


def test_knowledge_markup_becomes_mrkdwn_and_special_characters_are_escaped():
    reply = Reply(ReplyKind.ANSWER, "x.y", 1.0, "A < B & C",
                  (Paragraph("**bold** and [a post](https://example.org/?a=1&b=2) for 1 < 2 > 0"),),
                  (Source("k", "Title | with bar", "https://example.org/s"),))
    message = render(reply)
    section = message["blocks"][1]["text"]["text"]
    assert section == "*bold* and <https://example.org/?a=1&amp;b=2|a post> for 1 &lt; 2 &gt; 0"
    assert message["blocks"][0]["text"]["text"] == "A < B & C"  # plain_text is not parsed by Slack
    assert message["text"].startswith("A &lt; B &amp; C")
    assert "<https://example.org/s|Title \u2223 with bar>" in json.dumps(message, ensure_ascii=False)


MENTIONS = ["<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<!subteam^SAZ94GDB8>", "@channel", "@here",
            "@everyone", "<#C123|general>", "<https://evil.example|click>", "&lt;!channel&gt;"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(MENTIONS) | st.text(max_size=40), max_size=8).map(" ".join))
def test_question_text_never_pings_or_links(advisor, text):
    reply = advisor.ask(text, conversation_id="render:pings")
    for options in ({"asked": text, "shareable": True}, {"asked": text, "shared_by": "U2147483697"}):
        message = render(reply, **options)
        assert_within_limits(message)
        # Button values are never shown; the Share button's carries the question back to be quoted again.
        shown = [{k: v for k, v in element.items() if k != "value"}
                 for block in message["blocks"] for element in block.get("elements", [block])]
        dumped = json.dumps([message["text"], shown], ensure_ascii=False)
        for mention in ("<!channel>", "<!here>", "<!everyone>", "<@U024BE7LH>", "<!subteam", "<#C123",
                        "<https://evil", "@channel", "@here", "@everyone"):
            assert mention not in dumped


def test_quoted_user_text_is_inert():
    assert quote_user_text("hi <!here> & @channel  <@U1>") == "hi &lt;!here&gt; &amp; @\u2060channel &lt;@\u2060U1&gt;"
    assert escape("a&b<c>d") == "a&amp;b&lt;c&gt;d"
    assert render(huge_reply(), shared_by="<!channel>")["blocks"][1]["type"] != "context"
