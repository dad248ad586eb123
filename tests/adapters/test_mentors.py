"""Ask a mentor, platform-neutral, through the test backend: a fallback offers it where an admin named a mentor
channel; the click posts the question as a new thread there (escaped, naming only the asker, saying what whoswho
offered and why it was not enough) and gives the asker the thread's link; at most once per question, by the
asker only, within a per-person limit; a mentor's first reply in the thread is what gets recorded."""

from __future__ import annotations

import re

import pytest

from adapters import mentors
from adapters.mentors import LABEL, NOT_HELPFUL, PER_HOUR, Escalation, Mentors, _Recent
from adapters.turn import Inbound, Notice, Turns
from bot import Advisor, Reply, ReplyKind
from bot.reply import SuggestionAction
from tests.backend import PLATFORM, TestBackend, escape

UNKNOWN_TOPIC = "blorp zzkx qqq"
ANSWERED = "what does an ML engineer do at Quora?"
MENTION = re.compile(r"<@[^>]*>|<!\w+[^>]*>|@everyone|@here")


@pytest.fixture
def bot(testbot: TestBackend) -> TestBackend:
    assert "Mentor channel set to <#M1>" in testbot.admin("mentors <#M1|mentors>")
    return testbot


def test_without_a_mentor_channel_a_fallback_offers_no_mentor(testbot):
    reply = testbot.say(UNKNOWN_TOPIC)
    assert isinstance(reply, Reply) and reply.kind is ReplyKind.FALLBACK
    assert LABEL not in testbot.labels()
    assert not testbot.turns.mentors.available(PLATFORM, "team")
    assert testbot.ask_mentor() == mentors.NO_MENTORS


def test_a_fallback_and_an_outside_question_offer_a_mentor_and_an_answer_does_not(bot):
    reply = bot.say(UNKNOWN_TOPIC)
    assert isinstance(reply, Reply) and reply.suggestions[-1].label == LABEL
    assert reply.suggestions[-1].action is SuggestionAction.MENTOR and reply.suggestions[-1].query == "mentor:ask"
    outside = bot.say("how do I negotiate my salary?")
    assert isinstance(outside, Reply) and outside.outside is not None and LABEL in bot.labels()
    bot.say(ANSWERED)
    assert LABEL not in bot.labels()
    assert bot.turns.mentors.available(PLATFORM, "team")


def test_the_click_posts_a_thread_in_the_mentor_channel_and_links_the_asker_to_it(bot):
    bot.say("how do I get <@U999> & <!channel> to mentor me?\n@everyone <#C1|general> <https://evil.example|x>")
    told = bot.click(LABEL)
    assert isinstance(told, Notice) and told.text == mentors.POSTED.format(link="https://chat.test/M1/t1")
    [(where, [post])] = bot.threads.items()
    assert where == ("M1", "t1")
    assert MENTION.findall(post) == ["<@ann>"], "the asker, and nobody else, is mentioned"
    assert "> how do I get &lt;@\u2060U999&gt; &amp; &lt;!channel&gt; to mentor me?\n" in post
    assert "> @\u2060everyone &lt;#C1|general&gt; &lt;https://evil.example|x&gt;\n" in post
    assert "whoswho had no answer" in post or "outside what it covers" in post
    assert "Why it was not enough: no answer." in post


def test_an_answer_voted_not_helpful_may_go_to_a_mentor_saying_so(bot):
    bot.say(ANSWERED)
    bot.vote(False)
    assert bot.turns.mentors.available(PLATFORM, bot.workspace)
    assert bot.ask_mentor(reason=NOT_HELPFUL).startswith("I asked the mentors")
    [post] = bot.threads[("M1", "t1")]
    assert "whoswho answered \u201cWhat an ML engineer does at Quora" in post
    assert "Why it was not enough: the asker voted it Not helpful." in post


def test_at_most_once_per_question_and_only_by_the_asker(bot):
    bot.say(UNKNOWN_TOPIC, user="ann")
    assert bot.ask_mentor(user="bob", asker="ann") == mentors.NOT_YOURS
    bot.ask_mentor()
    assert bot.ask_mentor() == mentors.ALREADY_AT.format(link="https://chat.test/M1/t1")
    assert len(bot.threads) == 1


def test_a_person_asks_the_mentors_a_few_times_an_hour_at_most(bot):
    for n in range(PER_HOUR):
        bot.say(f"{UNKNOWN_TOPIC} {n}")
        assert bot.ask_mentor().startswith("I asked the mentors")
    bot.say(f"{UNKNOWN_TOPIC} again")
    assert bot.ask_mentor() == mentors.TOO_MANY.format(count=PER_HOUR)
    bot.say(UNKNOWN_TOPIC, user="bob")
    assert bot.ask_mentor(user="bob").startswith("I asked the mentors"), "others are not affected"


def test_a_post_that_failed_may_be_tried_again(bot):
    bot.say(UNKNOWN_TOPIC)
    question_id = bot.last["ann"][1]
    first = bot.turns.mentors.escalate(platform=PLATFORM, workspace="team", question_id=question_id, user="ann",
                                       mention="<@ann>", quote=escape)
    assert isinstance(first, Escalation) and first.channel == "M1" and first.user == "ann"
    bot.turns.mentors.failed(platform=PLATFORM, question_id=question_id)
    assert bot.ask_mentor().startswith("I asked the mentors")


def test_an_unknown_question_or_another_workspace_is_refused(bot):
    assert bot.turns.mentors.escalate(platform=PLATFORM, workspace="team", question_id="nope", user="ann",
                                      mention="<@ann>", quote=escape) == Notice(mentors.UNKNOWN)
    bot.say(UNKNOWN_TOPIC)
    question_id = bot.last["ann"][1]
    bot.watch.workspaces.set_mentor_channel(PLATFORM, "other", "M2")
    assert bot.turns.mentors.escalate(platform=PLATFORM, workspace="other", question_id=question_id, user="ann",
                                      mention="<@ann>", quote=escape) == Notice(mentors.UNKNOWN)


def test_the_first_reply_by_someone_other_than_the_asker_is_the_mentors(bot):
    bot.say(UNKNOWN_TOPIC)
    bot.ask_mentor()
    thread = ("M1", "t1")
    assert not bot.reply_in(thread, "anyone?", user="ann"), "the asker's own message is no mentor's reply"
    assert not bot.reply_in(("M1", "t9"), "hello", user="mia"), "another thread"
    assert bot.turns.mentors.escalated(PLATFORM, *thread)
    assert bot.reply_in(thread, "Start with the statistics course.", user="mia")
    assert not bot.reply_in(thread, "Also try Kaggle.", user="bob"), "later replies are not kept"


def test_outside_any_workspace_there_is_no_mentor_to_ask(testbot):
    testbot.workspace = None
    assert testbot.admin("mentors <#M1>") == "This setting belongs to a workspace or server: use the command in " \
                                             "one of its channels."
    testbot.say(UNKNOWN_TOPIC)
    assert LABEL not in testbot.labels()


def test_questions_without_an_id_are_not_kept():
    turns = Turns(Advisor.load())
    turns.mentors.workspaces.set_mentor_channel(PLATFORM, "team", "M1")
    reply = turns.respond(Inbound(UNKNOWN_TOPIC, who="ann", where="x", platform=PLATFORM, workspace="team"))
    assert isinstance(reply, Reply) and LABEL not in [s.label for s in reply.suggestions]


def test_what_is_kept_for_escalating_is_bounded_in_number_and_time():
    now = [0.0]
    recent: _Recent[str, int] = _Recent(size=3, seconds=10.0, clock=lambda: now[0])
    for n in range(5):
        recent.put(str(n), n)
    assert [recent.get(str(n)) for n in range(5)] == [None, None, 2, 3, 4]
    now[0] = 11.0
    assert recent.get("4") is None
    assert mentors.MAX_PENDING == 10_000 and mentors.PENDING_SECONDS == 24 * 3600


def test_the_mentors_use_a_clock_for_forgetting(advisor):
    now = [0.0]
    turns = Turns(Advisor(advisor.knowledge))
    turns.mentors = Mentors(turns, clock=lambda: now[0])
    turns.mentors.workspaces.set_mentor_channel(PLATFORM, "team", "M1")
    turns.respond(Inbound(UNKNOWN_TOPIC, who="ann", where="x", platform=PLATFORM, question_id="q1", workspace="team"))
    now[0] = mentors.PENDING_SECONDS + 1
    assert turns.mentors.escalate(platform=PLATFORM, workspace="team", question_id="q1", user="ann",
                                  mention="<@ann>", quote=escape) == Notice(mentors.UNKNOWN)
