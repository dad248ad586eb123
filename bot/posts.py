"""Reading a chat post: the sentence that asks, and whether it is written in English."""

from __future__ import annotations

import re
import unicodedata

from bot.text import Analysis

# Function words of other languages, common enough that two of them, and more than the English
# ones, mark a question as not English.
_FOREIGN = frozenset(
    "que el los las una es del por para con como cual cuales hace hacer debo puedo soy quiero entre "
    "le les des est une quoi comment pour avec je suis vous dois quel quelle faire fait "
    "der das und ist ein eine wie ich nicht fur mit werde sollte zwischen macht welche "
    "os uma nao eu qual fazer faz "
    "wird werden wir kann bin sind "
    "kya hai hain mein aur kaise kaun kyun farak fark bhai karna banna chahiye hota hoti "
    "il lo gli che cosa sono fa tra "
    "yang apa aja buat jadi gimana bagaimana dengan untuk saya ako ang ng mga ba nila saan paano ano sa"
    .split()
)
_ENGLISH = frozenset(
    "the a an is are what how do does i to of in and for with who which should can my me you it be on at or "
    "about".split()
)
_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "CYRILLIC", "ARABIC", "HEBREW", "GREEK", "DEVANAGARI", "THAI")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
# "I'm a backend developer, what does ...", "as a stats grad - which ..."
_SELF_INTRO = re.compile(r"^\W*(?:(?:hi|hey|hello)\W*)?(?:i'?m|i am|im|as an?|i work|i'?ve been|i have been|we'?re"
                         r"|we are|my team|our team|at my (?:job|company|work))\b"
                         r"[^,;:?!.\u2013\u2014-]{2,80}[,;:\u2013\u2014-]+\s*(?P<rest>\S.{6,})$",
                         re.IGNORECASE | re.DOTALL)
_THANKS = re.compile(r"^\W*(?:(?:ok|okay|great|cool|perfect|nice)[\s,!.]+)?(?:thanks|thank you|thx|ty|cheers|got it)\b",
                     re.IGNORECASE)
# "cool.", "hmm...", "ok!": a word said on its own before a question.
_INTERJECTION = re.compile(r"^\W*(?:cool|ok|okay|hmm+|lol|well|right|alright|great|nice|wait|yeah|yes|ah|oh|sure"
                           r"|interesting|gotcha|noted|understood|got it|i see|makes sense|fair enough|perfect)"
                           r"\s*[.!;:\u2026]+\s*(?=\w)", re.IGNORECASE)
# "actually wait, first tell me ...", "hold on, before that: ...": a pause before the question, not part of it.
_HOLD_ON = re.compile(r"^\W*(?:(?:actually|but|ok|okay|oh|sorry)\W+)*(?:wait|hold on|hang on|one sec(?:ond)?|"
                      r"just a sec(?:ond)?|before that|before we start)\s*[,.!:;\u2026-]+\s*"
                      r"(?:(?:before that|before we start|first|actually)\b[\s,.!:;\u2026-]*)?(?=\w)", re.IGNORECASE)
# "salaries are off the table, so skip that - what ...", "not looking for money talk. I'm curious what ...",
# "anyway, what do ...": a clause that sets a topic aside, from its sentence's start, and the question after it.
_SET_ASIDE = re.compile(
    r"(?:^|(?<=[.!?\n]))[^.!?\n]{0,200}?\b(?:skip(?:ping)?\s+(?:that|this|it|the\s+\w+(?:\s+\w+)?)"
    r"|(?:leaving|setting|putting|leave|set|put)\s+[^.!?\n,;]{1,40}?\s+aside|aside\s+from\s+[^.!?\n,;]{1,40}"
    r"|not\s+(?:looking\s+for|asking\s+(?:about|for)|here\s+for|interested\s+in|after)\s+[^.!?\n,;]{1,40}"
    r"|(?:is|are|['\u2019]s)\s+off\s+the\s+table|never\s?mind\s+(?:that|the\s+[^.!?\n,;]{1,30})"
    r"|forget\s+(?:that|the\s+[^.!?\n,;]{1,30})"
    # "..., anyway, what do they do?": "anyway" set off before a question, not "what does a DS do, anyway, at ..."
    r"|(?<![a-z]\s)(?:anyway|anyhow)(?=\s*[,;:\u2013\u2014-]+\s*(?:what|how|who|which|where|why|when|do|does|is|are"
    r"|can|could|should|would|tell|so|back)\b)"
    r"|but\s+i['\u2019]?d\s+rather\s+(?:hear|know|ask|talk)\s+about\s+[^.!?\n,;:]{0,40})"
    r"[^.!?\n,;:\u2013\u2014-]{0,80}(?:[.!?\n]+|\s*[,;:\u2013\u2014-]+)\s*(?P<rest>\S.{6,})$",
    re.IGNORECASE | re.DOTALL)
#: At most so many clauses are set aside from one post (each is searched for again in what is left).
_ASIDES = 4
# "/whoswho help" typed as a message: the command's name is not part of the question.
_COMMAND = re.compile(r"^\s*/[\w-]+\s+(?P<rest>\S.*)$", re.DOTALL)
# "hi bot, what are you good for?", "thanks! and what does a DS do?": the greeting or thanks is not the question.
_GREETING = re.compile(r"^\W*(?:hi|hey|hello|hiya|yo|good (?:morning|afternoon|evening)"
                       r"|(?:(?:ok|okay|great|cool|perfect|nice)[\s,!.]+)?(?:thanks|thank you|thx|ty|cheers|got it))"
                       r"(?:\s+(?:there|bot|all|everyone|team|folks|whoswho))?[\s,!.:;-]+(?P<rest>\S.{6,})$",
                       re.IGNORECASE | re.DOTALL)


def after_interjection(text: str) -> str | None:
    """"Understood. What about an ML engineer, then?", "wait, before that: what's an MLE?": the question after
    a word said on its own or a pause, if there is one."""
    found = _INTERJECTION.match(text) or _HOLD_ON.match(text)
    return text[found.end():] if found else None


def set_aside(text: str) -> str | None:
    """"Pay is off the table, so skip that - what does an MLE need to know?": the post without the clauses
    that set a topic aside, when it asks something after them; ``None`` when it sets nothing aside."""
    rest, found = text[:2000], False
    for _ in range(_ASIDES):
        match = _SET_ASIDE.search(rest)
        if match is None:
            break
        rest, found = f"{rest[: match.start()].rstrip()} {match['rest']}".lstrip(), True
    return rest if found else None


def question_sentence(text: str) -> str | None:
    """The part of a post that asks: of several sentences, the last with a question mark (else the last);
    of one sentence that starts by describing the asker, what follows. ``None`` when that is all of it."""
    asked = (set_aside(text) or text).strip()
    command = _COMMAND.match(asked)
    if command is not None:
        asked = command["rest"]
    sentences = [m.group().strip() for m in _SENTENCE.finditer(asked[:2000]) if len(m.group().split()) >= 2]
    if len(sentences) >= 2:
        # "... MLE production? that's all?": a sentence of two words asks nothing of its own.
        asking = [s for s in sentences if s.endswith("?") and len(s.split()) > 2]
        # "the DS makes a prototype... then what?": a short question leans on what comes before it; the post is
        # read whole.
        if asking or not any(s.endswith("?") for s in sentences):
            asked = (asking or sentences)[-1]
    elif len(sentences) == 1 and _INTERJECTION.match(asked):
        # "cool. what's an ML engineer then?": a word on its own before the question says nothing.
        asked = sentences[0]
    greeting = _GREETING.match(asked)
    if greeting is not None and ("?" in greeting["rest"] or not _THANKS.match(asked)):
        # "thanks, that was helpful!" is all thanks; "thanks! and what does a DS do?" asks after it.
        asked = greeting["rest"]
    intro = _SELF_INTRO.match(asked)
    if intro is not None:
        asked = intro["rest"]
    return asked if asked != text.strip() else None


def foreign(text: str, analysis: Analysis) -> bool:
    """Whether a question is written in another language than English."""
    letters = [ch for ch in text[:500] if ch.isalpha()]
    if letters:
        other_script = sum(1 for ch in letters if unicodedata.name(ch, "").startswith(_SCRIPTS))
        if other_script * 2 > len(letters):
            return True
    words = analysis.words
    foreign = sum(1 for w in words if w in _FOREIGN)
    english = sum(1 for w in words if w in _ENGLISH)
    return foreign >= 2 and foreign > english
