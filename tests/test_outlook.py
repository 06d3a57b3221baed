"""Solvable or gridlocked (issue 18, item 4): a shared mark in the record; gridlocked or recurring offers dreams."""

from __future__ import annotations

from datetime import datetime

import pytest

from heartline.sessions import store
from heartline.sessions.outlook import DREAMS_RITUAL, mark, offers_dreams, recurs
from tests.records import CET, make_record

RITUALS = {"speaker-listener", DREAMS_RITUAL}


@pytest.mark.parametrize("outlook", ["solvable", "gridlocked"])
def test_the_mark_is_kept_in_the_file_as_a_shared_fact(tmp_path, outlook):
    store.save_record(make_record(), tmp_path)
    mark(tmp_path, "20261126-190512-alex-sam", outlook)
    saved = store.load_record(store.find_session(tmp_path, "20261126-190512-alex-sam"))
    assert saved["topic_outlook"] == outlook
    assert "by" not in str(saved.get("topic_outlook"))  # no one's: the couple's
    mark(tmp_path, "20261126", "solvable")  # may be changed later
    assert store.load_record(store.find_session(tmp_path, "20261126"))["topic_outlook"] == "solvable"


def test_nothing_else_can_be_marked(tmp_path):
    store.save_record(make_record(), tmp_path)
    with pytest.raises(ValueError):
        mark(tmp_path, "20261126", "hopeless")
    store.save_record(make_record(id="20261127-100000-alex-sam", topic=""), tmp_path)
    with pytest.raises(ValueError):
        mark(tmp_path, "20261127-100000-alex-sam", "solvable")


def test_a_gridlocked_topic_is_offered_dreams_within_conflict_when_it_is_there(tmp_path):
    record = make_record(topic_outlook="gridlocked")
    assert offers_dreams(record, None, RITUALS)
    assert not offers_dreams(record, None, {"speaker-listener"})  # not built yet: not offered
    assert not offers_dreams(make_record(topic_outlook="solvable"), None, RITUALS)
    assert not offers_dreams(make_record(), None, RITUALS)


def test_a_topic_recurring_in_the_index_is_offered_it_too(tmp_path):
    first = make_record(topic="The holidays")
    store.save_record(first, tmp_path)
    assert not recurs(tmp_path, "the holidays") and not offers_dreams(first, tmp_path, RITUALS)
    again = make_record(id="20261203-200000-alex-sam", topic="the  Holidays!",
                        started_at=datetime(2026, 12, 3, 20, tzinfo=CET), ended_at=datetime(2026, 12, 3, 20, 30, tzinfo=CET))
    store.save_record(again, tmp_path)
    assert recurs(tmp_path, "The holidays")
    assert offers_dreams(again, tmp_path, RITUALS)
