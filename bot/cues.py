"""The words follow-ups are recognized by: "the other one", "why?", "and the fourth?", "who builds them?".

Patterns match a turn's words as :class:`~bot.text.Analysis` gives them: lower case, punctuation gone.
"""

from __future__ import annotations

import re

from bot.tokens import DATA_SCIENTIST, ML_ENGINEER

# "the other one", "what about the other role?", "and the other side"
OTHER = re.compile(r"(?<!each )\bother\s*(?:one|role|side|position|path|guys?|people|person|job)?$|"
                   r"\bother\s+(?:one|role|side|position|path|guys?|people|person)\b")
# "and the other way round?", "and if I go the other way one day?" after a move: the move the other way.
OTHER_WAY = re.compile(r"\b(?:the\s+)?other way (?:a)?round\b|\bvice versa\b"
                       r"|\bthe (?:reverse|opposite)(?: direction| way)?$"
                       r"|\b(?:go|goes|went|going|move|moving) the other way\b")
# "sorry, I meant ML engineers", "no i mean for data scientists", "wait, meant quora"
# "ok, back to it: and the ML engineer?" after an aside: the question after the preamble.
CORRECTION = re.compile(r"^\W*(?:(?:sorry|oops|no|nope|nah|wait|actually|correction|my bad|ah|ok|okay|anyway|anyways"
                        r"|fine|hmm+)\W+)*(?:(?:i\s+)?(?:meant|mean|was asking about|was talking about)"
                        r"|(?:getting |going |coming )?back to (?:it|that|the topic|topic|business|the question"
                        r"|(?=(?:the )?(?:mles?|dse?s?|ml engineers?|data scientists?|skills|tools)\b))"
                        r"|make (?:that|it)(?: for| about)?|change (?:that|it) to|same (?:thing|question) for"
                        r"|forget (?:about )?(?:the )?\w+(?: \w+){0,2}(?=\s*[,.;:!\u2014-])"
                        r"|skip (?:that|it|this)(?=\s*[,.;:!\u2014-]))"
                        r"\b\W*(?P<rest>.*)$", re.DOTALL)
# "wait, at quora I mean": the correction said first, "I mean" after it.
MEANT_AFTER = re.compile(r"^\W*(?:(?:sorry|oops|no|nope|nah|wait|actually|ah|oh|ok|okay|hmm+)\W+)+(?P<rest>.+?)"
                         r"\W+i\s+mean[t]?\W*$", re.DOTALL)
# "fine, in general then?" after a question about one company: the same topic, no company.
GENERAL = re.compile(r"\b(?:in general|generally|in general then|anywhere|everywhere|regardless of (?:the )?company"
                     r"|at any company|not at \w+|not (?:just|only) at \w+|outside(?: of)? \w+)\b")
# "and the next type?", "next one": the one after the last answer in the list that holds it.
NEXT = re.compile(r"^(?:(?:and|ok|okay|so|then|now)\s+)*"
                  r"(?:what about\s+|how about\s+|whats\s+|what s\s+|what is\s+|what\s+)?(?:the\s+)?"
                  r"(?:(?:next|following)(?:\s+(?:one|type|job|kind|skill|step|topic))?"
                  r"|(?:one|type|job|kind) after (?:that|this)(?: one)?|what comes next)"
                  r"(?:\s+(?:on the list|in the list|after that(?: one)?|after this(?: one)?|then|please|pls))*$")
# "is that how it works at Quora too?": the last answer asked again at a company.
SAME_THING = frozenset({"that", "this", "too", "also", "same", "similar", "likewise"})
# "the second kind of DS job", "job type 3": one item of an overview's list.
NTH = re.compile(r"\b(?:(?P<word>first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th"
                 r"|(?<!my )(?<!our )(?<!your )(?<!his )(?<!her )(?<!their )last)\s+(?:\w+\s+)?"
                 r"(?:kind|type|job|sort|category|skill)|(?:type|kind|category|number)\s+(?:no\s+)?(?P<number>[1-9])\b)")
#: An intent whose related intents on its own topic are at least this many is an overview of them.
OVERVIEW_ITEMS = 4
NTH_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
             "5th": 5, "last": -1}
#: "fine, in general then?" is a follow-up; "and in general, what do MLEs code in?" a question of its own.
GENERAL_WORDS = 6
COMPARING = frozenset({"compare", "compares", "compared", "versus", "vs", "different", "difference", "differ", "diff",
                       "differences"})
#: At most so many words for a comparison with the other role to be a follow-up.
THAT_SHORT = 12
# "and in general, outside Quora?", "in general, not quora": the company named is the one left behind.
NOT_THERE = re.compile(r"\b(?:outside(?: of)?|not at|not in|not (?:just|only)(?: at)?|besides|other than"
                       r"|apart from) \w+")
# "and the engineers?" after a data-scientist answer: the ML engineers.
ROLE_WORDS = {"engineer": ML_ENGINEER, "engineers": ML_ENGINEER, "scientist": DATA_SCIENTIST,
              "scientists": DATA_SCIENTIST}
# "how's that different from the engineers there?": in a conversation about the two roles, "the
# engineers" are the ML engineers and "the scientists" the data scientists.
THE_ROLE = re.compile(r"\bthe (?P<word>engineers?|scientists?)\b")
# "how do the two differ?", "do both need SQL?": both roles, in a conversation about one of them.
THE_TWO = re.compile(r"\b(?:the two(?: roles| of them| jobs)?|both (?:roles|of them|jobs)|the pair)\b")
# "how do they work together there?": "they" are both roles, whichever one was talked about last.
TOGETHER = re.compile(r"\b(?:together|each other|one another|collaborat\w*|hand(?:s|ed)? (?:off|over)|handoffs?"
                      r"|split (?:the|their) work)\b")
SLOT_FRAME = frozenset({"and", "the", "what", "about", "how", "for", "ok", "okay", "so", "now", "side", "then",
                        "too", "instead", "pls", "please", "is", "are"})
#: A follow-up opening with one of these leans on the conversation: its company carries over.
LEANING = frozenset({"and", "so", "then", "also", "plus"})
THERE = frozenset({"there"})
PLACE = frozenset({"there", "it", "its"})
# "how do they use ML?" after Quora was named: the company; "do they deploy models?" after its data scientists:
# those people there. "what do they need to learn?" asks for skills, which no company's answer covers.
THEY = frozenset({"they", "them", "their"})
# "why not Python like the DS?": a role named to compare with, not asked about.
LIKE_ROLE = re.compile(r"\b(?:like|than|unlike|as) (?:the |a |an |our )?(?:ds|dses|data scientists?|mles?|ml engineers?"
                       r"|machine learning engineers?)\b")
# "do they run the experiments?", "are they the ones who deploy?": whether the people talked about do a thing.
DO_THEY = re.compile(r"^(?:(?:and|so|ok|okay|but|then|wait)\s+)*(?:do|does|are|is|can|will|would|did)"
                     r"\s+(?:they|he|she)\b")
# "is that the data scientists' job?" after how Quora checks a model: a role's part in what was just said, there.
DEICTIC = frozenset({"that", "this"})
DEICTIC_ALL = frozenset({"that", "this", "it", "those", "these", "them"})
# "do I need to know it as a DS?", "is that used by ML engineers?": whether a role needs a thing.
NEED = frozenset("need needs needed know knows learn learns use uses used required require requires important "
                 "useful matter matters".split())
# "does Quora use it?" after a technical question: how the company uses machine learning.
USE = frozenset("use uses used using apply applies applied".split())
# "and the DS, what does he use?", "what do they rewrite it in?": the tools a role works with.
WRITES_IN = USE | frozenset("write writes rewrite rewrites code codes program programs".split())
PEOPLE = frozenset({"they", "them", "their", "theirs", "he", "she", "his", "her", "him", "those", "these"})
# "and if I want MLE specifically?" after where a beginner starts: the role aimed at.
WANTS = frozenset("want wanna aim aiming specifically instead going".split())
#: Words that make a turn a question of its own ("I want to know what an MLE does").
ASKING = frozenset("what how who why which where when does do is are".split())
#: A follow-up of more words than this is a question of its own.
SHORT = 8
# "and what about the skills?" after the tools: the same role (and company, where it has one) on another topic.
TOPIC_WORDS = {"skills": "skills", "skill": "skills", "skillset": "skills", "skillsets": "skills",
               "tools": "tools", "tool": "tools", "toolkit": "tools", "languages": "tools", "language": "tools",
               "langs": "tools", "lang": "tools", "sql": "tools", "python": "tools",
               "stack": "tools"}
#: Words asking what to learn or which tools, which no company's answer covers.
ASKS_TO_LEARN = frozenset(TOPIC_WORDS) | frozenset("learn study studying know".split())
TOPIC_FRAME = SLOT_FRAME | PEOPLE | frozenset(
    "then their whats what's which do does did need needs needed required use uses used of on with like main key "
    "any their's please pls that this it are is list in usually mostly typically normally exactly specifically "
    "fine to focus should i most important first would be writing write pick up have person someone add gain "
    "improve build develop acquire learn master brush besides except apart one take takes involve involves "
    "demand demands minimum basic essential know knows must new target".split())
#: "what tools must a DS know?": what is required, not merely used.
MUST = frozenset("must know knows need needs needed required require requires have basic minimum essential".split())
#: "what skills besides languages?": what follows one of these is set aside.
BESIDES = frozenset({"besides", "except", "apart"})
# A role's own words ("the data scientist's languages?"), which a turn naming a topic may carry.
ROLE_SURFACE = frozenset("data scientist scientists s ds dses mle mles ml machine learning engineer engineers eng engs"
                         .split())
# Who builds a system, and who checks what it did: the deck's ML engineer and data scientist.
WHO_VERBS = {**dict.fromkeys("build builds built maintain maintains deploy deploys ship ships implement "
                             "implements productionize productionizes productionise productionises code codes "
                             "scale scales put puts own owns keep keeps".split(), ML_ENGINEER),
             **dict.fromkeys("check checks measure measures evaluate evaluates analyse analyses analyze analyzes "
                             "test tests validate validates".split(), DATA_SCIENTIST)}
# "and who turns it into production code?": the handoff from prototype to production.
HANDOFF_VERBS = frozenset(WHO_VERBS) | frozenset(
    "turn turns turned take takes move moves hand hands bring brings push pushes run runs monitor monitors "
    "rewrite rewrites get gets".split())
PRODUCTION = frozenset("production prod live deployment deployed users app".split())
#: What is handed over: "who takes it to production?", not "who takes the blame when the app breaks?".
HANDED_OVER = frozenset("it that them this model models prototype prototypes code notebook pipeline".split())
DIFFERENCE_FRAME = frozenset("real really actual actually main big biggest key so then between them two exactly "
                             "first wait hold on sorry but tell me the both roles jobs those these nvm just tldr "
                             "quick quickly short in one line sentence word words brief briefly version day daily "
                             "everyday practical practice work".split())
#: Words that open a turn without saying anything ("ok so what skills are on that list").
OPENERS = frozenset({"ok", "okay", "so", "and", "then", "now", "alright", "right", "k", "kk", "nvm", "anyway",
                     "anyways", "whatever", "cool", "fine"})
#: At most so many words for a turn naming only a topic to be a follow-up.
TOPIC_SHORT = 7
# "why?", "tell me more", "why that order?", "what's step 2 exactly?": more of the last answer.
MORE = re.compile(r"^(?:(?:ok|okay|so|and|but|hmm+|interesting|really|cool|nice|right|great|thanks)\s+)*"
                  r"(?:why(?:\s+(?:is that|that|so|that order|this order|is it|in that order|not))?|how come|"
                  r"(?:can you |could you )?(?:tell me more|say more|elaborate|explain(?: that| more| it)?|go on|"
                  r"more details?|more on that|more about (?:that|it|this))|more)"
                  r"(?:\s+(?:please|pls|then|exactly|though|tho))?$")
STEP = re.compile(r"\bstep\s+(?:[1-9]|one|two|three|four|five|six)\b|\b(?:first|second|third|fourth|fifth|last|next)"
                  r"\s+step\b|\bat the (?:very )?(?:end|start|beginning)\b")
# "what happens after the engineer builds it?", "and then?" after an answer that goes step by step: the same answer.
THEN_WHAT = re.compile(r"^(?:(?:and|ok|okay|so|k)\s+)*(?:then what|and then|what then|what next)$|"
                       r"\bwhat (?:happens|comes) (?:next|then|after(?:wards)?)\b")
# "who's stronger in stats?", "which one is more creative?" after the two roles compared: that comparison.
WHICH_MORE = re.compile(r"^(?:(?:and|ok|okay|so|but|nvm|anyway|k|fine|alright|right|hmm|well)\s+)*"
                        r"(?:who|which(?: one| role| of them| of the two)?)"
                        r"(?:\s+(?:s|is|does|has|needs|gets))?\s+(?:more|less|stronger|weaker|better|worse|heavier"
                        r"|lighter|bigger)\b")
# "and in statistics?" after "who's stronger in computer science?": the same comparison, on another subject.
AND_IN = re.compile(r"^(?:(?:and|ok|okay|so|but|what about|how about)\s+)+in\s+(?P<subject>\w+(?:\s+\w+)?)$")
#: What the two roles are compared on ("stronger in statistics"), which "and in ...?" may name.
COMPARED_ON = frozenset("statistics stats stat maths math mathematics cs computer science engineering coding "
                        "programming software research analysis analytics creativity production infrastructure "
                        "data ml machine learning modelling modeling visualization communication systems".split())
#: The topics of answers about the roles themselves: "which one is more creative?" after one compares the two.
ROLE_TOPICS = frozenset({"role", "advice", "teamwork", "tools"})
#: "which is more important, stats or linear algebra?" weighs topics, not the roles.
WEIGHING = frozenset("important useful essential relevant necessary needed popular common".split())
#: "who is better paid?" is about pay, not the comparison.
PAY_WORDS = frozenset("paid pay pays earn earns salary salaries money".split())
#: Pay, hiring, work conditions and demand: what a follow-up about people asks when the sources are silent on it
#: ("do they get paid well?", "who gets hired more easily?", "can they work remotely?").
OFF_TOPIC_WORDS = PAY_WORDS | frozenset(
    "hire hired hiring hires remote remotely demand hours overtime promoted promotion promotions bonus bonuses "
    "equity interview interviews visa happy happier blame".split())
#: Topics whose answers go step by step.
STEPPED = frozenset({"teamwork"})
#: At most so many words for a turn about a step to stay on the answer.
STEP_SHORT = 10
# "who does then?" after "do data scientists deploy models?": the other role.
WHO_THEN = re.compile(r"^(?:(?:so|ok|okay|and|then|but)\s+)*who\s+does(?:\s+(?:it|that|this))?(?:\s+then)?$")
# "ok fair. what do they actually do then?" after a question about a role's pay: the role itself.
WHAT_THEY_DO = re.compile(r"^(?:(?:ok|okay|so|and|fair|fine|then|but|alright)\s+)*"
                          r"(?:(?:just\s+)?(?:tell me|explain)\s+)?what\s+(?:else\s+)?(?:(?:do|does)\s+)?"
                          r"(?:they|he|she|those people|these people|that role|this role|that person|that one"
                          r"|the role)\s+"
                          r"(?:actually\s+|really\s+|even\s+)?(?:do|does)(?:\s+at\s+\w+)?"
                          r"(?:\s+(?:then|exactly|all day|day to day|there|today|now|these days|instead|though|tho))*$")
# "ok then what does it involve right now?" after a question about a role that was turned away: the role.
WHAT_IT_INVOLVES = re.compile(r"^(?:(?:ok|okay|so|and|fair|fine|then|but|alright)\s+)*what\s+(?:does|would|do)\s+"
                              r"(?:it|that|the job|that job|the role|the work)\s+"
                              r"(?:involve|entail|look like|consist of)"
                              r"(?:\s+(?:then|exactly|right now|now|today|these days|day to day))*$")
# "ok, what does each of them do then?": the two roles compared.
WHAT_EACH = re.compile(r"^(?:(?:ok|okay|so|and|fine|then|but|alright)\s+)*what\s+(?:do|does)\s+(?:each|both)"
                       r"(?:\s+of\s+(?:them|the two|those|these))?(?:\s+(?:actually|really))?\s+do"
                       r"(?:\s+(?:then|exactly))*$")
# "and the others?" after one item of an overview: the overview, which lists them all.
OTHERS = re.compile(r"^(?:(?:and|ok|okay|so|then|now)\s+)*(?:what about\s+|how about\s+|what are\s+|tell me about\s+"
                    r"|whats\s+|what s\s+|what is\s+|what\s+)?"
                    r"(?:all\s+)?(?:the\s+)?"
                    r"(?:others|other ones|rest|rest of them|remaining ones|other (?:skills|types|kinds|jobs)"
                    r"|list (?:them |it )?all(?: again)?|all of them(?: again)?|the (?:whole|full) list(?: again)?)"
                    r"(?:\s+(?:besides|apart from|other than|except)\s+(?:that|this|it|those|these)"
                    r"|\s+(?:are there|is there|then|please|pls))*$")
#: "job type 2", "the fourth kind": a place in the job types' list, which needs no options shown to mean one.
LIST_NOUNS = frozenset("type types kind kinds job jobs".split())
# "good for a beginner?" after one kind of job: how that job suits someone.
SUITS = frozenset("good ok okay suited suitable right fit fits worth hard easy beginner beginners junior juniors "
                  "newbie grad grads".split())
# "whats the system design part about?": one part of the last answer.
PART = frozenset({"part", "bit", "section", "bullet", "point"})
# "and if I went DS instead?" after a learning path: that role's path.
INSTEAD = frozenset({"instead", "rather"})
#: Words an item of an overview is named by ("the stats part"): its title's words no other item's title has.
STEM = 4
ITEM_FRAME = frozenset("tell me more about the a an part one bit section item point skill on list what is that "
                       "and how so ok okay specifically exactly particular in vs versus compared to with or k "
                       "whatever nvm fine cool then side whats need needs needed required does do involve involves "
                       "mean means wise again".split())
#: Short names of an item's title words: "and ML?", "the viz part", "comms".
ITEM_SHORT = {"ml": ("machine", "learning"), "viz": ("visualization",), "dataviz": ("data", "visualization"),
              "comms": ("communication",), "swe": ("software", "engineering")}
