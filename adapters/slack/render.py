"""Rendering a reply as Block Kit, within Slack's limits."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

from adapters.mentors import LABEL as MENTOR_LABEL
from bot import BulletList, KnowledgeBase, Reply, ReplyKind, Span, TextLimits, spans
from bot.reply import SuggestionAction
from bot.tokens import PATH_PREFIX, START_TOKEN

# Slack's limits (https://api.slack.com/reference/block-kit/blocks).
MAX_BLOCKS = 50
MAX_HOME_BLOCKS = 100
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_LABEL = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTIONS = 25
MAX_FALLBACK = 3000
MAX_ASKED = 300
#: What the knowledge may hold to show in one piece: an answer in a section, a title in a header.
KNOWLEDGE_LIMITS = TextLimits(answer=MAX_SECTION, title=MAX_HEADER, label=MAX_BUTTON_LABEL)

SHARE_ACTION = "whoswho.share"
# One button per suggestion: whoswho.suggest.0, .1, ..., then ".<intent id>" when the suggestion has one.
SUGGEST_ACTION = "whoswho.suggest"
SUGGEST_PATTERN = re.compile(r"^whoswho\.suggest\.\d+(\..+)?$")
ACTIONS_BLOCK = "whoswho.actions"  # + ".<question id>" when the question is recorded
FEEDBACK_BLOCK = "whoswho.feedback"  # + ".<question id>"
HELPFUL_ACTION = "whoswho.vote.helpful"
UNHELPFUL_ACTION = "whoswho.vote.unhelpful"
VOTE_PATTERN = re.compile(r"^whoswho\.vote\.(helpful|unhelpful)$")
THANKS = "Thanks for the feedback."
#: Ask a mentor: under a fallback (its value the question's id), and offered after a Not helpful vote.
MENTOR_ACTION = "whoswho.mentor"
MENTOR_UNHELPFUL_ACTION = "whoswho.mentor.unhelpful"
MENTOR_PATTERN = re.compile(r"^whoswho\.mentor(\.unhelpful)?$")
MENTOR_BLOCK = "whoswho.mentor"
MENTOR_OFFER = "Not what you needed? A mentor in this workspace can answer instead."

_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
_AT = re.compile(r"@(?=\w)")

Block = dict[str, Any]


def escape(text: str) -> str:
    """Text safe inside Slack mrkdwn: ``&``, ``<`` and ``>`` escaped, so nothing in it links or pings."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quote_user_text(text: str) -> str:
    """Text a person wrote, made inert: escaped, and ``@here``-style words broken with a word joiner
    so that neither Slack's encoded mentions (``<!channel>``) nor bare ones (``@everyone``) ping."""
    return _AT.sub("@\u2060", escape(" ".join(text.split())))


def _mrkdwn(text: str) -> str:
    """Knowledge-base text in the Markdown subset as Slack mrkdwn."""
    return "".join(_span(span) for span in spans(text))


def _link(url: str, label: str) -> str:
    # A "|" would end the address part of Slack's <url|label>; a look-alike keeps the label readable.
    return f"<{escape(url)}|{escape(label).replace('|', chr(0x2223))}>"


def _span(span: Span) -> str:
    if span.url is not None:
        return _link(span.url, span.text)
    return f"*{escape(span.text)}*" if span.bold else escape(span.text)


def _cut(text: str, limit: int) -> str:
    """Text shortened to ``limit`` characters at a word boundary, never inside a ``<link>``."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if cut.rfind("<") > cut.rfind(">"):
        cut = cut[: cut.rfind("<")]
    elif " " in cut[limit // 2 :]:
        cut = cut[: cut.rfind(" ")]
    if cut.count("&") and cut.rfind("&") > cut.rfind(";"):
        cut = cut[: cut.rfind("&")]
    return cut.rstrip() + "…"


def _plain(text: str, limit: int) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": True}


def _sections(lines: Iterable[str]) -> list[Block]:
    """Sections packing whole lines up to Slack's 3,000 characters each."""
    blocks: list[Block] = []
    current: list[str] = []
    size = 0
    for line in lines:
        line = _cut(line, MAX_SECTION)
        if current and size + 1 + len(line) > MAX_SECTION:
            blocks.append(_section("\n".join(current)))
            current, size = [], 0
        current.append(line)
        size += len(line) + (1 if size else 0)
    if current:
        blocks.append(_section("\n".join(current)))
    return blocks


def _section(text: str) -> Block:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def _context(text: str, *, verbatim: bool = False) -> Block:
    element: dict[str, Any] = {"type": "mrkdwn", "text": _cut(text, MAX_SECTION)}
    if verbatim:
        # Slack otherwise turns bare URLs and channel names in the text into links of its own.
        element["verbatim"] = True
    return {"type": "context", "elements": [element]}


def render(
    reply: Reply,
    *,
    asked: str | None = None,
    shareable: bool = False,
    shared_by: str | None = None,
    note: str | None = None,
    question_id: str | None = None,
) -> dict[str, Any]:
    """The reply as message arguments (``text`` and ``blocks``) for ``chat.postMessage``, an ack or a response.

    ``asked`` is the question as the person wrote it (shown quoted and inert), ``shareable`` adds the
    **Share in channel** button, ``shared_by`` (a user id) credits who shared the answer, and ``note`` is a
    line of ours under the title (watch mode's "automatic suggestion"). With ``question_id`` an answer gets
    **Helpful** / **Not helpful** buttons, and the buttons' block carries the id so a click is recorded.
    """
    blocks: list[Block] = [
        {"type": "header", "block_id": f"whoswho.{reply.kind}.{reply.intent or 'none'}",
         "text": _plain(reply.title, MAX_HEADER)},
    ]
    question = f"“{_cut(quote_user_text(asked), MAX_ASKED)}”" if asked and asked.strip() else None
    if shared_by is not None and _USER_ID.fullmatch(shared_by):
        blocks.append(_context(f"Shared by <@{shared_by}>" + (f", who asked {question}" if question else ""),
                               verbatim=True))
    elif question:
        blocks.append(_context(f"You asked {question}", verbatim=True))
    if note:
        blocks.append(_context(escape(note)))

    body: list[Block] = []
    for block in reply.body:
        if isinstance(block, BulletList):
            body += _sections(f"•  {_mrkdwn(item)}" for item in block.items)
        else:
            body += _sections([_mrkdwn(block.text)])

    tail: list[Block] = []
    if reply.sources:
        cites = []
        for source in reply.sources:
            cites.append(f"Source: {_link(source.url, source.label)}" if source.url
                         else f"Source: {escape(source.label)}")
        tail.append(_context("\n".join(cites)))
    can_share = shareable and reply.intent and reply.shareable
    buttons = _buttons(reply, share=share_value(reply.intent or "", asked or "") if can_share else None,
                       question_id=question_id)
    if reply.suggestions:
        lead = reply.lead or ("You could ask next:" if reply.kind is ReplyKind.ANSWER else "Choose one:")
        tail.append(_context(lead))
    if buttons:
        block_id = f"{ACTIONS_BLOCK}.{question_id}" if question_id else ACTIONS_BLOCK
        tail.append({"type": "actions", "block_id": block_id, "elements": buttons})
    if question_id and reply.kind is ReplyKind.ANSWER:
        tail.append(feedback_block(question_id))

    room = MAX_BLOCKS - len(blocks) - len(tail)
    if len(body) > room:
        body = [*body[: room - 1], _context("(The rest of this answer is too long for one Slack message.)")]
    blocks += body + tail
    return {"text": _cut(escape(reply.text), MAX_FALLBACK), "blocks": blocks}


def _buttons(reply: Reply, *, share: str | None, question_id: str | None) -> list[Block]:
    buttons: list[Block] = []
    if share is not None and reply.kind is ReplyKind.ANSWER:
        buttons.append({
            "type": "button", "action_id": SHARE_ACTION, "style": "primary",
            "text": _plain("Share in channel", MAX_BUTTON_LABEL), "value": share,
        })
    for number, suggestion in enumerate(reply.suggestions[: MAX_ACTIONS - len(buttons)]):
        if suggestion.action is SuggestionAction.MENTOR:
            if question_id is not None:  # the question a click takes to the mentors
                buttons.append(mentor_button(question_id, label=suggestion.label))
            continue
        buttons.append({
            "type": "button",
            "action_id": f"{SUGGEST_ACTION}.{number}" + (f".{suggestion.intent}" if suggestion.intent else ""),
            "text": _plain(suggestion.label, MAX_BUTTON_LABEL),
            "value": suggestion.query[:MAX_BUTTON_VALUE],
        })
    return buttons


def feedback_block(question_id: str) -> Block:
    """The Helpful / Not helpful buttons under an answer; each carries the question's id."""
    return {"type": "actions", "block_id": f"{FEEDBACK_BLOCK}.{question_id}", "elements": [
        {"type": "button", "action_id": HELPFUL_ACTION, "text": _plain("Helpful", MAX_BUTTON_LABEL),
         "value": question_id},
        {"type": "button", "action_id": UNHELPFUL_ACTION, "text": _plain("Not helpful", MAX_BUTTON_LABEL),
         "value": question_id},
    ]}


def mentor_button(question_id: str, *, label: str = MENTOR_LABEL, voted: bool = False) -> Block:
    """The Ask a mentor button for question ``question_id`` (``voted``: offered after a Not helpful vote)."""
    return {"type": "button", "action_id": MENTOR_UNHELPFUL_ACTION if voted else MENTOR_ACTION,
            "text": _plain(label, MAX_BUTTON_LABEL), "value": question_id[:MAX_BUTTON_VALUE]}


def mentor_offer(question_id: str) -> list[Block]:
    """What a Not helpful vote adds where there are mentors: a line and the Ask a mentor button."""
    return [_context(MENTOR_OFFER),
            {"type": "actions", "block_id": f"{MENTOR_BLOCK}.{question_id}",
             "elements": [mentor_button(question_id, voted=True)]}]


def render_link_notice(text: str, link: str) -> dict[str, Any]:
    """:func:`render_notice` with ``link``, where it appears in ``text``, as a link Slack shows."""
    message = render_notice(text)
    safe = escape(link)
    message["blocks"][0]["text"]["text"] = message["blocks"][0]["text"]["text"].replace(safe, f"<{safe}>")
    return message


def thank_in_place(blocks: list[Block]) -> list[Block]:
    """A voted-on message's blocks with the feedback buttons replaced by a thank-you."""
    return [_context(THANKS) if str(block.get("block_id", "")).startswith(FEEDBACK_BLOCK + ".") else block
            for block in blocks]


def question_of(block_id: str) -> str | None:
    """The recorded question's id in a suggestion buttons' block id, if it carries one."""
    prefix = ACTIONS_BLOCK + "."
    return block_id[len(prefix):] if block_id.startswith(prefix) else None


def intent_of(action_id: str) -> str | None:
    """The intent a suggestion button asks for, from its action id (``None`` for a fit-check option)."""
    match = SUGGEST_PATTERN.fullmatch(action_id)
    return match.group(1)[1:] if match and match.group(1) else None


def share_value(intent: str, asked: str) -> str:
    """The Share button's value: the answer's intent and the question, to post the same answer publicly."""
    return json.dumps({"intent": intent, "asked": asked[:MAX_ASKED]}, ensure_ascii=False)


def render_notice(text: str) -> dict[str, Any]:
    """A message of our own (errors, hints, the admins' insights summary, which quotes what people asked) as
    message arguments, escaped in the notification text too and shown verbatim, so nothing in it links or pings."""
    section = _section(escape(text))
    section["text"]["verbatim"] = True
    return {"text": _cut(escape(text), MAX_FALLBACK), "blocks": [section]}


HOW_TO = (
    "*How to ask*",
    "•  `/whoswho your question` anywhere: only you see the answer, and *Share in channel* posts it for everyone.",
    "•  Mention me in a channel (`@whoswho your question`): I answer in a thread, and follow-ups there "
    "keep their context.",
    "•  Or write to me here in *Messages*, like a conversation.",
)
HOME_TITLE = "whoswho: who's who in data teams"
#: What whoswho does, when the knowledge has no help answer to say it.
HOME_ABOUT = ("I answer questions about data scientists and machine-learning engineers.\n"
              "Pick a topic below or just ask in your own words.")
#: One button per thing to ask on the Home tab: whoswho.home.0, .1, ...; its value is the question.
HOME_ACTION = "whoswho.home"
HOME_PATTERN = re.compile(r"^whoswho\.home\.\d+$")
HOME_BLOCK = "whoswho.home"
HELP_INTENT = "meta.help"
FIT_LABEL = "Take the fit check"


def _home_about(knowledge: KnowledgeBase) -> str:
    """What whoswho does in two lines: the help answer's opening paragraph, one sentence a line."""
    intent = knowledge.get(HELP_INTENT)
    opening = next((b.text for b in intent.answer if not isinstance(b, BulletList)), None) if intent else None
    if not opening:
        return HOME_ABOUT
    first, dot, rest = opening.partition(". ")
    return _mrkdwn(first + dot.strip()) + ("\n" + _mrkdwn(rest) if rest else "")


def _home_buttons(choices: list[tuple[str, str]], *, number: int, block: str) -> list[Block]:
    """Actions blocks of buttons (label, question to ask), 25 a block, numbered from ``number``."""
    blocks: list[Block] = []
    for start in range(0, len(choices), MAX_ACTIONS):
        blocks.append({"type": "actions", "block_id": f"{HOME_BLOCK}.{block}.{start // MAX_ACTIONS}", "elements": [
            {"type": "button", "action_id": f"{HOME_ACTION}.{number + start + n}",
             "text": _plain(label, MAX_BUTTON_LABEL), "value": query[:MAX_BUTTON_VALUE]}
            for n, (label, query) in enumerate(choices[start: start + MAX_ACTIONS])]})
    return blocks


def render_home(knowledge: KnowledgeBase) -> dict[str, Any]:
    """The Home tab: what whoswho does, each topic's questions as buttons (a click answers in the app's DM), the
    fit check and the learning paths as buttons, and how to ask; from the knowledge alone."""
    blocks: list[Block] = [{"type": "header", "text": _plain(HOME_TITLE, MAX_HEADER)},
                           _section(_cut(_home_about(knowledge), MAX_SECTION)), {"type": "divider"}]
    topics: dict[str, list[tuple[str, str]]] = {}
    for intent in knowledge.intents:
        if intent.topic == "meta" or not intent.questions:
            continue
        topics.setdefault(intent.topic or "other", []).append((intent.title, intent.questions[0]))
    number = 0
    if topics:
        blocks.append(_context("Click a question: I answer it in *Messages*, only to you."))
    for topic, choices in topics.items():
        blocks.append(_section(f"*{escape(topic.capitalize())}*"))
        blocks += _home_buttons(choices, number=number, block=re.sub(r"[^a-z0-9-]", "-", topic.lower())[:100])
        number += len(choices)
    guided = ([(FIT_LABEL, START_TOKEN)] if knowledge.fit else []) + [
        (path.offer, PATH_PREFIX + path.role) for path in knowledge.paths.values()]
    if guided:
        blocks += [{"type": "divider"}, _section("*Which role fits you, and how to get there*")]
        blocks += _home_buttons(guided, number=number, block="guided")
    blocks.append({"type": "divider"})
    blocks += _sections(HOW_TO)
    about = knowledge.get(HELP_INTENT)
    if about and about.sources:
        blocks.append(_context("Content: " + "; ".join(escape(s.label) for s in about.sources)))
    room = MAX_HOME_BLOCKS - HOME_ADMIN_BLOCKS
    if len(blocks) > room:
        blocks = [*blocks[: room - 1], _context("(More topics than fit on this page.)")]
    return {"type": "home", "blocks": blocks}


#: The blocks :func:`home_admin` adds, kept free at the end of the Home tab.
HOME_ADMIN_BLOCKS = 4
#: An admin's button on the Home tab: the insights summary, sent to the app's DM.
INSIGHTS_ACTION = "whoswho.insights"
INSIGHTS_LABEL = "Show insights"


def home_admin(view: dict[str, Any], *, mentor_channel: str | None, watched: list[str], threads: bool
               ) -> dict[str, Any]:
    """``view`` with the workspace's settings an admin changes: the channel helper's channels (ids), the mentor
    channel and threads, each with the command that changes it."""
    helper = ("the channel helper is on in " + ", ".join(f"<#{c}>" for c in watched) if watched
              else "the channel helper is off everywhere")
    mentors = f"the mentor channel is <#{mentor_channel}>" if mentor_channel else "there is no mentor channel"
    lines = [
        "*For admins* (only you and the other admins see this)",
        f"•  Channel helper: {helper}. `/whoswho-admin watch on` (or `off`) in a channel changes it there.",
        f"•  Ask a mentor: {mentors}. `/whoswho-admin mentors #channel` names one, `/whoswho-admin mentors off` "
        "removes it.",
        f"•  Threads: mentions are answered {'in a new thread' if threads else 'in the channel'}. "
        f"`/whoswho-admin threads {'off' if threads else 'on'}` changes it.",
        "•  Insights: what people asked, what went unanswered and which answers did not help, as "
        "`/whoswho-admin insights` gives them.",
    ]
    insights = {"type": "actions", "block_id": INSIGHTS_ACTION, "elements": [
        {"type": "button", "action_id": INSIGHTS_ACTION, "value": "insights",
         "text": _plain(INSIGHTS_LABEL, MAX_BUTTON_LABEL)}]}
    extra: list[Block] = [{"type": "divider"}, *_sections(lines), insights]
    return {**view, "blocks": [*view["blocks"], *extra][:MAX_HOME_BLOCKS]}
