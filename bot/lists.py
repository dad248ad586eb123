"""Overviews and their items: the four job types, a data scientist's skills. A follow-up walks through such a
list ("the second one", "and the next type?", "the stats part")."""

from __future__ import annotations

from bot.cues import ITEM_FRAME, ITEM_SHORT, NTH, NTH_WORDS, OVERVIEW_ITEMS, STEM, STEP_SHORT
from bot.knowledge import Intent, KnowledgeBase
from bot.memory import ConversationState
from bot.text import Analysis, words


class Lists:
    """The lists the knowledge base's overviews make of their related intents."""

    def __init__(self, knowledge: KnowledgeBase) -> None:
        self.knowledge = knowledge

    def by_words(self, analysis: Analysis, overview: Intent) -> Intent | None:
        """"tell me more about the stats part" after the skills overview (or one of its items): the one item
        whose title's own words the turn names, in a short turn of only those words and a frame."""
        listed = [found for i in self.listed(overview) or self.siblings(overview)
                  if (found := self.knowledge.get(i)) is not None]
        if not listed or len(analysis.words) > STEP_SHORT:
            return None
        # Words are compared by their first letters, so "stats" names "statistics".
        titles = [{w[:STEM] for w in words(item.title)} for item in listed]
        own = [title - set().union(*(other for k, other in enumerate(titles) if k != n))
               for n, title in enumerate(titles)]
        said = {w[:STEM] for word in analysis.words if word not in ITEM_FRAME for w in ITEM_SHORT.get(word, (word,))}
        named = [item for item, distinct in zip(listed, own, strict=True) if distinct & said]
        rest = said - set().union(*own)
        if len(named) == 1 and not rest:
            return named[0]
        # "and ML?": words two items' titles share (the machine learning a data scientist needs, the skills a
        # machine learning engineer needs) name the one for the overview's role.
        covering = [item for item, title in zip(listed, titles, strict=True)
                    if said and said <= title and item.role == overview.role]
        return covering[0] if len(covering) == 1 else None

    def picked(self, analysis: Analysis, state: ConversationState) -> Intent | None:
        """"the second one" after a list picks the second option offered."""
        if analysis.ordinal is None:
            return None
        last = self.knowledge.get(state.intent or "")
        # "tell me more about the first one" after the four job types, even with a reply between.
        # "and the fourth?" after the third job type: the fourth in the list that holds the third.
        options = (self.listed(last) or self.siblings(last) if last is not None else []) or list(state.options)
        if not options:
            return None
        position = analysis.ordinal - 1 if analysis.ordinal > 0 else len(options) - 1
        if not 0 <= position < len(options):
            return None
        return self.knowledge.get(options[position])

    def siblings(self, item: Intent) -> list[str]:
        """The list of the overview on an item's topic that holds the item (none when no overview does)."""
        return next((listed for i in self.knowledge.intents
                     if i.topic == item.topic and item.id in (listed := self.listed(i))), [])

    def listed(self, intent: Intent) -> list[str]:
        """The intents an overview lists: its related intents on its own topic, in order (none when it
        names fewer than :data:`OVERVIEW_ITEMS`: then it is one item pointing at its neighbours)."""
        items = [i for i in intent.related if (found := self.knowledge.get(i)) and found.topic == intent.topic]
        return items if len(items) >= OVERVIEW_ITEMS else []

    def overview_of(self, intent: Intent) -> Intent:
        """The overview that lists an item ("job type 3" -> the four job types), or the intent itself."""
        if self.listed(intent):
            return intent
        return next((i for i in self.knowledge.intents if i.topic == intent.topic and intent.id in self.listed(i)),
                    intent)

    def item(self, overview: Intent, analysis: Analysis) -> Intent | None:
        """The item of an overview's list a question points at ("the second kind of job")."""
        found = NTH.search(" ".join(analysis.words))
        if found is None:
            return None
        position = NTH_WORDS[found["word"]] if found["word"] else int(found["number"])
        listed = self.listed(overview)
        if position < 0:
            position = len(listed)  # "the last kind"
        return self.knowledge.get(listed[position - 1]) if 0 < position <= len(listed) else None

    def following(self, state: ConversationState) -> Intent | None:
        """The intent listed after the last one by the overview of its topic ("and the next type?")."""
        last = self.knowledge.get(state.intent or "")
        if last is None:
            return None
        if self.listed(last):
            # "and the next one?" right after the overview: its first item.
            return self.knowledge.get(self.listed(last)[0])
        listed = self.siblings(last)
        if last.id in listed:
            position = listed.index(last.id) + 1
            return self.knowledge.get(listed[position]) if position < len(listed) else None
        return None
