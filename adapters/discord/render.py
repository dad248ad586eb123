"""Rendering a reply as a Discord embed and buttons, within Discord's limits."""

from __future__ import annotations

import re
from functools import lru_cache

import discord

from adapters.quoting import inert
from bot import BulletList, KnowledgeBase, Reply, ReplyKind, Source, spans
from bot.reply import Block, Suggestion, SuggestionAction

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits and
# .../interactions/message-components): the API rejects the whole message when one is exceeded.
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_NAME_LIMIT = 256
FIELD_VALUE_LIMIT = 1024
FIELD_COUNT_LIMIT = 25
EMBED_TOTAL_LIMIT = 6000
BUTTONS_PER_ROW = 5
ROW_LIMIT = 5
LABEL_LIMIT = 80
CUSTOM_ID_LIMIT = 100

ASK_PREFIX = "whoswho:ask:"
SHARE_PREFIX = "whoswho:share:"
SAY_PREFIX = "whoswho:say:"
# custom_id templates of the persistent buttons: stable across restarts, matched by the client's dynamic items.
# An ask button under a recorded question also carries the question's id, so the click is recorded.
ASK_TEMPLATE = r"whoswho:ask:(?P<intent>[A-Za-z0-9_.\-]+)(?::(?P<question>[0-9a-f\-]{36}))?"
VOTE_PREFIX = "whoswho:vote:"
VOTE_TEMPLATE = r"whoswho:vote:(?P<vote>yes|no):(?P<question>[0-9a-f\-]{36})"
THANKS_ID = "whoswho:thanks"
#: Ask a mentor under a fallback (``ask``) or offered after a Not helpful vote (``vote``), for one question.
MENTOR_PREFIX = "whoswho:mentor:"
MENTOR_TEMPLATE = r"whoswho:mentor:(?P<why>ask|vote):(?P<question>[0-9a-f\-]{36})"
MENTOR_OFFER = "Not what you needed? A mentor in this server can answer instead."
THANKS = "Thanks for the feedback"
SHARE_TEMPLATE = r"whoswho:share:(?P<intent>[A-Za-z0-9_.\-]+)"
# A suggestion whose query is a token for the core (a fit-check option, a learning path): sent back as it is.
SAY_TEMPLATE = r"whoswho:say:(?P<query>[A-Za-z0-9_.:\-]+)"
# Every suggestion button, whichever its action: one dynamic item matches both forms.
SUGGESTION_TEMPLATE = rf"(?:{ASK_TEMPLATE}|{SAY_TEMPLATE})"
_SAYABLE = re.compile(r"[A-Za-z0-9_.:\-]+")
#: Embeds kept, one per distinct answer (an intent's answer is the same each time it is given).
EMBED_CACHE = 512
SUGGESTION_ROWS = ROW_LIMIT - 1  # the last row is kept for Share

COLORS = {
    ReplyKind.ANSWER: discord.Colour(0x5865F2),
    ReplyKind.CLARIFY: discord.Colour(0xFEE75C),
    ReplyKind.FALLBACK: discord.Colour(0x99AAB5),
}


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when it was cut."""
    if len(text) <= limit:
        return text
    return text[: limit - 1].rstrip() + "…"


def quote_user_text(text: str) -> str:
    """Words a person wrote, made inert in Discord's markdown: mentions broken, markdown escaped (masked links
    ``[label](url)`` included), and the ``<`` of ``<@123>``-style mentions escaped so they show as typed."""
    return discord.utils.escape_markdown(inert(text)).replace("<", "\\<")


def inline(text: str) -> str:
    """Text in the core's Markdown subset as Discord markdown: bold and masked links kept, the rest escaped."""
    out: list[str] = []
    for span in spans(text):
        escaped = discord.utils.escape_markdown(span.text)
        if span.url:
            out.append(f"[{escaped.replace(']', '')}]({span.url})")
        elif span.bold:
            out.append(f"**{escaped}**")
        else:
            out.append(escaped)
    return "".join(out)


def description(reply: Reply) -> str:
    """The reply's body: paragraphs, and bullet lists as lines starting with a bullet."""
    return _description(reply.body)


def _description(body: tuple[Block, ...]) -> str:
    parts: list[str] = []
    for block in body:
        if isinstance(block, BulletList):
            parts.append("\n".join(f"• {inline(item)}" for item in block.items))
        else:
            parts.append(inline(block.text))
    return "\n\n".join(part for part in parts if part)


def render_embed(reply: Reply) -> discord.Embed:
    """The reply as one embed: title, body as the description, one field per source. The embed is built once
    per distinct answer and shared: callers send it as it is, never change it."""
    return _embed(reply.kind, reply.title, reply.body, reply.sources)


@lru_cache(maxsize=EMBED_CACHE)
def _embed(kind: ReplyKind, title: str, body: tuple[Block, ...], sources: tuple[Source, ...]) -> discord.Embed:
    embed = discord.Embed(
        title=clip(title, TITLE_LIMIT) or None,
        description=clip(_description(body), DESCRIPTION_LIMIT) or None,
        colour=COLORS.get(kind),
    )
    for source in sources[:FIELD_COUNT_LIMIT]:
        title = discord.utils.escape_markdown(source.title)
        # A "]" would end a masked link's label early; Discord refuses an empty field value.
        label = title.replace("]", "").strip() or "source"
        cite = f"[{label}]({source.url})" if source.url else (title.strip() or "source")
        if source.where:
            cite += f", {discord.utils.escape_markdown(source.where)}"
        embed.add_field(name="Source", value=clip(cite, FIELD_VALUE_LIMIT), inline=False)
    return within_limits(embed)


def within_limits(embed: discord.Embed) -> discord.Embed:
    """The embed within the 6,000 characters Discord allows: last fields dropped first, then the description cut."""
    while len(embed) > EMBED_TOTAL_LIMIT and embed.fields:
        embed.remove_field(len(embed.fields) - 1)
    if len(embed) > EMBED_TOTAL_LIMIT and embed.description:
        room = len(embed.description) - (len(embed) - EMBED_TOTAL_LIMIT)
        embed.description = clip(embed.description, max(room, 1))
    return embed


def ask_id(intent: str) -> str:
    """The stable custom_id of a button asking for ``intent``."""
    return ASK_PREFIX + intent


def suggestion_id(suggestion: Suggestion, *, question_id: str | None = None) -> str | None:
    """The custom_id of a suggestion's button: ask its intent (with the question it is under, when that fits), or
    say its command token; ``None`` when it has neither or the id would not fit."""
    if suggestion.action is SuggestionAction.ASK and suggestion.intent is not None:
        custom_id = ask_id(suggestion.intent)
        if question_id and len(f"{custom_id}:{question_id}") <= CUSTOM_ID_LIMIT:
            custom_id = f"{custom_id}:{question_id}"
    elif _SAYABLE.fullmatch(suggestion.query):
        custom_id = SAY_PREFIX + suggestion.query
    else:
        return None
    return custom_id if len(custom_id) <= CUSTOM_ID_LIMIT else None


def share_id(intent: str) -> str:
    """The stable custom_id of the Share button under an answer of ``intent``."""
    return SHARE_PREFIX + intent


def render_buttons(reply: Reply, *, share: bool = False,
                   question_id: str | None = None) -> list[discord.ui.Button[discord.ui.View]]:
    """One button per suggestion (five a row), and a Share button on its own row when ``share`` is set.
    With ``question_id`` an answer also gets Helpful / Not helpful buttons on the last row.

    A suggestion without an intent, or whose id would not fit a custom_id, gets no button.
    """
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    style = discord.ButtonStyle.primary if reply.kind is ReplyKind.CLARIFY else discord.ButtonStyle.secondary
    for suggestion in reply.suggestions:
        if len(buttons) == SUGGESTION_ROWS * BUTTONS_PER_ROW:
            break
        if suggestion.action is SuggestionAction.MENTOR:
            if question_id:  # the question a click takes to the mentors
                buttons.append(mentor_button(question_id, label=suggestion.label, row=len(buttons) // BUTTONS_PER_ROW))
            continue
        custom_id = suggestion_id(suggestion, question_id=question_id)
        if custom_id is None:
            continue
        buttons.append(discord.ui.Button(
            label=clip(suggestion.label, LABEL_LIMIT), custom_id=custom_id,
            style=style, row=len(buttons) // BUTTONS_PER_ROW,
        ))
    if share and reply.shareable and reply.intent is not None and len(share_id(reply.intent)) <= CUSTOM_ID_LIMIT:
        row = (len(buttons) + BUTTONS_PER_ROW - 1) // BUTTONS_PER_ROW
        buttons.append(discord.ui.Button(
            label="Share", custom_id=share_id(reply.intent), style=discord.ButtonStyle.success,
            emoji="\N{SPEAKING HEAD IN SILHOUETTE}", row=min(row, ROW_LIMIT - 1),
        ))
    if question_id and reply.kind is ReplyKind.ANSWER:
        buttons += vote_buttons(question_id)
    return buttons


def vote_buttons(question_id: str) -> list[discord.ui.Button[discord.ui.View]]:
    """Helpful / Not helpful, on the last row; each custom_id carries the vote and the question's id."""
    return [
        discord.ui.Button(label="Helpful", custom_id=f"{VOTE_PREFIX}yes:{question_id}", row=ROW_LIMIT - 1,
                          style=discord.ButtonStyle.secondary, emoji="\N{THUMBS UP SIGN}"),
        discord.ui.Button(label="Not helpful", custom_id=f"{VOTE_PREFIX}no:{question_id}", row=ROW_LIMIT - 1,
                          style=discord.ButtonStyle.secondary, emoji="\N{THUMBS DOWN SIGN}"),
    ]


def mentor_button(question_id: str, *, label: str = "Ask a mentor", voted: bool = False,
                  row: int = ROW_LIMIT - 1) -> discord.ui.Button[discord.ui.View]:
    """Ask a mentor for question ``question_id`` (``voted``: offered after a Not helpful vote)."""
    return discord.ui.Button(label=clip(label, LABEL_LIMIT), style=discord.ButtonStyle.primary, row=row,
                             custom_id=f"{MENTOR_PREFIX}{'vote' if voted else 'ask'}:{question_id}",
                             emoji="\N{RAISED HAND}")


def thanked(rows: list[discord.Component], *,
            offer: str | None = None) -> list[discord.ui.Button[discord.ui.View]]:
    """A voted-on message's buttons again, with the vote buttons replaced by a disabled thank-you; with
    ``offer`` (the question's id) Ask a mentor beside it."""
    buttons: list[discord.ui.Button[discord.ui.View]] = []
    for number, row in enumerate(rows):
        for item in getattr(row, "children", ()):
            custom_id = getattr(item, "custom_id", None)
            if not isinstance(item, discord.components.Button) or not custom_id or custom_id.startswith(VOTE_PREFIX):
                continue
            buttons.append(discord.ui.Button(label=item.label, custom_id=custom_id, style=item.style,
                                             emoji=item.emoji, disabled=item.disabled, row=number))
    buttons.append(discord.ui.Button(label=THANKS, custom_id=THANKS_ID, disabled=True, row=ROW_LIMIT - 1,
                                     style=discord.ButtonStyle.secondary))
    if offer is not None and not any((b.custom_id or "").startswith(MENTOR_PREFIX) for b in buttons):
        buttons.append(mentor_button(offer, voted=True))
    return buttons


def render_topics(knowledge: KnowledgeBase) -> discord.Embed:
    """The topics as one embed: a field per topic listing its intents' titles."""
    embed = discord.Embed(
        title="What I can answer",
        description="Ask with `/whoswho`, mention me in a channel, or send me a direct message.",
        colour=COLORS[ReplyKind.ANSWER],
    )
    topics: dict[str, list[str]] = {}
    for intent in knowledge.intents:
        if intent.topic != "meta":
            topics.setdefault(intent.topic or "other", []).append(intent.title)
    for topic, titles in list(topics.items())[:FIELD_COUNT_LIMIT]:
        value = "\n".join(f"• {discord.utils.escape_markdown(title)}" for title in titles)
        embed.add_field(name=clip(topic.capitalize(), FIELD_NAME_LIMIT), value=clip(value, FIELD_VALUE_LIMIT),
                        inline=False)
    return within_limits(embed)
