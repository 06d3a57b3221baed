"""Decks written with a therapist's care (issue 18, item 7).

Every prompt is walked for words that presuppose a way of life, for "I"/"me"
(both partners answer each prompt, so a prompt never speaks as one of them),
for scorekeeping, and for "light" prompts that are not light; every deck ×
ritual pairing is checked against the rules of the ritual it is offered to.
"""

from __future__ import annotations

import random
import re

import pytest

from heartline.sessions.prompts import INTENSITIES, decks_for, deeper_than, draw, load_decks
from heartline.sessions.rituals import load_rituals

DECKS, _ = load_decks()
SHIPPED = {r.id for r in load_rituals()}
COMING = {"aftermath-of-a-fight", "dreams-within-conflict", "problem-solving"}  # rituals in the works (issue 18)
RITUALS = sorted(SHIPPED | COMING)
EVERY = [(deck.id, p) for deck in DECKS.values() for p in deck.prompts]

PRESUPPOSING = re.compile(
    r"\b(?:our|your|the|my) (?:kids?|children|child|baby|babies|son|daughter|grandchildren)\b"
    r"|\b(?:with|to|for) a child one day\b|\bas a parent\b|\bas parents\b"
    r"|\bwhen we (?:got )?married\b|\bsince we married\b|\bour (?:wedding|marriage|mortgage|house|home|bed|flat)\b"
    r"|\bhusband\b|\bwife\b|\bspouse\b|\bin-laws?\b"
    r"|\b(?:our|your|either of our|both of our|both our) (?:families|family|parents|mother|father|mum|mom|dad)\b"
    r"|\byour (?:siblings|brother|sister|boss|job|salary|savings|church|mosque|temple|synagogue|god|faith)\b"
    r"|\bsave up\b|\bspending money\b",
    re.IGNORECASE,
)
SPEAKS_AS_ONE = re.compile(r"\b(?:I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")
SCOREKEEPING = re.compile(r"\bthanked\b|\bthank me\b|\backnowledge|\bowes?\b|\bmore than (?:me|your partner)\b|who does more",
                          re.IGNORECASE)
HEAVY = re.compile(r"\b(?:money|afraid|fears?|scar(?:ed|y)|worr\w*|hurts?|loss|lost|griev\w*|grief|die|died|death|"
                   r"dying|sex\w*|jealous\w*|betray\w*|illness|fights?|argument\w*|drunk|shame|guilt|childhood|"
                   r"as a child|growing up|grew up)\b", re.IGNORECASE)
ABOUT_THE_COUPLE = re.compile(r"\b(?:us|we|we're|we've|we'd|our|ours|each other|together|your partner\w*|"
                              r"the two of you|both of you|at home|between you)\b", re.IGNORECASE)
CONFLICT_DECKS = {"repair", "how-we-fight", "trust-and-jealousy"}
MISSING_TOPICS = ("sex-and-desire", "trust-and-jealousy", "household-load", "faith-and-values",
                  "illness-and-caregiving", "grief-and-loss", "work-and-moving", "friends-and-time-apart", "phones",
                  "alcohol", "culture-and-identity", "blended-families", "how-we-fight")


def test_at_least_24_decks_with_every_missing_topic_and_every_level():
    assert len(DECKS) >= 24, len(DECKS)
    for did in MISSING_TOPICS:
        assert did in DECKS, did
    for deck in DECKS.values():
        for level in INTENSITIES:
            assert level in deck.intensity, (deck.id, level)
        assert len(deck.prompts) >= 9, deck.id


@pytest.mark.parametrize(("did", "prompt"), EVERY)
def test_no_prompt_presupposes_children_family_money_or_a_way_of_life(did, prompt):
    assert not PRESUPPOSING.search(prompt), (did, prompt)


def test_the_presupposition_walk_would_catch_what_was_seen():
    for seen in ("What did you love doing as a child that you'd like to share with a child one day?",
                 "How are our kids doing?", "What was your child like?", "What changed when we married?",
                 "Where would you like a clearer boundary with either of our families?",
                 "What would you like to save up for?"):
        assert PRESUPPOSING.search(seen), seen


@pytest.mark.parametrize(("did", "prompt"), EVERY)
def test_no_prompt_speaks_as_one_partner(did, prompt):
    """Both answer each prompt in turn: 'what did I do' is ambiguous; 'your partner' or 'we' is not."""
    assert not SPEAKS_AS_ONE.search(prompt), (did, prompt)


@pytest.mark.parametrize(("did", "prompt"), EVERY)
def test_no_prompt_invites_scorekeeping(did, prompt):
    assert not SCOREKEEPING.search(prompt), (did, prompt)
    assert "something I do that you might not have thanked me for yet" not in prompt


def test_light_prompts_are_light():
    heavy = [(d.id, p) for d in DECKS.values() for p in d.prompts if d.level(p) == "light" and HEAVY.search(p)]
    assert heavy == []


def near(a: str, b: str) -> bool:
    """The same question in other words: most of their words shared."""
    wa, wb = (set(re.findall(r"[a-z']+", x.lower())) for x in (a, b))
    return len(wa & wb) / len(wa | wb) > 0.7


def test_no_near_duplicates_across_decks():
    """What was seen: intimacy and physical closeness asked nearly the same things."""
    found = []
    for i, (a_deck, a) in enumerate(EVERY):
        for b_deck, b in EVERY[i + 1:]:
            if a_deck != b_deck and near(a, b):
                found.append((a_deck, a, b_deck, b))
    assert found == []


def test_the_near_duplicate_check_would_catch_what_was_seen():
    assert near("How can I tell when you'd like some space rather than closeness?",
                "How can I tell when you'd like closeness, and when you'd like some space?")
    assert near("Is there a kind of closeness you'd like more of?", "Is there a kind of affection you'd like more of?")


@pytest.mark.parametrize("ritual", RITUALS)
@pytest.mark.parametrize("did", list(DECKS))
def test_every_deck_and_ritual_pairing(did, ritual):
    """Each pairing follows the ritual's rules; a deck names only rituals that exist or are coming."""
    deck = DECKS[did]
    assert set(deck.rituals) <= SHIPPED | COMING, (did, set(deck.rituals) - SHIPPED - COMING)
    if not deck.suits(ritual):
        return
    if ritual == "stress-reducing":  # stress from outside the two of you: no prompt about the couple
        about_us = [p for p in deck.prompts if ABOUT_THE_COUPLE.search(p) and "outside the two of us" not in p]
        assert about_us == [], (did, about_us)
    if ritual in ("stress-reducing", "appreciation-round", "temperature-reading"):
        assert did not in CONFLICT_DECKS, (did, ritual)
    if ritual == "appreciation-round":
        assert did in ("appreciation", "warm-up"), did
    if ritual == "aftermath-of-a-fight":
        assert did in CONFLICT_DECKS, did


@pytest.mark.parametrize("ritual", RITUALS)
def test_every_ritual_is_offered_decks_that_can_start_light(ritual):
    offered = decks_for(DECKS, ritual)
    assert len(offered) >= 2, (ritual, list(offered))
    assert all("light" in d.intensity for d in offered.values())


def test_the_named_pairings():
    assert {"repair", "how-we-fight"} <= set(decks_for(DECKS, "aftermath-of-a-fight"))
    assert "dreams" in decks_for(DECKS, "dreams-within-conflict")
    assert "household-load" in decks_for(DECKS, "problem-solving")
    assert "outside-stress" in decks_for(DECKS, "stress-reducing")
    for gone in ("repair", "everyday-life", "family", "how-we-fight"):
        assert gone not in decks_for(DECKS, "stress-reducing"), gone
    grievances = ("Is there something at home that quietly bothers you?",
                  "Where would you like a clearer boundary with either of our families?")
    offered = {p for d in decks_for(DECKS, "stress-reducing").values() for p in d.prompts}
    assert not offered & set(grievances)


def test_a_ritual_no_deck_names_gets_the_floor_rituals_decks():
    assert decks_for(DECKS, "our-own-ritual") == decks_for(DECKS, "speaker-listener")


def test_the_prompts_named_in_the_issue_are_rewritten():
    every = {p for _, p in EVERY}
    for gone in ("What is something I do that you might not have thanked me for yet?",
                 "What did you love doing as a child that you'd like to share with a child one day?",
                 "Is there something at home that quietly bothers you?",
                 "Where would you like a clearer boundary with either of our families?",
                 "How can I tell when you'd like some space rather than closeness?"):
        assert gone not in every, gone
    money = DECKS["money"]
    assert [p for p in money.prompts if money.level(p) == "light" and "child" in p] == []


# ----- drawing -----------------------------------------------------------------------


def test_draw_another_never_goes_deeper_unless_asked():
    for seed in range(30):
        rng = random.Random(seed)
        for deck in DECKS.values():
            shown = draw(deck, rng)
            assert deck.level(shown) == "light"
            for _ in range(15):
                shown = draw(deck, rng, avoid=shown)
                assert deck.level(shown) == "light", (deck.id, shown)


def test_asking_to_go_deeper_goes_one_level_and_then_stays_there_or_lighter():
    deck = DECKS["fears"]
    rng = random.Random(5)
    shown = draw(deck, rng)
    assert deeper_than(deck, shown) == "deeper"
    shown = draw(deck, rng, avoid=shown, intensity=deeper_than(deck, shown))
    assert deck.level(shown) == "deeper"
    for _ in range(50):
        shown = draw(deck, rng, avoid=shown)
        assert deck.level(shown) == "deeper"
    assert deeper_than(deck, shown) == "deep"
    shown = draw(deck, rng, avoid=shown, intensity="deep")
    assert deck.level(shown) == "deep" and deeper_than(deck, shown) is None
    for _ in range(50):
        nxt = draw(deck, rng, avoid=shown)
        assert nxt != shown and deck.level(nxt) == "deep"
        shown = nxt


def test_the_only_prompt_at_its_level_is_shown_again_rather_than_a_deeper_one():
    from heartline.sessions.prompts import Deck

    deck = Deck("d", "D", "", ("easy?", "hard?"), ("light", "deep"))
    assert all(draw(deck, random.Random(s), avoid="easy?") == "easy?" for s in range(20))
    assert {draw(deck, random.Random(s), avoid="hard?") for s in range(20)} == {"easy?"}
