"""URLs as messages show them: the password, a user name standing alone (often a token) and secret-looking
query values replaced by ``***``, so an error about ``SLACK_API_URL`` or a log line never repeats a credential.

    >>> masked("postgresql+psycopg://whoswho:hunter2@db:5432/records")
    'postgresql+psycopg://whoswho:***@db:5432/records'
    >>> masked("https://ghp_abc123@proxy.example/api/?team=T1&token=xoxb-1")
    'https://***@proxy.example/api/?team=T1&token=***'
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

MASK = "***"
#: Query parameters whose values are credentials.
_SECRET_NAMES = re.compile(r"pass|pwd|secret|token|key|auth|sig|credential|session", re.IGNORECASE)
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][A-Za-z0-9+.\-]*://)(?P<userinfo>[^/?#\s]*)@")
_QUERY_PAIR = re.compile(r"(?P<name>[^?&=#\s]+)=(?P<value>[^&#\s]*)")


def _mask_userinfo(match: re.Match[str]) -> str:
    user, colon, _password = match["userinfo"].partition(":")
    return f"{match['scheme']}{user}:{MASK}@" if colon else f"{match['scheme']}{MASK}@"


def _mask_pair(match: re.Match[str]) -> str:
    return f"{match['name']}={MASK}" if _SECRET_NAMES.search(match["name"]) else match[0]


def masked(url: str) -> str:
    """``url`` with its credentials replaced by ``***``; works on malformed URLs too (the ones errors are about)."""
    text = _USERINFO.sub(_mask_userinfo, url)
    if "?" in text:
        base, _, rest = text.partition("?")
        text = f"{base}?{_QUERY_PAIR.sub(_mask_pair, rest)}"
    return text


def credentials(url: str | None) -> tuple[str, ...]:
    """The credential values in ``url`` (its password, a lone user name, secret query values), for a log
    redactor to mask wherever they turn up."""
    if not url:
        return ()
    found: list[str] = []
    for match in _USERINFO.finditer(url):
        user, colon, password = match["userinfo"].partition(":")
        found.append(password if colon else user)
    try:
        query = urlsplit(url).query
    except ValueError:
        query = url.partition("?")[2]
    found += [value for name, value in parse_qsl(query) if _SECRET_NAMES.search(name)]
    return tuple(value for value in found if len(value) >= 3)
