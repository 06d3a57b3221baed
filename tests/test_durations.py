"""Durations as people type them, and as the screens show them."""

from __future__ import annotations

import pytest

from heartline.sessions.durations import format_duration, human_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("90", 90), ("90s", 90), ("2m", 120), ("1m30s", 90), (" 2M ", 120), ("1M30S", 90), ("1:30", 90), ("0:05", 5), ("60:00", 3600),
     ("1", 1), ("60m", 3600), ("3600", 3600), ("59m60s", 3600), ("1m 30s", 90), ("0m5s", 5)],
)
def test_parse_accepts_the_documented_forms(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["2h", "", "   ", "m", "s", "1.5m", "-5", "1m30", "abc", "90 seconds please", "1s2m", "1:75", "1:3", ":30"])
def test_parse_rejects_other_text_with_a_helpful_message(text):
    with pytest.raises(ValueError) as info:
        parse_duration(text)
    assert str(info.value) == f"{text!r} is not a duration: use 90, 90s, 2m, 1m30s or 1:30 (1 second to 60 minutes)"


def test_parse_message_for_2h_is_the_documented_one():
    with pytest.raises(ValueError, match=r"^'2h' is not a duration: use 90, 90s, 2m, 1m30s or 1:30 \(1 second to 60 minutes\)$"):
        parse_duration("2h")


@pytest.mark.parametrize("text", ["0", "0s", "0m", "61m", "3601", "60m1s", "99999999999999", "0:00", "60:01"])
def test_parse_rejects_out_of_range(text):
    with pytest.raises(ValueError, match="1 second to 60 minutes"):
        parse_duration(text)


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (5, "0:05"), (125, "2:05"), (3723, "1:02:03"), (59.2, "1:00"), (0.1, "0:01"),
     (120.0000000001, "2:00"), (3600, "1:00:00"), (-5, "-0:05")],
)
def test_format_duration(seconds, shown):
    assert format_duration(seconds) == shown


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(0, "0 s"), (45, "45 s"), (59.4, "59 s"), (31.6, "31 s"), (59.6, "1 min"), (60, "1 min"), (1440, "24 min"), (1588.2, "26 min"),
     (3600, "1 h"), (3900, "1 h 5 min"), (7260, "2 h 1 min")],
)
def test_human_duration(seconds, said):
    assert human_duration(seconds) == said


@pytest.mark.parametrize(("seconds", "shown"), [(26.1, "0:26"), (59.9, "0:59"), (60, "1:00"), (0.4, "0:00"), (119.9999999999, "2:00")])
def test_time_spent_rounds_down_like_a_stopwatch(seconds, shown):
    assert format_duration(seconds, elapsed=True) == shown
