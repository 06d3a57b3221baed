"""Prompt decks: the built-ins load, user decks add or replace, draw never repeats the last prompt."""

from __future__ import annotations

import json
import random
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from heartline.sessions.prompts import BUILTIN_ORDER, Deck, DeckError, draw, load_deck_file, load_decks

DECK_DIR = Path(str(resources.files("heartline.sessions").joinpath("decks")))
EXPECTED = ("warm-up", "outside-stress", "dreams", "fears", "aspirations", "appreciation", "everyday-life", "repair",
            "intimacy", "the-future", "money", "family", "parenting", "play", "physical-closeness", "sex-and-desire",
            "trust-and-jealousy", "household-load", "faith-and-values", "illness-and-caregiving", "grief-and-loss",
            "work-and-moving", "friends-and-time-apart", "phones", "alcohol", "culture-and-identity",
            "blended-families", "how-we-fight")
RICH = ("dreams", "fears", "aspirations", "appreciation", "everyday-life", "repair", "the-future")  # 18 or more


def norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip("?.!")


def test_all_builtin_decks_load_in_order():
    decks, errors = load_decks()
    assert errors == []
    assert tuple(decks) == EXPECTED == BUILTIN_ORDER
    for did, deck in decks.items():
        assert isinstance(deck, Deck)
        assert deck.id == did
        assert deck.name and deck.description
        assert "\n" not in deck.description
        assert isinstance(deck.prompts, tuple)
        assert len(deck.prompts) >= (15 if did in RICH else 9), did
        assert all(isinstance(p, str) and p.strip() == p and p for p in deck.prompts)


def test_repair_deck_is_about_repair():
    decks, _ = load_decks()
    assert "fight" in decks["repair"].name.lower() or "fight" in decks["repair"].description.lower()


@pytest.mark.parametrize("did", EXPECTED)
def test_builtin_files_have_no_duplicate_prompts(did):
    # Read the file itself: the loader drops repeats, so checking its output could never fail.
    data = tomllib.loads((DECK_DIR / f"{did}.toml").read_text("utf-8"))
    assert data["id"] == did
    prompts = [p for level in ("light", "deeper", "deep") for p in data.get(level, [])]
    assert "prompts" not in data  # every built-in prompt says its intensity
    assert len(prompts) >= (18 if did in RICH else 9)
    seen = [norm(p) for p in prompts]
    dupes = sorted({p for p in seen if seen.count(p) > 1})
    assert dupes == []


def test_no_prompt_is_shared_between_builtin_decks():
    decks, _ = load_decks()
    owner: dict[str, str] = {}
    for deck in decks.values():
        for p in deck.prompts:
            assert norm(p) not in owner, (p, owner.get(norm(p)), deck.id)
            owner[norm(p)] = deck.id


def test_prompts_are_questions_or_gentle_invitations():
    decks, _ = load_decks()
    for deck in decks.values():
        for p in deck.prompts:
            assert p.endswith(("?", ".")), (deck.id, p)
            assert len(p) <= 120, (deck.id, p)


def test_draw_returns_a_prompt_from_the_deck_and_is_reproducible():
    decks, _ = load_decks()
    deck = decks["dreams"]
    a = [draw(deck, random.Random(7)) for _ in range(3)]
    b = [draw(deck, random.Random(7)) for _ in range(3)]
    assert a == b
    assert all(p in deck.prompts for p in a)


def test_draw_avoids_the_previous_prompt():
    decks, _ = load_decks()
    rng = random.Random(1)
    for deck in decks.values():
        previous = deck.prompts[0]
        for _ in range(200):
            nxt = draw(deck, rng, avoid=previous)
            assert nxt != previous
            assert nxt in deck.prompts
            previous = nxt


def test_draw_avoid_with_two_prompts_always_alternates():
    deck = Deck("two", "Two", "", ("first?", "second?"))
    rng = random.Random(0)
    assert all(draw(deck, rng, avoid="first?") == "second?" for _ in range(50))
    assert all(draw(deck, rng, avoid="second?") == "first?" for _ in range(50))


def test_draw_covers_the_deck():
    """Drawing again stays at a level; asking for each level in turn reaches every prompt."""
    decks, _ = load_decks()
    deck = decks["fears"]
    rng = random.Random(3)
    seen = set()
    for level in ("light", "deeper", "deep"):
        previous = draw(deck, rng, intensity=level)
        for _ in range(700):
            previous = draw(deck, rng, avoid=previous)
            seen.add(previous)
    assert seen == set(deck.prompts)


def test_draw_single_prompt_deck_returns_it_even_if_avoided():
    deck = Deck("one", "One", "", ("only?",))
    assert draw(deck, random.Random(0), avoid="only?") == "only?"
    assert draw(deck, random.Random(0), avoid=None) == "only?"


def test_draw_empty_deck_raises():
    with pytest.raises(ValueError):
        draw(Deck("none", "None", "", ()), random.Random(0))


# ----- user decks -----------------------------------------------------------------


def write(path: Path, did: str = "ours", name: str = "Ours", prompts=("What made you laugh today?", "Tea or coffee?")):
    body = "".join(f"  {json.dumps(p)},\n" for p in prompts)
    path.write_text(f'id = "{did}"\nname = "{name}"\ndescription = "Our own."\nprompts = [\n{body}]\n', "utf-8")


def test_user_deck_loads_after_builtins(tmp_path):
    write(tmp_path / "ours.toml")
    decks, errors = load_decks(tmp_path)
    assert errors == []
    assert tuple(decks)[:len(EXPECTED)] == EXPECTED
    assert tuple(decks)[-1] == "ours"
    assert decks["ours"].prompts == ("What made you laugh today?", "Tea or coffee?")


def test_user_deck_replaces_builtin_by_id(tmp_path):
    write(tmp_path / "x.toml", did="dreams", name="Our dreams")
    decks, errors = load_decks(tmp_path)
    assert errors == []
    assert decks["dreams"].name == "Our dreams"
    assert len(decks["dreams"].prompts) == 2
    assert tuple(decks) == EXPECTED


def test_user_deck_repeats_and_whitespace_are_tidied(tmp_path):
    write(tmp_path / "r.toml", prompts=("  Same  question? ", "Same question?", "Other?"))
    decks, errors = load_decks(tmp_path)
    assert errors == []
    assert decks["ours"].prompts == ("Same question?", "Other?")


def test_missing_user_dir_is_fine(tmp_path):
    decks, errors = load_decks(tmp_path / "nope")
    assert errors == [] and len(decks) == len(EXPECTED)


BROKEN = {
    "not-toml": (b"prompts = [unclosed", "not valid TOML"),
    "binary": (bytes(range(256)), "not UTF-8"),
    "missing-id": (b'name = "N"\nprompts = ["a?"]\n', "id: is missing"),
    "bad-id": (b'id = "Big Deck"\nname = "N"\nprompts = ["a?"]\n', "id: must be lowercase"),
    "missing-name": (b'id = "n"\nprompts = ["a?"]\n', "name: is missing"),
    "missing-prompts": (b'id = "n"\nname = "N"\n', "prompts: is missing"),
    "prompts-not-list": (b'id = "n"\nname = "N"\nprompts = "a?"\n', "prompts: must be a list"),
    "prompt-not-text": (b'id = "n"\nname = "N"\nprompts = ["a?", 3]\n', "prompts[2]: must be text"),
    "prompt-empty": (b'id = "n"\nname = "N"\nprompts = ["a?", "  "]\n', "prompts[2]: is empty"),
    "no-prompts": (b'id = "n"\nname = "N"\nprompts = []\n', "prompts: needs at least one"),
    "description-not-text": (b'id = "n"\nname = "N"\ndescription = 1\nprompts = ["a?"]\n', "description: must be text"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_user_deck_is_reported_and_others_still_load(tmp_path, case):
    content, expected = BROKEN[case]
    path = tmp_path / f"{case}.toml"
    path.write_bytes(content)
    write(tmp_path / "zz-good.toml", did="good-one")
    decks, errors = load_decks(tmp_path)
    assert len(errors) == 1, errors
    assert isinstance(errors[0], str)
    assert errors[0].startswith(f"{path}: ")
    assert expected in errors[0]
    assert tuple(decks)[:len(EXPECTED)] == EXPECTED
    assert "good-one" in decks


def test_load_deck_file_raises_deck_error_with_field(tmp_path):
    path = tmp_path / "d.toml"
    path.write_bytes(BROKEN["prompt-not-text"][0])
    with pytest.raises(DeckError) as info:
        load_deck_file(path)
    assert info.value.field == "prompts[2]"
    assert info.value.source == str(path)


def test_prompts_module_does_not_import_textual():
    import subprocess

    code = "import sys, heartline.sessions.prompts; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[1], check=True)
    assert out.stdout.strip() == "False"



def test_every_builtin_prompt_has_an_intensity_and_every_deck_ritual_tags():
    from heartline.sessions.prompts import INTENSITIES
    from heartline.sessions.rituals import load_rituals

    decks, _ = load_decks()
    ritual_ids = {r.id for r in load_rituals()} | {"aftermath-of-a-fight", "dreams-within-conflict", "problem-solving"}
    for deck in decks.values():
        assert deck.rituals and set(deck.rituals) <= ritual_ids, deck.id
        assert len(deck.intensity) == len(deck.prompts)
        assert all(level in INTENSITIES for level in deck.intensity), deck.id
        assert "light" in deck.intensity, deck.id  # every deck can start gently


def test_no_repair_prompts_in_a_stress_reducing_conversation():
    from heartline.sessions.prompts import decks_for

    decks, _ = load_decks()
    assert "repair" not in decks_for(decks, "stress-reducing")
    assert "warm-up" in decks_for(decks, "stress-reducing")


def test_the_first_random_draw_is_light():
    """What was seen: 'What fear did you carry as a child…' could be the first prompt drawn."""
    decks, _ = load_decks()
    for seed in range(40):
        for deck in decks.values():
            first = draw(deck, random.Random(seed))
            assert deck.level(first) == "light", (deck.id, first)
    deep = [p for p in decks["fears"].prompts if decks["fears"].level(p) == "deep"]
    assert draw(decks["fears"], random.Random(1), intensity="deep") in deep  # unless the couple chooses


def test_presupposing_prompts_are_open_now():
    decks, _ = load_decks()
    every = {p for d in decks.values() for p in d.prompts}
    for gone in ("What makes you glad you chose me, today?", "When did you last feel proud of me?",
                 "What did you hear me say that hurt the most?"):
        assert gone not in every
    assert "How do you feel about how we split the work at home?" not in decks["everyday-life"].prompts


def test_user_deck_with_intensities_and_rituals(tmp_path):
    (tmp_path / "ours.toml").write_text('id = "ours"\nname = "Ours"\nrituals = ["speaker-listener"]\n'
                                        'light = ["Tea or coffee?"]\ndeep = ["What scares you?"]\n')
    decks, errors = load_decks(tmp_path)
    assert errors == []
    ours = decks["ours"]
    assert ours.level("Tea or coffee?") == "light" and ours.level("What scares you?") == "deep"
    assert ours.suits("speaker-listener") and not ours.suits("stress-reducing")
