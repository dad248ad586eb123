"""The names the core and the adapters share: role ids, the ids of special replies, and the
tokens a suggestion may carry instead of a question."""

from __future__ import annotations

DATA_SCIENTIST = "data-scientist"
ML_ENGINEER = "ml-engineer"
BOTH = "both"
#: The two roles the knowledge base contrasts.
ROLES = (DATA_SCIENTIST, ML_ENGINEER)
#: The other of the two roles.
OTHER_ROLE = {DATA_SCIENTIST: ML_ENGINEER, ML_ENGINEER: DATA_SCIENTIST}
ROLE_NAMES = {DATA_SCIENTIST: "data scientist", ML_ENGINEER: "ML engineer"}

#: The intent that lists what whoswho covers.
HELP_INTENT = "meta.help"
#: The intent that advises which of the two roles fits a person.
WHICH_ROLE_INTENT = "advice.which-role"
#: The advice on moving between the roles, and on where a beginner starts.
SWITCH_INTENT, GETTING_STARTED_INTENT = "advice.switch-roles", "advice.getting-started"
#: The out-of-scope topics of technical how-to and of other roles in detail.
TECHNICAL_TOPIC, OTHER_ROLES_TOPIC = "outside.technical", "outside.other-roles"
#: The out-of-scope topic of the roles at other companies than the sources'.
OTHER_COMPANIES_TOPIC = "outside.other-companies"
#: Intents about whoswho itself begin with this; answers about the kinds of data-science jobs, and about
#: what the roles do and how they differ, have these topics.
META_PREFIX, JOBS_TOPIC, ROLE_TOPIC = "meta.", "jobs", "role"

#: Suggestion tokens: start, stop or restart the fit check; answer one of its questions
#: (``fit:<question>:<option>``); show a learning path (``path:<role>``).
START_TOKEN = "fit:start"
STOP_TOKEN = "fit:stop"
RESTART_TOKEN = "fit:restart"
ANSWER_PREFIX = "fit:"
PATH_PREFIX = "path:"
#: The reply intents of the fit check's steps and of a learning path (``path.<role>``).
FIT_QUESTION, FIT_RESULT, FIT_NOTICE = "fit.question", "fit.result", "fit.notice"
PATH_INTENT_PREFIX = "path."


def is_token(text: str) -> bool:
    """Whether a suggestion's query is a token rather than a question to ask."""
    return text.startswith((ANSWER_PREFIX, PATH_PREFIX)) and " " not in text
