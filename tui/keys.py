"""Each partner's keys, in one place, so on-screen hints always name the real key."""

from __future__ import annotations

PARTNER_KEYS = {
    "left": {"done": "f", "not_quite": "d", "note": "s"},
    "right": {"done": "j", "not_quite": "k", "note": "l"},
}

# Sealed check-in: each partner answers on their own side of the number row.
MOOD_KEYS = {
    "left": {"1": 1, "2": 2, "3": 3, "4": 4, "5": 5},
    "right": {"6": 1, "7": 2, "8": 3, "9": 4, "0": 5},
}


def key(side: str, what: str) -> str:
    return PARTNER_KEYS[side][what]


def mood_key(side: str, mood: int) -> str:
    return next(k for k, v in MOOD_KEYS[side].items() if v == mood)
