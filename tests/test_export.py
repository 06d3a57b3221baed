"""Export: a readable Markdown summary, and the record's own TOML."""

from __future__ import annotations

import re
import tomllib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heartline.sessions import store
from heartline.sessions.export import to_markdown, to_toml
from tests.records import as_read, make_record


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


def rendered_items(md_text: str) -> list[str]:
    """What a Markdown viewer shows for each list item, parsed as `heartline show` parses it (Rich's parser).

    Any token that is not plain text (a link, an HTML tag, emphasis the person
    did not write, inline code) fails: text from people is data, not markup.
    """
    from markdown_it import MarkdownIt

    items, inside = [], 0
    for token in MarkdownIt().enable("strikethrough").enable("table").parse(md_text):
        if token.type == "list_item_open":
            inside += 1
            items.append("")
        elif token.type == "list_item_close":
            inside -= 1
        elif token.type == "inline" and inside:
            if items[-1]:
                items[-1] += "\n"  # a second paragraph in the same item
            for child in token.children:
                if child.type == "text":
                    items[-1] += child.content
                elif child.type in ("softbreak", "hardbreak"):
                    items[-1] += "\n"
                elif child.type in ("strong_open", "strong_close"):
                    continue  # heartline's own bold labels ("**Topic:**")
                elif child.type == "code_inline" and re.fullmatch(r"\d{8}-\d{6}-[a-z0-9-]+", child.content):
                    items[-1] += child.content  # heartline's own: the session's id
                else:
                    raise AssertionError(f"{child.type} in {child.content!r}: markup from a person's text")
        elif token.type in ("html_block", "fence", "code_block", "table_open") or (
                token.type == "heading_open" and inside):
            raise AssertionError(f"{token.type}: markup from a person's text")
    return items


HOSTILE = [
    'Money, "again" 💸 <b>&amp;</b> <script>alert(1)</script>',
    "[click here](https://evil.example) ![x](y) <https://evil.example>",
    "you made *tea* ☕ & said \"it's ok\" __really__ ~~no~~ `code` \\ | a | b |",
]


@pytest.mark.parametrize("typed", HOSTILE)
def test_markdown_renders_text_exactly_as_typed(typed):
    """What a person typed is what a viewer shows: never a link, a hidden tag or a heading (failed before:
    `heartline show` made a hyperlink of a note's [text](url) and dropped <b> and <script> tags)."""
    record = make_record(topic=typed, notes=[
        {"by": "left", "kind": "appreciation", "text": typed},
        {"by": "both", "kind": "commitment", "text": f"walk on Sunday\n# not a heading\n- not a list\n1. nor this\n===\n\n        {typed}", "status": "kept"},
    ])
    record["partners"][0]["name"] = "Zoë 🌻 *"
    record["partners"][1]["name"] = "José [1]"
    items = rendered_items(to_markdown(record))
    assert f"Topic: {typed}" in items
    assert f"Zoë 🌻 *: {typed}" in items
    assert (f"[x] Zoë 🌻 * & José [1]: walk on Sunday\n# not a heading\n- not a list\n1. nor this\n===\n{typed}"
            in items)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab 1.)-+=#*_`[]()<>!&;~|\\\n:/")), max_size=40))
def test_any_note_renders_as_typed(typed):
    """Any mix of Markdown's characters in a note comes out as typed (leading spaces and blank lines aside)."""
    record = make_record(topic="", notes=[{"by": "left", "kind": "appreciation", "text": f"x{typed}x"}])
    expected = "\n".join(line.strip() for line in f"x{typed}x".split("\n") if line.strip())
    shown = [item for item in rendered_items(to_markdown(record)) if item.startswith("Alex: x")]
    assert shown == [f"Alex: {expected}"]


def test_markdown_skips_empty_sections():
    record = make_record(topic="", turns=[], events=[], notes=[])
    record["partners"][0]["name"] = "A|B"
    del record["partners"][1]["mood_before"], record["partners"][1]["mood_after"]
    md = to_markdown(record)
    shown = rendered_items(md)
    assert "A|B: 3 okay → 4 good" in shown and not any(i.startswith("Sam:") for i in shown)  # Sam skipped it
    for absent in ("Topic", "## Turns", "## Moments", "## Held for later", "## Commitments"):
        assert absent not in md


def test_toml_export_is_the_saved_file(heartline_home, sample_record):
    path = store.save_record(sample_record, heartline_home)
    text = to_toml(sample_record)
    assert text == path.read_text(encoding="utf-8")
    assert tomllib.loads(text) == as_read(sample_record)
    assert text.count("[[events]]") == 1 and text.count("[[partners]]") == 2
