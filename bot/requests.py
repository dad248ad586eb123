"""Requests made in words: a learning path, the fit check, and the role a person leans towards."""

from __future__ import annotations

import re

from bot.text import Analysis
from bot.tokens import DATA_SCIENTIST, ML_ENGINEER

_PATH_ROLE = r"(?:data scien\w*|ds|mle|ml eng\w*|machine learning eng\w*)"
# "a roadmap to ML engineer", "a learning path", "a step by step plan", "a plan of learning"
_PATH_REQUEST = re.compile(r"\b(?:roadmap|road map|curriculum|syllabus|learning (?:path|plan|order)|study (?:plan|path)"
                           r"|step by step (?:plan|path|guide|roadmap)|path (?:from|to|towards)"
                           r"|plan to (?:go|become|get|move)"
                           r"|(?:plan|path|roadmap|order) (?:of|for) (?:learning|study|studying)"
                           r"|plan out my (?:next )?(?:year|months?|learning|studies|study)"
                           r"|(?:path|roadmap|road map|study plan) for (?:that|it|this|that one|this one|me)\b"
                           r"|(?:what s|whats|what is|what|show me|give me|tell me) the (?:path|steps)"
                           r"|(?:stages|steps) (?:of|in|for) (?:learning|becoming|getting)|structured path"
                           r"|(?:give me|show me|i want|i need|i d like) (?:a|the) (?:path|plan)"
                           r"|plan for (?:becoming|getting|going)|ordered (?:path|plan|list|steps)"
                           r"|path i (?:could|can|should) follow"
                           r"|(?:steps|sequence|order) (?:for|to|towards) (?:becoming |become |being )?"
                           rf"(?:an? )?{_PATH_ROLE}\b"
                           r"|(?:^|\b(?:the|an?|my)\s)(?:mle|ml engineer|ml eng|ds|data scientist|data science"
                           r"|machine learning engineer|ml engineering) (?:path|roadmap|steps)"
                           r"(?: pls| plz| please| ordered| then)*$"
                           r"|^(?:and |so |ok |then )*(?:the |a )?path(?: then| pls| please)?$"
                           r"|(?:lay out|list|give me|show me|spell out) the steps (?:for me )?(?:to|towards|for)"
                           r" (?:become|becoming|get|getting|be|being)|progression (?:to|towards)"
                           r"|speedrun|grind order|(?:phased|staged) (?:plan|path|upskilling)|order the learning"
                           r"|(?:study|learning) sequence|(?:as|in) numbered steps"
                           r"|steps in order)\b")
# "what should I learn, in what order?", "what do I learn 1st, 2nd, 3rd?": an order of learning, not of work
# ("how do they collaborate, step by step?").
_ORDER = re.compile(r"\b(?:in (?:what|which) (?:order|sequence)|what (?:order|sequence)|in order(?! to)|first second"
                    r"|in steps|in sequence|sequence (?:a|my|the|of)|step 1|step one|steps? 1 2|1 2 3"
                    r"|first and (?:what )?(?:after|next|then|second)|order of (?:things|topics|subjects|skills)"
                    r"|(?:whats|what is|what s) the order"
                    r"|1st 2nd|stage by stage|step by step|step after step|(?:map|lay|plan) out what"
                    r"|plan out my (?:next )?(?:year|months?|learning|studies|study))\b")
# "the skills in one list, not the roadmap": a path declined is not asked for.
_NOT_A_PATH = re.compile(r"\b(?:not|no|without|dont want|don t want|rather than|instead of) (?:a |the |any )?"
                         r"(?:roadmap|road map|learning path|path|study plan|plan|curriculum)\b")
_ORDER_SET_OFF = re.compile(r"\bin order\s*[,;:)\u2013\u2014-]")
_LEARNING = re.compile(r"\b(?:learn|learning|study|studying|become|becoming|pick up|master|(?:how|way) to be"
                       r"|get there|get into|break into|path|roadmap|to being an?)\b")
# "I think I'd want MLE eventually. steps?": the steps towards the role the asker wants.
_STEPS_END = re.compile(r"\b(?:want|wanna|go for|aim for|aiming for|going for|pick|choose|say)\b(?: \w+){0,4} steps$")
# "how do I become an ML engineer?", "the steps from zero to data scientist": the path to one named role.
_BECOME = re.compile(r"\b(?:how (?:do|can|would|could|should|does|to)(?: i| you| someone| one| a person)?"
                     r" (?:become|get to be|grow into|turn into)"
                     r"|(?:steps|way|route) to (?:become|becoming|be|get to|reach)"
                     r"|(?:learn|study|do|pick up) first to (?:become|be)"
                     r"|from (?:zero|scratch|nothing) to)\b")
# "I'm a backend developer, how do I become an MLE?" is a move between jobs, not a path from nothing.
_BACKSTORY = re.compile(r"\b(?:im|i am|i m|as an?|currently|i work)\b")
# "how do I become a data science manager?": another job than the two roles, which the paths do not lead to.
_OTHER_JOB = re.compile(r"\b(?:data science|data scientist|data|ml|machine learning|ai|ds|mle|ml engineer"
                        r"|ml engineering|machine learning engineer|machine learning engineering)\s+"
                        r"(?:manager|management|lead|director|head|architect|researcher|research scientist|analyst"
                        r"|product manager|pm|intern|consultant)s?\b")
# "the promo path from MLE to staff MLE": a career ladder, which the sources do not describe.
_LADDER = re.compile(r"\b(?:promo|promotion|promotions|promoted|career ladder|(?:staff|senior|principal|lead)"
                     r" (?:ml engineer|data scientist|machine learning engineer|mle|ds))s?\b")
_QUIZ_WORDS = frozenset({"quiz", "questionnaire"})
_QUIZ_ON = re.compile(r"\b(?:quiz|test) (?:me |us )?(?:on|about|in) (?!which|what|whether|if)\w+")
_COURSEWORK = frozenset("graded grade grades grading week homework exam exams assignment assignments deadline lecture "
                        "module modules points score marks".split())
_FIT_WORDS = frozenset({"fit", "fits", "suit", "suits", "role", "roles", "path", "career"})
# "ask me a few questions to see which role suits me"
_ASK_ME = re.compile(r"\b(?:(?:ask me|give me|quiz me with) (?:a few |some |a couple of |a series of )?"
                     r"(?:questions|qs|stuff|things)"
                     r"|test (?:me|which role|what role|which of (?:the two|them))"
                     r"|(?:a|any|some) (?:test|quiz|questionnaire)(?: i can take| to take| i could take)?"
                     r" (?:that|to|which) (?:tells?|shows?|says?|sees?|finds?))\b"
                     r"|\b(?:do|take|run|start|try) (?:the|that|your) (?:little |short |quick )?(?:test|quiz)"
                     r"(?: thing)?(?=$| for| again| now| please| pls| then)"
                     r"|\bpersonality (?:test|quiz|assessment)\b"
                     r"|\b(?:short|quick|little) (?:test|quiz|assessment)\b(?=.*\b(?:role|roles|ds|mle|fit|me|i|im)\b)"
                     r"|\b(?:run|start|do|take|open|launch) the fit\b|\basking me (?:some |a few )?questions\b"
                     r"|\b(?:a|any|some|the) (?:little |short |quick )?test (?:to|that|which|for) (?:know|tell|see|find"
                     r"|check|figure|work out)(?=.*\b(?:role|roles|ds|mle|fit|me|i|im)\b)")


# "which one is for me?", "...making charts. which role": a person asking which of the two fits them.
_ROLE_NAME = r"(?:data scientist|ds|mle|ml engineer|machine learning engineer|ml eng)"
_WHICH_FITS = re.compile(r"\bwhich (?:one|role|job|path|way|track|career|of (?:the|them|these|those)(?: two)?)"
                         r"(?:(?: \w+){0,3}? (?:for me|fits me|suits me|fit me|suit me|am i|is me|like me"
                         r"|someone|somebody|my profile|match me|matches me"
                         r"|i should (?:pick|choose|take|target|go for|aim for)"
                         r"|should i (?:go|pick|choose|take|target|aim for|go for|lean)))"
                         r"|\bwhich (?:role|job|path|track|career|of the two)(?: pls| please| plz| then)?$"
                         r"|\bwhich (?:fits|suits|would fit|would suit) (?:me|someone|somebody)\b"
                         r"|\bwhat (?:role|path|job|career) (?:fits|suits|would fit|would suit|is right for)"
                         r" (?:me|him|her)\b"
                         rf"|\b(?:is|am|are) (?:he|she|i|they|we) more (?:of )?(?:an? )?{_ROLE_NAME}"
                         rf" than (?:an? )?{_ROLE_NAME}"
                         r"|\bfor (?:someone|somebody|a person|people) like me\b"
                         r"|\bwhich (?:one|role|path|job) (?:fits|suits|would fit|would suit)"
                         r" (?:an?|someone|somebody|people)\b"
                         r"|\bwhich (?:one|role|path|job) is (?:right|best|better) for"
                         r" (?:me|someone|somebody|people|an? \w+(?: \w+)? (?:who|that))\b"
                         r"|\bwhich should i (?:pick|choose|go for|take)\b"
                         r"|\bwhich (?:role|one|path|job|lane|track) (?:suits|fits|would suit|would fit|is for)"
                         r" (?:her|him|them)\b"
                         r"|\bwhich (?:one|role|path|lane) should (?:my|our|the|this) \w+ (?:choose|pick|go for|take)\b"
                         rf"|\bsounds? (?:more )?(?:like )?(?:an? )?{_ROLE_NAME} or (?:an? )?{_ROLE_NAME}"
                         r"|\b(?:closer|nearer|more near|closest|nearest) to (?:me|my profile|my background)\b"
                         r"|\bwhich lane\b|\bwhich (?:is|one is) better for me\b"
                         rf"|\b(?:fit|suit|do) (?:better|best) as (?:an? )?{_ROLE_NAME} or\b"
                         rf"|\bmore of an? {_ROLE_NAME} (?:type|person|profile)\b"
                         rf"|\bshould i (?:lean|go|aim)(?: more)?(?: towards?| to| for)? {_ROLE_NAME}$"
                         rf"|\b(?:am i|im|i m) (?:an? )?{_ROLE_NAME} (?:fit|material)$"
                         rf"|\bis (?:that|this|it) (?:more )?(?:an? )?{_ROLE_NAME} (?:thing|job|role|skill)"
                         rf" or (?:an? )?{_ROLE_NAME}"
                         rf"|\b(?:would|am|is|are|will) (?:i|she|he|they|we) (?:be )?more (?:of )?(?:an? )?{_ROLE_NAME}"
                         rf" or (?:an? )?{_ROLE_NAME}"
                         rf"|\b{_ROLE_NAME} or {_ROLE_NAME} for (?:me|someone|somebody|a person|a guy|a girl)\b"
                         rf"|\bam i (?:more )?(?:an? )?{_ROLE_NAME} or (?:an? )?{_ROLE_NAME}"
                         r"|\bwhich (?:suits|fits|would suit|would fit) (?:an? |someone |somebody |a person )"
                         r"(?:\w+ ){0,3}(?:better|best|more)\b"
                         r"|\bwhich (?:one|role|path|job|track|career)(?: is)?(?: better| best)? for"
                         r" (?:an?|someone|somebody|people|those) (?:\w+ ){0,3}?(?:who|that)\b")
# "backend dev here, like stats, DS or MLE?", "love perf tuning. sounds like MLE?": the asker's own words, then
# the two roles (or one) to choose from.
_CHOICE_AT_END = re.compile(rf"(?:\b{_ROLE_NAME} or (?:an? )?{_ROLE_NAME}|\bsounds like (?:an? )?{_ROLE_NAME}"
                            r"|\bwhich of (?:the|these|those) (?:two|roles|two roles) is (?:that|this|it|me)"
                            rf"|\b(?:means?|is|be) (?:an? )?{_ROLE_NAME} (?:for me|right for me|the one for me)"
                            r"|\b(?:what|which) (?:role|one|path|job|career) (?:fits|suits|is for|is right for) me)"
                            r"(?: type| person| material| then)?$")


_FIRST_PERSON = frozenset({"i", "im", "me", "my", "myself"})


# "I write Java and love perf tuning": a self-description, before a choice between the roles.
_SELF = re.compile(r"^(?:(?:hi|hey|hello|so|ok|well)\s+)*(?:im|i am|i m|i work|i write|i like|i love|i enjoy|i do"
                   r"|i ve been|i have been|as an?)\b")


# "where should I start to become a DS or MLE?": the roles as a goal, not a choice asked about.
_GOAL = re.compile(rf"\b(?:become|becoming|be|into|to|for|towards?) (?:an? )?{_ROLE_NAME} or\b")


# "coding > stats for me. so mle?", "am I an MLE person?": whether one role fits, asked at the end.
_FITS_ME_AT_END = re.compile(rf"(?:\bso (?:an? )?{_ROLE_NAME}|\b(?:am i|im|i m) (?:an? )?{_ROLE_NAME}"
                             r" (?:person|type|material|kind of person))$")


def describes_self_then_chooses(analysis: Analysis) -> bool:
    """"I'm a backend dev who likes stats, DS or MLE?": a self-description ending with the choice of a role,
    which asks which one fits however strongly its words match another answer."""
    said = " ".join(analysis.words)
    if _FIRST_PERSON & set(analysis.words) and _FITS_ME_AT_END.search(said):
        return True
    return bool(_SELF.search(said) and _CHOICE_AT_END.search(said) and not _GOAL.search(said))


# "which language is used more, DS or MLE?", "should I learn Spark as a DS or MLE?": a tool asked about.
_ABOUT_A_THING = re.compile(r"\b(?:which|what) (?:\w+ )?(?:language|languages|tool|tools|library|libraries|framework"
                            r"|frameworks|stack|algorithm|algorithms|model|models)\b"
                            rf"|\b(?:learn|use|need|know|study)\b.*\bas (?:an? )?{_ROLE_NAME} or\b")


def asks_which_fits(analysis: Analysis) -> bool:
    """"I like maths and games, which one is for me?": which of the two roles fits the asker."""
    said = " ".join(analysis.words)
    if _ABOUT_A_THING.search(said):
        return False
    # "I like coding more than maths. which one?": a bare "which one?" asks it only after the asker's own words.
    mine = bool(_FIRST_PERSON & set(analysis.words))
    return bool(_WHICH_FITS.search(said) or (mine and (said.endswith("which one") or _CHOICE_AT_END.search(said)
                                                       or _FITS_ME_AT_END.search(said))))


# "DS or MLE, which one is closer to research?", "who does more engineering?": the two roles compared on a trait.
_WHICH_MORE = re.compile(r"\b(?:who|which(?: one| role| of them| of the two)?)(?: \w+){0,2}? (?:more|less|closer|nearer"
                         r"|stronger|weaker|heavier|lighter)\b")


def asks_which_is_more(analysis: Analysis) -> bool:
    """Whether a question names both roles and asks which of them is more of something, not which fits the asker."""
    return (len(analysis.roles) == 2 and bool(_WHICH_MORE.search(" ".join(analysis.words)))
            and not _FIRST_PERSON & set(analysis.words) and not asks_which_fits(analysis))


# What a self-description leans to ("I love stats and charts", "meh at stats, I like algorithms"): the deck's
# contrasts, statistics and telling a story with data against computer science and building for production.
_DS_CUES = frozenset(
    "stats statistics statistical statistician probability maths math mathematics analysis analyses analysing "
    "analyzing analytics charts plots plotting graphs visualisation visualization story stories storytelling "
    "experiments experiment hypothesis insights research exploring explore r patterns excel spreadsheets "
    "dashboards numbers".split())
_MLE_CUES = frozenset(
    "code coding programming programmer engineering systems system production deploy deploying "
    "deployment latency scale scaling scalable infrastructure infra backend java scala c cpp algorithms "
    "software cs devops pipelines reliability reliable performance perf fast faster speed optimizing optimization "
    "optimize cplusplus rust golang distributed kubernetes docker cloud".split())
_NEGATING = frozenset("not meh hate hates dislike dislikes bored boring weak bad dont no zero never less "
                      "without little hardly barely rarely limited".split())


def leaning(analysis: Analysis) -> str | None:
    """The role a self-description leans to by the deck's contrasts, if it clearly leans one way."""
    score = 0
    said = analysis.words
    for position, word in enumerate(said):
        side = 1 if word in _DS_CUES else -1 if word in _MLE_CUES else 0
        before = said[max(0, position - 3):position]
        if "than" in before:
            before = before[before.index("than") + 1:]  # "coding less than stats": "less" is not about stats
        if side and _NEGATING.intersection(before):
            side = -side  # "meh at stats", "zero interest in deployment"
        score += side
    return DATA_SCIENTIST if score > 0 else ML_ENGINEER if score < 0 else None


# "I lean DS more than MLE", "more into the engineering side": the role preferred of the two.
_LEANS = re.compile(r"\b(?:lean|leaning|prefer|more into|drawn to|going for)\s+(?:more\s+)?"
                    r"(?:to(?:wards?)?\s+|toward\s+)?(?:the\s+)?"
                    r"(?P<role>data scientist|data science|machine learning engineer|engineering)\b")
_LEANS_ROLE = {"data scientist": DATA_SCIENTIST, "data science": DATA_SCIENTIST,
               "machine learning engineer": ML_ENGINEER, "engineering": ML_ENGINEER}


# "I'm a DS and want to be an MLE": the role moved to.
_TARGET = re.compile(r"\b(?:(?<!used )to be|to|into|become|becoming|towards?)\s+(?:an?\s+)?"
                     r"(?P<role>data scien(?:ce|tist|tists)|ds|dses|machine learning engineer(?:ing|s)?"
                     r"|ml engineer(?:ing|s)?|ml eng|mles?|ml)\b")


def switch_target(analysis: Analysis) -> str | None:
    """The role a question about moving between the roles moves to, if it says."""
    # The words as typed: "move from ML engineering into data science" keeps its "from" and "into".
    found = _TARGET.search(" ".join(analysis.words))
    if found is None:
        return None
    return DATA_SCIENTIST if found["role"].startswith(("data", "ds")) else ML_ENGINEER


# "a path for the engineering side": the side of the work one role stands for.
_SIDE = re.compile(r"\b(?:the )?(?P<side>engineering|ml engineering|ml|production|science|data science|stats|statistics"
                   r"|analytics|analysis|research) side\b")
_SIDE_ROLE = {"engineering": ML_ENGINEER, "ml engineering": ML_ENGINEER, "ml": ML_ENGINEER, "production": ML_ENGINEER}


def preferred(analysis: Analysis) -> frozenset[str]:
    """The one role a text says it leans towards ("I lean DS", "the engineering side"), if it says so."""
    found = _LEANS.search(analysis.normalized)
    if found:
        return frozenset({_LEANS_ROLE[found["role"]]})
    side = _SIDE.search(" ".join(analysis.words))
    return frozenset({_SIDE_ROLE.get(side["side"], DATA_SCIENTIST)}) if side else frozenset()


def asks_for_fit(analysis: Analysis) -> bool:
    """"quiz me", "take the fit check", "ask me a few questions to see which role suits me"."""
    said = set(analysis.words)
    if said & _COURSEWORK and not said & _FIT_WORDS:
        return False  # "is the week 2 quiz graded?": a course's quiz
    if _QUIZ_ON.search(" ".join(analysis.words)) and not said & _FIT_WORDS:
        # "quiz me on python basics": a quiz on a subject, not on which role fits.
        return False
    return bool(_QUIZ_WORDS & said or ("fit" in said and said & {"check", "test", "quiz"})
                or _ASK_ME.search(" ".join(analysis.words)))


def asks_for_path(text: str, analysis: Analysis) -> bool:
    """"a roadmap to ML engineer", "what should I learn, in order, to become a data scientist?"."""
    said = _NOT_A_PATH.sub("", " ".join(analysis.words))
    ordered = _ORDER.search(said) or _ORDER_SET_OFF.search(text.casefold())
    wants = bool(analysis.roles and _STEPS_END.search(said) and _FIRST_PERSON & set(analysis.words))
    return bool(_PATH_REQUEST.search(said) or (ordered and _LEARNING.search(said)) or wants) and not (
        _OTHER_JOB.search(said) or _LADDER.search(said))


# "I'm a data analyst, how do I become a data scientist?": a move from a job near the two roles.
_FROM_JOB = re.compile(r"\b(?:im|i am|i m|as an?|currently an?|i work as an?)\s+(?:an?\s+)?"
                       r"(?:(?!(?:not|no|never|aspiring|future|wannabe|becoming|junior wannabe)\b)\w+\s+){0,2}?"
                       r"(?:analyst|engineer|developer|dev|programmer|swe|statistician|actuary|data scientist|ds"
                       r"|mle)s?\b")


def moves_from_a_job(analysis: Analysis) -> bool:
    """"I'm a backend developer, how do I become an MLE?": how to become one of the roles from a job near it."""
    said = " ".join(analysis.words)
    return bool(analysis.roles and _BECOME.search(said) and _FROM_JOB.search(said))


def becomes_another_role(analysis: Analysis) -> bool:
    """"how do I become a data analyst?": the path to a role other than the two, which the sources don't cover."""
    return analysis.other_role and not analysis.roles and bool(_BECOME.search(" ".join(analysis.words)))


#: A turn saying the asker's job is at most so many words ("I'm already a data scientist btw").
_OWN_JOB_WORDS = 12


def names_own_job(analysis: Analysis) -> bool:
    """"I'm already a data scientist btw", "I'm coming from SWE": a short turn saying the asker's job now."""
    return len(analysis.words) <= _OWN_JOB_WORDS and bool(_FROM_JOB.search(" ".join(analysis.words)))


def asks_to_become(analysis: Analysis) -> bool:
    """"how do I become an ML engineer?" asked from nothing, not from another job."""
    said = " ".join(analysis.words)
    return bool(_BECOME.search(said)) and not (_BACKSTORY.search(said) or _OTHER_JOB.search(said)
                                              or _LADDER.search(said))
