"""State as JSON Lines between machines: the file's shape, and a merge where the newest wins."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from papertui.models import Mark
from papertui.organise import NoteRow, Organiser, SavedRow, TagRow
from papertui.state import StateStore
from papertui.state_sync import export_state, format_time, import_state, parse_time

# 2025-08-13T09:00:00Z and a few seconds after it.
T0 = 1755075600.0
T1, T2, T3 = T0 + 1, T0 + 2, T0 + 3


class Machine:
    """One machine's state database."""

    def __init__(self, folder: Path, papers: tuple[str, ...] = ()) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.store = StateStore.open(folder / "state.db")
        self.organiser = Organiser(self.store)
        self.papers = set(papers)

    def export(self) -> str:
        return export_state(self.store, self.organiser)

    def import_(self, text: str):
        return import_state(text, self.store, self.organiser, self.papers.__contains__)

    def facts(self):
        """Everything stored, times included."""
        return (self.store.mark_rows(), self.organiser.tag_rows(), self.organiser.note_rows(),
                self.organiser.saved_rows())


@pytest.fixture
def laptop(tmp_path: Path) -> Machine:
    machine = Machine(tmp_path / "laptop", ("2001.08361", "2310.01217"))
    machine.store.put_mark_fields([("2310.01217", "starred", True, T1),
                                   ("2001.08361", "read", True, T0),
                                   ("2001.08361", "starred", False, T2)])
    machine.organiser.put_tag_rows([TagRow("2001.08361", "survey", True, T1),
                                    TagRow("2001.08361", "old", False, T2),
                                    TagRow("2001.08361", "baselines", True, T0)])
    machine.organiser.put_note_rows([NoteRow("2001.08361", "Use for §2\nsee *fig. 3*", T3)])
    machine.organiser.put_saved_rows([SavedRow("To read", "tag:survey is:unread", True, T1),
                                      SavedRow("gone", "cat:cs.CV", False, T3)])
    return machine


def test_the_file_is_paper_lines_sorted_by_id_then_saved_searches_sorted_by_name(laptop):
    assert laptop.export().splitlines() == [json.dumps(line, ensure_ascii=False) for line in [
        {"kind": "paper", "id": "2001.08361",
         "read": {"value": True, "changed": "2025-08-13T09:00:00.000000Z"},
         "starred": {"value": False, "changed": "2025-08-13T09:00:02.000000Z"},
         "note": {"text": "Use for §2\nsee *fig. 3*", "changed": "2025-08-13T09:00:03.000000Z"},
         "tags": {"baselines": {"added": "2025-08-13T09:00:00.000000Z"},
                  "old": {"removed": "2025-08-13T09:00:02.000000Z"},
                  "survey": {"added": "2025-08-13T09:00:01.000000Z"}}},
        {"kind": "paper", "id": "2310.01217",
         "starred": {"value": True, "changed": "2025-08-13T09:00:01.000000Z"}},
        {"kind": "saved", "name": "gone", "query": "cat:cs.CV",
         "removed": "2025-08-13T09:00:03.000000Z"},
        {"kind": "saved", "name": "To read", "query": "tag:survey is:unread",
         "added": "2025-08-13T09:00:01.000000Z"},
    ]]


def test_times_keep_microseconds_and_need_a_zone():
    assert format_time(1_755_075_600_123_456) == "2025-08-13T09:00:00.123456Z"
    assert parse_time("2025-08-13T09:00:00.123456Z") == 1_755_075_600_123_456
    assert parse_time("2025-08-13T11:00:00.123456+02:00") == 1_755_075_600_123_456
    with pytest.raises(ValueError):
        parse_time("2025-08-13T09:00:00")


def test_a_fresh_machine_gets_everything_and_exports_the_same_file(laptop, tmp_path):
    desk = Machine(tmp_path / "desk", ("2001.08361",))
    report = desk.import_(laptop.export())
    assert report.problems == []
    assert desk.export() == laptop.export()
    assert desk.facts() == laptop.facts()
    assert report.changes == [
        "2001.08361: read, +baselines, +survey, note set",
        "2310.01217: starred (not in the library yet: kept for when it arrives)",
        "saved search 'To read' added: tag:survey is:unread",
    ]
    assert report.note_ids == {"2001.08361"}
    assert report.summary() == "2 papers and 1 saved search changed"
    assert desk.organiser.tags_of("2001.08361") == ("baselines", "survey")
    assert desk.organiser.note("2001.08361") == "Use for §2\nsee *fig. 3*"
    assert desk.store.all() == {"2001.08361": Mark(read=True, starred=False),
                                "2310.01217": Mark(read=False, starred=True)}
    assert [r.name for r in desk.organiser.saved()] == ["To read"]


def test_importing_the_same_file_twice_changes_nothing(laptop, tmp_path):
    desk = Machine(tmp_path / "desk")
    text = laptop.export()
    desk.import_(text)
    before = desk.facts()
    again = desk.import_(text)
    assert (again.changes, again.problems, again.summary()) == ([], [], "nothing changed")
    assert desk.facts() == before
    assert laptop.import_(desk.export()).changes == []
    assert laptop.export() == text


def test_the_newest_change_of_each_field_and_tag_wins(laptop, tmp_path):
    desk = Machine(tmp_path / "desk", ("2001.08361",))
    desk.import_(laptop.export())
    # On the desk, later: unread, star, drop "survey", re-add "old", clear the note.
    desk.store.put_mark_fields([("2001.08361", "read", False, T3),
                                ("2001.08361", "starred", True, T3)])
    desk.organiser.put_tag_rows([TagRow("2001.08361", "survey", False, T3),
                                 TagRow("2001.08361", "old", True, T3)])
    desk.organiser.put_note_rows([NoteRow("2001.08361", "", T3 + 1)])
    # On the laptop, later still: tag "new"; earlier than the desk: nothing else.
    laptop.organiser.put_tag_rows([TagRow("2001.08361", "new", True, T3 + 2)])
    report = laptop.import_(desk.export())
    assert report.changes == ["2001.08361: unread, starred, +old, -survey, note cleared"]
    assert laptop.organiser.tags_of("2001.08361") == ("baselines", "new", "old")
    assert laptop.organiser.note("2001.08361") == ""
    assert laptop.store.all()["2001.08361"] == Mark(read=False, starred=True)
    # ... and the desk takes the laptop's newer tag, older facts losing to its own.
    assert desk.import_(laptop.export()).changes == ["2001.08361: +new"]
    assert desk.export() == laptop.export()


def test_an_older_change_in_the_file_loses_and_a_removal_is_not_undone(laptop, tmp_path):
    old = Machine(tmp_path / "old")
    old.organiser.put_tag_rows([TagRow("2001.08361", "old", True, T0)])  # before its removal
    old.organiser.put_saved_rows([SavedRow("gone", "cat:cs.CV", True, T0)])
    report = laptop.import_(old.export())
    assert report.changes == []
    assert "old" not in laptop.organiser.tags_of("2001.08361")
    assert [r.name for r in laptop.organiser.saved()] == ["To read"]


def test_changes_at_the_same_time_settle_the_same_way_on_both_machines(tmp_path):
    one, two = Machine(tmp_path / "one"), Machine(tmp_path / "two")
    one.store.put_mark_fields([("p", "starred", False, T1)])
    two.store.put_mark_fields([("p", "starred", True, T1)])
    one.organiser.put_note_rows([NoteRow("p", "apple", T1)])
    two.organiser.put_note_rows([NoteRow("p", "banana", T1)])
    first, second = one.export(), two.export()
    one.import_(second)
    two.import_(first)
    assert one.export() == two.export()
    assert one.organiser.note("p") == "banana" and one.store.all()["p"].starred


def test_a_newer_time_with_the_same_value_moves_the_time_without_a_report(tmp_path):
    one, two, three = (Machine(tmp_path / name) for name in ("one", "two", "three"))
    one.organiser.put_tag_rows([TagRow("p", "x", True, T1)])
    two.organiser.put_tag_rows([TagRow("p", "x", True, T3)])
    three.organiser.put_tag_rows([TagRow("p", "x", False, T2)])
    assert one.import_(two.export()).changes == []
    one.import_(three.export())  # older than the add one now knows of
    assert one.organiser.tags_of("p") == ("x",)


def test_a_damaged_line_is_named_and_the_rest_is_imported(laptop, tmp_path):
    lines = laptop.export().splitlines()
    bad = [
        '{"kind": "paper", "id": "x", "read": {"value": "yes", "changed": "2025-08-13T09:00:00Z"}',
        '{"kind": "paper", "id": "x", "read": {"value": "yes", "changed": "2025-08-13T09:00:00Z"}}',
        '{"kind": "paper", "id": "x", "tags": {"Bad Tag!": {"added": "2025-08-13T09:00:00Z"}}}',
        '{"kind": "paper", "id": "x", "tags": {"ok": {"added": "yesterday"}}}',
        '{"kind": "paper", "id": "x", "note": {"text": "n", "changed": "2025-08-13T09:00:00"}}',
        '{"kind": "saved", "name": "broken", "query": "is:nonsense", "added": "2025-08-13T09:00:00Z"}',
        '{"kind": "saved", "name": "both", "query": "", "added": "2025-08-13T09:00:00Z",'
        ' "removed": "2025-08-13T09:00:00Z"}',
        '{"kind": "mark", "id": "x"}',
        '[1, 2]',
        '{"kind": "paper", "id": ""}',
        "not json \udcff",
    ]
    text = "\n".join([lines[0], *bad, *lines[1:]]) + "\n"
    desk = Machine(tmp_path / "desk")
    report = desk.import_(text)
    numbers = [problem.split(":")[0] for problem in report.problems]
    assert numbers == [f"line {n}" for n in range(2, 2 + len(bad))]
    assert report.problems[0].startswith("line 2: not JSON")
    assert report.problems[1] == 'line 3: "read.value" must be true or false, not "yes"'
    assert "bad tag name 'Bad Tag!'" in report.problems[2]
    assert report.problems[3].startswith('line 5: "tags.ok.added" must be a UTC time')
    assert report.problems[4].startswith('line 6: "note.changed" must be a UTC time')
    assert report.problems[5].startswith("line 7: saved search 'broken': ")
    assert report.problems[7] == 'line 9: "kind" must be "paper" or "saved", not "mark"'
    assert report.problems[10] == "line 12: not UTF-8 text"
    assert desk.export() == laptop.export()


def test_a_note_with_a_line_separator_stays_one_line_of_the_file(tmp_path):
    one, two = Machine(tmp_path / "one"), Machine(tmp_path / "two")
    one.organiser.put_note_rows([NoteRow("p", "a\u2028b\r\nc", T1)])
    text = one.export()
    assert text.count("\n") == 1
    assert two.import_(text).problems == []
    assert two.organiser.note("p") == "a\u2028b\r\nc"


def test_an_old_title_key_in_the_file_lands_on_the_papers_arxiv_id(tmp_path):
    desk = Machine(tmp_path / "desk")
    desk.store.add_aliases([("scaling-laws-for-neural-language-models", "2001.08361")])
    line = {"kind": "paper", "id": "scaling-laws-for-neural-language-models",
            "starred": {"value": True, "changed": "2025-08-13T09:00:00Z"}}
    assert desk.import_(json.dumps(line) + "\n").problems == []
    assert desk.store.all() == {"2001.08361": Mark(read=False, starred=True)}
