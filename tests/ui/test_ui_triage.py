"""Triage and ordering as plain Python: what the keys decide, without the app."""

from __future__ import annotations

from papertui.state import Mark
from papertui.ui import ordering, triage


def test_plan_leaves_out_papers_already_so():
    marks = {"a": Mark(read=True), "b": Mark()}
    change = triage.plan("marked read", {"a": Mark(read=True), "b": Mark(read=True)}, marks.get)
    assert change.after == {"b": Mark(read=True)}
    assert change.before == {"b": Mark()}
    assert change.single == "b"


def test_plan_of_nothing_new_is_none():
    assert triage.plan("x", {"a": Mark()}, lambda pid: Mark()) is None


def test_decisions():
    assert triage.toggled_read(Mark(read=False, starred=True)) == Mark(read=True, starred=True)
    assert triage.toggled_star(Mark(read=True)) == Mark(read=True, starred=True)
    assert triage.read(Mark(starred=True)) == Mark(read=True, starred=True)
    assert triage.starred_and_read(Mark()) == Mark(read=True, starred=True)


def test_undo_stack_is_last_in_first_out_and_bounded():
    stack = triage.UndoStack(limit=2)
    changes = [triage.Change(str(i), {}, {}) for i in range(3)]
    for change in changes:
        stack.push(change)
    assert len(stack) == 2
    assert stack.pop() is changes[2]
    assert stack.pop() is changes[1]
    assert stack.pop() is None


def test_next_unread_looks_past_the_read_ones_either_way():
    ids = ["a", "b", "c", "d", "e"]
    read = {"b", "c", "e"}.__contains__
    assert triage.next_unread(ids, 0, read) == 3
    assert triage.next_unread(ids, 3, read) is None
    assert triage.next_unread(ids, 4, read, -1) == 3
    assert triage.next_unread(ids, 3, read, -1) == 0
    assert triage.next_unread([], 0, read) is None


def test_default_order_is_relevance_only_with_a_ranked_result():
    assert ordering.default(ranked=True) == ordering.RELEVANCE
    assert ordering.default(ranked=False) == ordering.LIST


def test_o_cycles_and_skips_relevance_without_a_text_query():
    seen, order = [], ordering.RELEVANCE
    for _ in range(4):
        order = ordering.following(order, ranked=True)
        seen.append(order)
    assert seen == [ordering.LIST, ordering.TITLE, ordering.DATE, ordering.RELEVANCE]
    assert ordering.following(ordering.DATE, ranked=False) == ordering.LIST
    assert ordering.following(ordering.RELEVANCE, ranked=False) == ordering.LIST


def test_effective_order_falls_back_to_the_default():
    assert ordering.effective(None, ranked=True) == ordering.RELEVANCE
    assert ordering.effective(ordering.RELEVANCE, ranked=False) == ordering.LIST
    assert ordering.effective(ordering.TITLE, ranked=False) == ordering.TITLE


def test_arrange_sorts_only_when_needed():
    calls = []

    def sort(ids, by):
        calls.append(by)
        return sorted(ids)

    ids = ["b", "a"]
    assert ordering.arrange(ids, ordering.RELEVANCE, True, sort) is ids
    assert ordering.arrange(ids, ordering.LIST, False, sort) is ids
    assert ordering.arrange(ids, ordering.TITLE, False, sort) == ["a", "b"]
    assert ordering.arrange(ids, ordering.LIST, True, sort) == ["a", "b"]
    assert calls == ["title", "list"]
