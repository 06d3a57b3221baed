"""Export to files: SVG pictures, one file a session with --all, nothing replaced without --force."""

from __future__ import annotations

import os
import stat
import xml.dom.minidom

from heartline.sessions import store
from heartline.sessions.export import timeline, to_svg
from heartline.tui import cli
from tests.bench.generate import generate
from tests.records import make_record


def run(capsys, *argv):
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_svg_is_valid_xml_with_names_and_topic(heartline_home, tmp_path, capsys):
    store.save_record(make_record(topic="Weekend <plans> & “hopes”"), heartline_home)
    target = tmp_path / "out" / "s.svg"
    target.parent.mkdir()
    code, out, err = run(capsys, "export", "20261126", "-o", str(target))  # the suffix says svg
    assert (code, err) == (0, "")
    text = target.read_text(encoding="utf-8")
    doc = xml.dom.minidom.parseString(text)
    assert doc.documentElement.tagName == "svg"
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600
    # Rich writes each cell as text, spaces as &#160;: compare the text nodes
    words = "".join(n.data for n in doc.getElementsByTagName("text") for n in n.childNodes if n.nodeType == n.TEXT_NODE)
    words = words.replace("\xa0", " ")
    for needle in ("Alex", "Sam", "Weekend <plans> & “hopes”", "Timeline"):
        assert needle in words


def test_svg_on_stdout(heartline_home, capsys):
    store.save_record(make_record(), heartline_home)
    code, out, _ = run(capsys, "export", "20261126", "--format", "svg")
    assert code == 0
    xml.dom.minidom.parseString(out)


def test_no_overwrite_without_force(heartline_home, tmp_path, capsys):
    store.save_record(make_record(), heartline_home)
    target = tmp_path / "notes.md"
    target.write_text("mine", encoding="utf-8")
    code, out, err = run(capsys, "export", "20261126", "-o", str(target))
    assert code == 2 and "already exists" in err and "--force" in err and err.count("\n") == 1
    assert target.read_text(encoding="utf-8") == "mine"
    assert run(capsys, "export", "20261126", "-o", str(target), "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Alex & Sam")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o600


def test_export_all_writes_one_private_file_a_session(heartline_home, tmp_path, capsys):
    paths = generate(heartline_home, 7, seed=2)
    out_dir = tmp_path / "all"
    for fmt in ("md", "toml"):
        code, out, err = run(capsys, "export", "--all", "--format", fmt, "-o", str(out_dir))
        assert (code, err) == (0, "") and "7 sessions written" in out
        files = sorted(out_dir.glob(f"*.{fmt}"))
        assert [f.stem for f in files] == sorted(p.stem for p in paths)
        assert all(stat.S_IMODE(os.stat(f).st_mode) == 0o600 for f in files)
    assert stat.S_IMODE(os.stat(out_dir).st_mode) == 0o700
    for p in paths:  # toml exports are the records themselves
        assert store.load_record(out_dir / f"{p.stem}.toml") == store.load_record(p)
    before = {f: f.stat().st_mtime_ns for f in out_dir.iterdir()}
    code, out, err = run(capsys, "export", "--all", "--format", "md", "-o", str(out_dir))
    assert code == 2 and "--force" in err and err.count("\n") == 1
    assert {f: f.stat().st_mtime_ns for f in out_dir.iterdir()} == before
    assert run(capsys, "export", "--all", "--format", "md", "-o", str(out_dir), "--force")[0] == 0


def test_export_all_into_a_file_is_a_mistake(heartline_home, tmp_path, capsys):
    store.save_record(make_record(), heartline_home)
    (tmp_path / "f").write_text("x")
    code, _, err = run(capsys, "export", "--all", "-o", str(tmp_path / "f"))
    assert code == 2 and "not a folder" in err


def test_timeline_in_order_with_shared_words():
    record = make_record()
    rows = timeline(record)
    assert [o for o, _ in rows] == sorted(o for o, _ in rows)
    text = "\n".join(w for _, w in rows)
    assert "Alex had the floor" in text and "Sam reflected back" in text and "Together you paused" in text
    assert "interruption" not in text.casefold() and "blocked" not in text.casefold()
    xml.dom.minidom.parseString(to_svg(record))


def _svg_words(svg: str) -> str:
    doc = xml.dom.minidom.parseString(svg)
    words = "".join(n.data for t in doc.getElementsByTagName("text") for n in t.childNodes if n.nodeType == n.TEXT_NODE)
    return words.replace("\xa0", " ")


def test_svg_keeps_the_appreciations_and_commitments_the_markdown_has():
    """Issue 17, item 17: the picture left out every note the Markdown lists."""
    from heartline.sessions.export import to_markdown

    record = make_record()
    record["notes"] = [
        {"by": "left", "kind": "appreciation", "text": "you made soup when I was ill"},
        {"by": "right", "kind": "commitment", "text": "book the train", "status": "kept"},
        {"by": "left", "kind": "commitment", "text": "call your mum", "status": "open"},
    ]
    markdown = to_markdown(record)
    words = _svg_words(to_svg(record, width=120))
    for needle in ("you made soup when I was ill", "book the train", "call your mum"):
        assert needle in markdown and needle in words
    assert "[x] Sam: book the train" in words and "[ ] Alex: call your mum" in words


def test_a_step_taken_together_is_credited_to_both():
    """Issue 17, item 17: "Maya chose an issue together" — `by` only says who began a joint step."""
    record = make_record(protocol="state-of-the-union")
    record["turns"] = [
        {"round": 1, "phase": "choose-issue", "by": "left", "together": True, "started_offset_seconds": 0.0,
         "planned_seconds": 60, "actual_seconds": 30.0, "overtime_seconds": 0.0, "ended_by": "done"},
        {"round": 1, "phase": "speak", "by": "right", "started_offset_seconds": 30.0,
         "planned_seconds": 120, "actual_seconds": 100.0, "overtime_seconds": 0.0, "ended_by": "done"},
    ]
    text = "\n".join(w for _, w in timeline(record))
    assert "Alex & Sam chose an issue together" in text
    assert "Alex chose" not in text and "Sam had the floor" in text
    assert "Alex & Sam chose an issue together" in _svg_words(to_svg(record, width=120))


def test_an_answer_to_a_check_is_stamped_when_it_was_said():
    """"Not quite" said 8 s into "Did they get it?" (after a pause) is on the timeline then, not at the check's start."""
    from heartline.sessions.clock import ManualClock
    from heartline.sessions.engine import LEFT, RIGHT
    from heartline.sessions.rituals import load_rituals
    from heartline.sessions.setup import SessionPlan

    clock = ManualClock()
    engine = SessionPlan("speaker-listener", "Alex", "Sam", speak=120, reflect=45, rounds=1, rules=False,
                         checkin=False, first=LEFT).engine(load_rituals().get("speaker-listener"), clock)
    clock.advance(10)
    engine.press(LEFT, "done")  # Alex's first chunk
    clock.advance(20)
    engine.press(RIGHT, "done")  # Sam says it back: "Did they get it?" asked at 0:30
    clock.advance(3)
    engine.toggle_pause()
    clock.advance(30)
    engine.toggle_pause()
    clock.advance(5)
    assert engine.press(LEFT, "not-quite").what == "retry"  # at 1:08
    clock.advance(15)
    engine.press(LEFT, "done")  # said again
    rows = timeline(engine.record())
    said = [(offset, words) for offset, words in rows if words.startswith("Alex:")]
    assert said == [(68.0, "Alex: “not quite”")]
    assert [words for _, words in rows].index("Alex: “not quite”") == \
        [words for _, words in rows].index("Alex said it again for 0:15") - 1  # then saying it again, in order
