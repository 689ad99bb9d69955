"""The names of the paper-file formats: what detection answers and each parser reports."""

from __future__ import annotations

DAILY_PAGE = "daily-page"
HF_JSON = "hf-json"
ARXIV_ATOM = "arxiv-atom"
ARXIV_RSS = "arxiv-rss"
BIBTEX = "bibtex"
ARXIV_JSON = "arxiv-json"
HF_PAGE = "hf-page"
PAPER_RECORDS = "paper-records"
FEED = "feed"
