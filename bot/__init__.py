"""whoswho's platform-neutral core: knowledge, matching and answering.

>>> from bot import Advisor
>>> Advisor.load().ask("hi", conversation_id="doc").intent
'meta.greeting'
"""

from bot.advisor import Advisor
from bot.errors import ConfigError, KnowledgeError, KnowledgeIssue, WhoswhoError
from bot.knowledge import Intent, KnowledgeBase, TextLimits, builtin_knowledge_dir
from bot.matcher import IntentMatcher, Match, MatchSettings
from bot.memory import ContextStore, ConversationState, MemoryContextStore
from bot.reply import BulletList, Paragraph, Reply, ReplyKind, Source, Span, Suggestion, plain, spans

__all__ = [
    "Advisor", "BulletList", "ConfigError", "ContextStore", "ConversationState", "Intent",
    "IntentMatcher", "KnowledgeBase", "KnowledgeError", "KnowledgeIssue", "Match", "MatchSettings",
    "MemoryContextStore", "Paragraph", "Reply", "ReplyKind", "Source", "Span",
    "Suggestion", "TextLimits", "WhoswhoError", "builtin_knowledge_dir", "plain", "spans",
]
