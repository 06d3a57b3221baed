"""Export: a readable Markdown summary, and the record's own TOML."""

from __future__ import annotations

import tomllib

from heartline.sessions import store
from heartline.sessions.export import to_markdown, to_toml
from tests.records import make_record


def test_markdown_has_the_summary(sample_record):
    md = to_markdown(sample_record)
    assert md.startswith("# Alex & Sam — Thursday 26 November 2026\n")
    for expected in (
        "- **When:** 2026-11-26 19:05–19:31 (UTC+0100)",
        "- **Ritual:** speaker-listener",
        "- **Topic:** How we spend the holidays",
        "- **Time together:** 26 min (26:28)",
        "- **Status:** completed",
        "`20261126-190512-alex-sam`",
        "## Together\n\n- 26 min together.\n- The floor was shared about evenly (Alex 6:42 · Sam 6:20).",
        "    Alex ████████████▒▒▒▒▒▒▒▒▒▒▒▒ Sam",
        "## How you felt, before → after\n\n- Alex: 3 okay → 4 good\n- Sam: 2 low → 4 good",
        "## Held for later\n\n- **Sam:** ask about the flights",
        "## Commitments\n\n- [ ] **Alex:** book the train",
    ):
        assert expected in md, expected


def test_markdown_uses_the_ritual_name_when_given(sample_record):
    assert "- **Ritual:** Speaker–listener" in to_markdown(sample_record, "Speaker–listener")


def test_markdown_shows_text_verbatim():
    record = make_record(topic='Money, "again" 💸 <b>&amp;</b>', notes=[
        {"by": "left", "kind": "appreciation", "text": "you made *tea* ☕ & said \"it's ok\""},
        {"by": "both", "kind": "commitment", "text": "walk on Sunday\nand Monday", "status": "kept"},
    ])
    record["partners"][0]["name"] = "Zoë 🌻"
    record["partners"][1]["name"] = "José"
    md = to_markdown(record)
    assert md.startswith("# Zoë 🌻 & José — ")
    assert '- **Topic:** Money, "again" 💸 <b>&amp;</b>' in md
    assert "- **Zoë 🌻:** you made *tea* ☕ & said \"it's ok\"" in md
    assert "- [x] **Zoë 🌻 & José:** walk on Sunday\n  and Monday" in md


def test_markdown_skips_empty_sections():
    record = make_record(topic="", turns=[], events=[], notes=[])
    record["partners"][0]["name"] = "A|B"
    del record["partners"][1]["mood_before"], record["partners"][1]["mood_after"]
    md = to_markdown(record)
    assert "- A|B: 3 okay → 4 good\n" in md and "- Sam:" not in md  # Sam skipped the check-in
    for absent in ("Topic", "## Turns", "## Moments", "## Held for later", "## Commitments"):
        assert absent not in md


def test_toml_export_is_the_saved_file(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    text = to_toml(sample_record)
    assert text == path.read_text(encoding="utf-8")
    assert tomllib.loads(text) == sample_record
    assert text.count("[[events]]") == 2 and text.count("[[partners]]") == 2
