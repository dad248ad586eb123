"""Words a person wrote, shown back to someone (an admin's summary, a report, a shared answer): on one line,
cut, and with every ``@everyone``-style mention broken, before each platform escapes its own markup.

    >>> inert("ping   @everyone\\nnow")
    'ping @\\u2060everyone now'
"""

from __future__ import annotations

import re

#: How much of one recorded question a summary line or a table cell shows.
QUOTE_LIMIT = 200

# "@everyone", "@here", "@channel", "@someone": a word joiner after the "@" keeps the word and stops the ping.
_AT = re.compile(r"@(?=\w)")


def inert(text: str, *, limit: int = QUOTE_LIMIT) -> str:
    """``text`` on one line, cut to ``limit`` characters, with its mentions broken so no platform pings."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return _AT.sub("@\u2060", line)
