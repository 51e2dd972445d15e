"""A domain may declare one record type in two parts (person's file, retention)."""

from __future__ import annotations

import pytest

from hr_social.records import registry
from hr_social.records.registry import RecordType, RetentionDefault, register_record_type


@pytest.fixture
def empty(monkeypatch):
    monkeypatch.setattr(registry, "RECORD_TYPES", {})


def entries(person, viewer):
    return []


def test_two_parts_of_one_record_type_merge(empty):
    register_record_type(RecordType("demo.thing", "Choses", entries_for_person=entries,
                                    extra={"a": 1}))
    merged = register_record_type(RecordType(
        "demo.thing", "Choses", retention_events=("closing",),
        retention_default=RetentionDefault(12, "closing", "destroy"), extra={"b": 2}))
    assert merged.entries_for_person is entries
    assert merged.retention_events == ("closing",)
    assert merged.extra == {"a": 1, "b": 2}
    assert registry.record_type("demo.thing") is merged


def test_a_field_declared_twice_differently_is_an_error(empty):
    register_record_type(RecordType("demo.thing", "Choses", retention_events=("closing",)))
    with pytest.raises(ValueError, match="declared twice"):
        register_record_type(RecordType("demo.thing", "Choses",
                                        retention_events=("departure",)))
