"""Adding and taking out one filter word (``is:unread``) in a query as typed."""

from __future__ import annotations

import re


def has_term(query: str, term: str) -> bool:
    """True when ``term`` is a word of ``query`` (any case)."""
    return bool(re.search(rf"(?<!\S){re.escape(term)}(?!\S)", query, re.IGNORECASE))


def without_term(query: str, term: str) -> str:
    """``query`` without ``term`` and the space before it; the rest exactly as typed."""
    return re.sub(rf"(?:^|\s+){re.escape(term)}(?=\s|$)", "", query, flags=re.IGNORECASE).strip()


def toggled(query: str, term: str, opposite: str) -> str:
    """``query`` with ``term`` added (replacing ``opposite``), or taken out if it was there."""
    if has_term(query, term):
        return without_term(query, term)
    return f"{without_term(query, opposite)} {term}".strip()
