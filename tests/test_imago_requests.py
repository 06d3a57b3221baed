"""Imago's behaviour-change requests and the sender's thanks; temperature reading's "thank you for telling me"
(issue 18, item 6). The sender writes three small, positive, doable requests; the receiver chooses one as a gift
(their number keys); the gift is kept as the couple chose (`keep`), never as a count of one of you."""

from __future__ import annotations

from heartline.sessions.clock import ManualClock
from heartline.sessions.engine import LEFT, RIGHT, Engine, Settings, Stage, plan
from heartline.sessions.export import to_markdown
from heartline.sessions.keep import kept
from heartline.sessions.rituals import load_rituals
from heartline.sessions.setup import SessionPlan
from heartline.sessions.summary import summarize
from tests.apps import make_app, text_of
from tests.whole import cut_text

RITUALS = load_rituals()
IMAGO = RITUALS.get("imago-dialogue")
REQUESTS = ("Could you text me at lunch this week, just a line to say you are thinking of me?",
            "Could you plan one evening walk with me this week, the two of us and no phones?",
            "Could you ask about my day on Friday, and listen a while before you answer it?")  # 80 at most


def make(ritual=IMAGO):
    clock = ManualClock()
    engine = Engine(ritual, "Alex", "Sam", Settings.from_ritual(ritual), clock, rules=False, checkin=False,
                    session_id="20261205-200000-alex-sam")
    return engine, clock


def to_kind(engine, clock, kind):
    """Each holder presses done until the step `kind` holds the floor."""
    for _ in range(60):
        step = engine.state().step
        if step.kind == kind and not step.added:
            return step
        clock.advance(2)
        engine.press(step.holder, "done")
    raise AssertionError(f"never reached {kind}")


def test_each_way_ends_with_requests_a_gift_and_the_senders_thanks():
    steps = plan(IMAGO, Settings.from_ritual(IMAGO))
    for sender, receiver in ((LEFT, RIGHT), (RIGHT, LEFT)):
        mine = [s for s in steps if s.speaker == sender and not s.added]
        assert [s.kind for s in mine[-3:]] == ["requests", "gift", "thanks"]
        requests, gift, thanks = mine[-3:]
        assert (requests.holder, requests.phase.collect, requests.phase.skippable) == (sender, "request", True)
        assert (gift.holder, gift.phase.choose) == (receiver, True)
        assert thanks.holder == sender and "Thank you for listening" in " ".join(thanks.phase.speaker)
        said = " ".join(requests.phase.speaker)
        assert "Small, positive, doable" in said and "Could you … this week?" in said


def test_three_requests_then_the_receiver_chooses_one_as_a_gift():
    engine, clock = make()
    to_kind(engine, clock, "requests")
    assert engine.state().side(LEFT).note == "request" and engine.state().side(RIGHT).note == "parking-lot"
    for words in REQUESTS:
        clock.advance(3)
        assert engine.add_note(LEFT, words).accepted
    assert engine.state().requests == REQUESTS
    assert engine.state().side(LEFT).note == "parking-lot"  # three is enough to choose from
    assert engine.state().side(LEFT).not_quite_means == ""  # and written, they are not skipped
    assert engine.press(LEFT, "not-quite").what == "has-floor"
    clock.advance(2)
    engine.add_note(LEFT, "a fourth")
    assert engine.state().requests == REQUESTS and engine.notes[-1]["kind"] == "parking-lot"
    assert not engine.choose(RIGHT, 1).accepted  # not yet: the requests are still being written
    clock.advance(2)
    engine.press(LEFT, "done")
    state = engine.state()
    assert state.step.kind == "gift" and state.floor == RIGHT and state.requests == REQUESTS and state.gift == 0
    assert state.side(RIGHT).choose and not state.side(LEFT).choose
    assert state.side(RIGHT).done_means == "end-turn"
    assert not engine.choose(LEFT, 1).accepted  # the sender does not choose their own gift
    assert not engine.choose(RIGHT, 4).accepted
    clock.advance(2)
    assert engine.choose(RIGHT, 2).accepted and engine.state().gift == 2
    assert engine.choose(RIGHT, 3).accepted and engine.state().gift == 3  # changed, until done
    assert engine.state().side(RIGHT).done_means == "give"
    clock.advance(2)
    engine.press(RIGHT, "done")
    assert engine.state().step.kind == "thanks" and engine.state().floor == LEFT
    kinds = [(n["kind"], n["text"]) for n in engine.record()["notes"] if n["kind"] in ("request", "gift")]
    assert kinds == [("request", REQUESTS[0]), ("request", REQUESTS[1]), ("gift", REQUESTS[2])]

    # replayed from its log (the crash journal), the gift is the same
    again = Engine.replay(IMAGO, "Alex", "Sam", engine.settings, engine.log, engine.started_at, rules=False,
                          checkin=False)
    assert again.record()["notes"] == engine.record()["notes"]


def test_the_gift_is_kept_as_the_couple_chose_and_counts_nobody():
    engine, clock = make()
    to_kind(engine, clock, "requests")
    for words in REQUESTS:
        engine.add_note(LEFT, words)
    clock.advance(2)
    engine.press(LEFT, "done")
    clock.advance(2)
    engine.choose(RIGHT, 1)
    engine.end_early()
    record = engine.record()
    assert kept(record, "shape")["notes"] == []  # the shape: none of your words
    words = kept(record, "words")
    assert [(n["kind"], n["text"]) for n in words["notes"]] == [
        ("gift", REQUESTS[0]), ("request", REQUESTS[1]), ("request", REQUESTS[2])]
    assert all("by" not in n for n in words["notes"])  # never who asked or who gave
    for partner in words["partners"]:
        assert not any("request" in key or "gift" in key for key in partner)
    shared = summarize(words)
    assert [(title, [n.text for n in notes]) for title, notes in shared.notes()] == [
        ("Chosen as a gift", [REQUESTS[0]]), ("Requests", [REQUESTS[1], REQUESTS[2]])]
    assert "Chosen as a gift" in to_markdown(words)


def test_skipping_the_requests_skips_the_gift_not_the_thanks():
    engine, clock = make()
    to_kind(engine, clock, "requests")
    clock.advance(2)
    engine.press(LEFT, "not-quite")  # no request today
    assert engine.state().step.kind == "thanks" and engine.state().floor == LEFT


def test_no_requests_written_the_gift_is_chosen_aloud():
    engine, clock = make()
    to_kind(engine, clock, "requests")
    clock.advance(2)
    engine.press(LEFT, "done")  # said aloud, none written
    state = engine.state()
    assert state.step.kind == "gift" and state.requests == () and not state.side(RIGHT).choose
    assert not engine.choose(RIGHT, 1).accepted
    clock.advance(2)
    engine.press(RIGHT, "done")
    assert engine.state().step.kind == "thanks"


async def test_the_gift_chosen_with_the_receivers_own_number_keys(tmp_path):
    clock = ManualClock()
    app = make_app(tmp_path, clock, SessionPlan("imago-dialogue", "Alex", "Sam", rules=False, checkin=False))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        engine = screen.engine
        to_kind(engine, clock, "requests")
        screen.refresh_state()
        await pilot.pause()
        assert "write request 1 of 3" in text_of(screen, "#pane-left #nudge")
        for words in REQUESTS:
            await pilot.press("s")
            await pilot.pause()
            assert "Could you … this week?" in text_of(app.screen, "#hint")
            await pilot.press(*words)
            await pilot.press("enter")
            await pilot.pause()
        assert engine.state().requests == REQUESTS
        assert REQUESTS[2] in text_of(screen, "#pane-right #requests")
        assert not cut_text(screen)  # the longest requests, all three, whole at 80×24 (the guidance gives way)
        clock.advance(2)
        await pilot.press("f")
        assert engine.state().step.kind == "gift"
        assert "0 9 8: choose one" in text_of(screen, "#pane-right #nudge")  # Sam's own first three numbers
        clock.advance(2)
        await pilot.press("2")  # Alex's number key: not Alex's to choose
        assert engine.state().gift == 0
        await pilot.press("9")  # Sam's second
        assert engine.state().gift == 2
        assert f"✓ 2  {REQUESTS[1]}" in text_of(screen, "#pane-left #requests")  # both of you see the gift
        assert f"✓ 9  {REQUESTS[1]}" in text_of(screen, "#pane-right #requests")  # by the key that chose it
        assert not cut_text(screen)  # three requests, the gift marked: whole at 80×24
        assert "j give it" in text_of(screen, "#keys-right")
        clock.advance(2)
        await pilot.press("j")
        assert engine.state().step.kind == "thanks"
        assert "Thank you for listening" in text_of(screen, "#pane-left #guidance")
        assert engine.stage is Stage.FLOOR


# ----- temperature reading -----------------------------------------------------------------------------


def test_new_information_welcomes_heavy_news():
    """Seen: "Keep it light; it's an update." discouraged heavy news."""
    ritual = RITUALS.get("temperature-reading")
    news = next(ph for part in ritual.parts for ph in part.phases if ph.kind == "new-information")
    said = " ".join(news.speaker + news.listener)
    assert "Keep it light" not in said and "heavy" in said.casefold()


def test_after_a_complaint_the_listener_says_thank_you_for_telling_me():
    ritual = RITUALS.get("temperature-reading")
    engine, clock = make(ritual)
    to_kind(engine, clock, "complaint-request")
    speaker = engine.state().floor
    clock.advance(2)
    engine.press(speaker, "done")
    state = engine.state()
    assert state.step.kind == "thank-you" and state.floor != speaker
    assert "“Thank you for telling me.”" in state.side(state.floor).guidance
    # a complaint skipped for today: nothing was told, so no thanks for it
    clock.advance(2)
    engine.press(state.floor, "done")
    step = to_kind(engine, clock, "complaint-request")
    clock.advance(2)
    engine.press(step.holder, "not-quite")
    assert engine.state().step.kind == "wishes"


def test_a_session_apart_carries_the_requests_and_the_gift():
    """One of you elsewhere: the host's requests and the gift reach the guest's replica, the same on both."""
    from heartline.sessions.journal import header
    from heartline.tui.apart import wire
    from heartline.tui.apart.mirror import Mirror

    engine, clock = make()
    sent: list[bytes] = []
    engine.on_input = lambda item: sent.append(wire.encode(wire.entry(item, item["offset"])))
    first = wire.read_host(wire.encode(wire.session(header(engine), engine.log, 0.0)))
    mirror = Mirror(first.head, ManualClock(monotonic=clock.monotonic()))
    mirror.load(first.log, first.at)
    to_kind(engine, clock, "requests")
    for words in REQUESTS:
        engine.add_note(LEFT, words)
    clock.advance(2)
    engine.press(LEFT, "done")
    clock.advance(2)
    engine.choose(RIGHT, 3)
    engine.end_early()
    while sent:
        message = wire.read_host(sent.pop(0))
        mirror.add(message.log[0], message.at)
    assert mirror.engine.record()["notes"] == engine.record()["notes"]
    assert [n["kind"] for n in mirror.engine.record()["notes"]] == ["request", "request", "gift"]


def test_the_guests_number_key_chooses_the_gift_on_the_host():
    """Apart, the guest's number key arrives at the host as a mood intent: on the floor it chooses the gift."""
    from heartline.tui.apart import wire
    from heartline.tui.apart.screens import HostSessionScreen

    engine, clock = make()
    to_kind(engine, clock, "requests")
    for words in REQUESTS:
        engine.add_note(LEFT, words)
    clock.advance(2)
    engine.press(LEFT, "done")
    clock.advance(2)

    class Host:  # the host screen's parts `apply` reads: its engine, and a redraw
        def __init__(self):
            self.engine = engine
            self.redraws = 0

        def refresh_state(self):
            self.redraws += 1

    host = Host()
    HostSessionScreen.apply(host, wire.Intent(id="right.mood-2", at=0.0, side=RIGHT, action="mood-2"))
    assert engine.state().gift == 2 and host.redraws == 1
