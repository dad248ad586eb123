"""Follow-ups in a thread without a mention: message.channels / message.groups events through the real Bolt app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import ClientSession, ClientTimeout

from adapters.slack import SlackSettings, build_app
from adapters.slack.server import start_http
from adapters.slack.threads import FOLLOW_SECONDS, addresses_someone
from bot import Advisor, MemoryContextStore
from tests.adapters.slack.conftest import FakeSlack, SlackSender
from tests.adapters.slack.test_commands import header

ASKER = "U2147483697"
CHANNEL = "C2147483705"
THREAD = "1400000000.000001"


async def in_thread(sender: SlackSender, fake: FakeSlack, *messages: dict[str, str],
                    thread: str = THREAD) -> list[dict[str, str]]:
    """Send thread replies without a mention, then a DM as a marker; the thread's posts made before its answer."""
    before = {id(call) for call in fake.calls_of("chat.postMessage")}
    for number, fields in enumerate(messages):
        body = {"ts": f"{thread[:-6]}{number + 100:06d}", "thread_ts": thread, "user": ASKER, **fields}
        assert (await sender.event("message_channel", **body)).status == 200
    count = len(fake.calls_of("chat.postMessage"))
    await sender.event("message_im", text="what does a data scientist do?", ts=f"1355599{count:03d}.000001")
    posts = await fake.wait_for("chat.postMessage", count + 1)
    return [p.args for p in posts if id(p) not in before and p.args.get("thread_ts") == thread]


async def mention(sender: SlackSender, fake: FakeSlack, text: str, *, ts: str = THREAD, **fields: str) -> None:
    count = len(fake.calls_of("chat.postMessage"))
    await sender.event("app_mention", text=f"<@UBOT> {text}", ts=ts, user=fields.pop("user", ASKER), **fields)
    await fake.wait_for("chat.postMessage", count + 1)


async def test_the_asker_goes_on_in_the_thread_without_a_mention_with_its_context(slack, fake_slack):
    await mention(slack, fake_slack, "what does an ML engineer do?")
    [quora] = await in_thread(slack, fake_slack, {"text": "and at Quora?"})
    assert header(quora)["block_id"] == "whoswho.answer.quora.ml-engineer"
    assert quora["channel"] == CHANNEL
    # A follow-up is an answer like any other: it carries the feedback buttons.
    assert "whoswho.vote.unhelpful" in str(quora["blocks"])
    [skills] = await in_thread(slack, fake_slack, {"text": "what skills do they need?"})
    assert header(skills)["block_id"] == "whoswho.answer.skills.ml-engineer"


async def test_others_chatter_and_people_talking_to_each_other_get_nothing(slack, fake_slack):
    await mention(slack, fake_slack, "what does an ML engineer do?")
    silent = [
        {"text": "and at Quora?", "user": "U0SOMEONEELSE"},         # someone else: they mention it
        {"text": "haha nice"},                                       # chatter
        {"text": "did you see the game last night?"},                # a question it cannot answer
        {"text": "<@U0BOB> what does an ML engineer do at Quora, do you know?"},  # asking a person
        {"text": "<!here> what does a data scientist do?"},          # asking everyone
        {"text": "hello there, how is everyone?"},                   # a greeting
        {"text": "great, makes sense"},                              # no question
        {"text": "what does a data scientist do?", "bot_id": "B0OTHER"},  # a bot
        {"text": "What a data scientist does", "user": "UBOT"},      # itself
    ]
    assert await in_thread(slack, fake_slack, *silent) == []
    # Someone else mentioning it in the thread is answered, and may then go on too.
    await mention(slack, fake_slack, "what does a data scientist do?", ts=f"{THREAD[:-6]}000200",
                  thread_ts=THREAD, user="U0SOMEONEELSE")
    [theirs] = await in_thread(slack, fake_slack, {"text": "what skills do they need?", "user": "U0SOMEONEELSE"})
    assert header(theirs)["block_id"] == "whoswho.answer.skills.data-scientist"


async def test_thanks_ends_the_following_silently(slack, fake_slack):
    await mention(slack, fake_slack, "what does an ML engineer do?")
    assert await in_thread(slack, fake_slack, {"text": "thanks, that helps!"},
                           {"text": "what skills do they need?"}) == []
    # A mention still works there.
    await mention(slack, fake_slack, "what skills do they need?", ts=f"{THREAD[:-6]}000300", thread_ts=THREAD)
    assert header(fake_slack.calls_of("chat.postMessage")[-1].args)["block_id"] == "whoswho.answer.skills.ml-engineer"


async def test_a_thread_the_bot_did_not_answer_and_other_threads_are_not_followed(slack, fake_slack):
    assert await in_thread(slack, fake_slack, {"text": "what does a data scientist do?"}) == []
    await mention(slack, fake_slack, "what does an ML engineer do?")
    assert await in_thread(slack, fake_slack, {"text": "what does a data scientist do?"},
                           thread="1400000099.000001") == []


async def test_a_private_channel_thread_is_followed_too(slack, fake_slack):
    await mention(slack, fake_slack, "what does an ML engineer do?", ts="1355517700.000001", channel="G024BE91L")
    assert (await slack.event("message_group")).status == 200
    post = (await fake_slack.wait_for("chat.postMessage", 2))[1]
    assert (post.args["channel"], post.args["thread_ts"]) == ("G024BE91L", "1355517700.000001")
    assert header(post.args)["block_id"] == "whoswho.answer.skills.ml-engineer"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def clocked(fake_slack: FakeSlack, slack_settings: SlackSettings, fresh_advisor: Advisor
                  ) -> AsyncIterator[tuple[SlackSender, Clock]]:
    clock = Clock()
    advisor = Advisor(fresh_advisor.knowledge, memory=MemoryContextStore(clock=clock, idle_seconds=FOLLOW_SECONDS * 2))
    app = build_app(slack_settings, advisor, api_timeout=1.0)
    runner, port = await start_http(app, host="127.0.0.1", port=0)
    async with ClientSession(timeout=ClientTimeout(total=10)) as session:
        yield SlackSender(f"http://127.0.0.1:{port}", fake_slack, session), clock
    await runner.cleanup()


async def test_the_following_ends_a_day_after_the_mention(clocked, fake_slack):
    sender, clock = clocked
    await mention(sender, fake_slack, "what does an ML engineer do?")
    clock.now += FOLLOW_SECONDS - 60
    assert len(await in_thread(sender, fake_slack, {"text": "and at Quora?"})) == 1
    clock.now += 120
    assert await in_thread(sender, fake_slack, {"text": "what skills do they need?"}) == []


def test_a_mention_of_a_person_a_group_or_everyone_addresses_someone():
    assert addresses_someone("<@U0BOB> what do you think?", "UBOT")
    assert addresses_someone("ask <!subteam^S123|@data> maybe?", "UBOT")
    assert addresses_someone("<!channel> anyone?", "UBOT")
    assert not addresses_someone("<@UBOT> and at Quora?", "UBOT")
    assert not addresses_someone("see <#C123|general> and <https://example.com|this>", "UBOT")
