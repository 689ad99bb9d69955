"""Feeds: subscriptions papertui fetches papers from (Hugging Face Daily Papers, arXiv, a URL).

``spec`` says what a feed is, ``http`` how papertui talks to servers, ``fetch``
fetches one feed, ``store`` keeps the responses in the data dir (each feed's
folder is one library source) and ``fetch_state`` keeps the bookkeeping in state.db.
"""
