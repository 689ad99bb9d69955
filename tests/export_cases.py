"""Papers that every export format must carry intact: seed-like ones and nasty ones."""

from __future__ import annotations

from papertui.export import ExportItem
from papertui.models import Paper, make_paper

SEED_LIKE = [
    make_paper(
        "ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale",
        arxiv="2310.01217",
        authors=["Markus Frohmann", "Carolin Holtermann", "Shahed Masoudian"],
        date="2023-10-02",
        abstract="Multi-task learning (MTL) has shown considerable practical benefits,"
        " e.g. adapters (\\eg AdapterFusion).",
        source="hf-daily",
    ),
    make_paper(
        "PanGu-α: Large-scale Autoregressive Pretrained Chinese Language Models"
        " with Auto-parallel Computation",
        arxiv="https://arxiv.org/abs/2104.12369v1",
        authors=["Wei Zeng", "Xiaozhe Ren", "Teng Su"],
        date="2021-04-26",
        abstract="Large-scale Pretrained Language Models (PLMs) have become the new paradigm.",
        source="hf-daily",
    ),
    make_paper(
        "Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law"
        " in Large Language Model Pretraining",
        arxiv="2503.04715",
        authors=["Houyi Li", "Wenzhen Zheng"],
        date="2025-03",
        source="hf-daily",
    ),
    make_paper(
        "bert2BERT: Towards Reusable Pretrained Language Models",
        arxiv="2110.07143",
        authors=["Cheng Chen", "Yichun Yin"],
        date="2021",
        source="hf-daily",
    ),
    make_paper(
        "Scaling Laws for Neural Language Models",
        arxiv="2001.08361",
        authors=["Jared Kaplan", "Sam McCandlish", "Tom Henighan"],
        date="2020-01-23",
        abstract="We study empirical scaling laws\nfor language model performance.",
        url="https://arxiv.org/abs/2001.08361",
        source="bib",
        extra={"journal": "arXiv preprint"},
    ),
    make_paper(
        "A Survey of Large Language Models",
        authors=["Wayne Xin Zhao"],
        date="2023-03-31",
        url="https://example.org/papers?id=7&lang=en#top",
        source="md",
    ),
]

NASTY_TITLES = [
    "Braces {balanced} and a {lone one",
    "a lone} closing brace",
    r"100% of $5 & #1 on a_b with C:\path ~ and x^2",
    "Markdown *stars* _under_ [brackets] | pipes <tags> `code` and **bold**",
    "``Double`` backticks and a trailing backslash \\",
    r"$\alpha$-Net: Math like $\mathcal{O}(n \log n)$ in Titles",
    "From $5 to $10: plain dollars",
    r"$\{unbalanced$ math {is text",
    r"A \textbf{command} outside math is text",
    'Say "Hello" @ Scale, with commas, = signs and % percent',
    "Ümlauts, Çedillas and 中文标题 — “quotes” – dashes",
    "[ALL CAPS] TITLE! & <b>html</b> &amp; entities",
    "*Leading and trailing*",
    "_",
    "x_1 + y_2 = z^3 ~ 50 % off",
]

NASTY_AUTHORS = (
    "Jan van der Berg Jr.",
    "María José García-López",
    "O'Brien, Conan",
    "Google DeepMind and Friends",
    "李华",
    "Ann {Braces} Smith",
    "Under_Score 100% & Co",
    "Jean-Luc d'Artagnan",
    "_why the lucky stiff",
)

NASTY = [
    make_paper(
        title,
        authors=NASTY_AUTHORS if index % 2 == 0 else (),
        date="2024-02-29" if index % 3 == 0 else None,
        url=None if index % 4 else f"https://example.org/p/{index}",
        abstract=f"Abstract of {title}" if index % 2 else "",
        source="md",
        extra={"journal": "J. Foo & {Bar}"} if index == 5 else {},
    )
    for index, title in enumerate(NASTY_TITLES)
]

MANY_AUTHORS = make_paper(
    "Three Thousand Authors",
    arxiv="2401.00001",
    authors=[f"Author{n} Surname{n}" for n in range(3000)],
    date="2024-01-01",
    source="hf-daily",
)

BARE = Paper(id="a-bare-paper", title="A Bare Paper")

PAPERS = [*SEED_LIKE, *NASTY, MANY_AUTHORS, BARE]


def items_for(papers: list[Paper]) -> list[ExportItem]:
    """Each paper with a different mix of read and starred."""
    return [ExportItem(p, read=i % 2 == 0, starred=i % 3 == 0) for i, p in enumerate(papers)]


ITEMS = items_for(PAPERS)

# Each of PAPERS's titles as the app shows it, which every export but BibTeX writes:
# TeX rendered, so "$5 to $" is read as math, and "\path" as an unknown macro.
SHOWN_TITLES = [
    "ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale",
    "PanGu-α: Large-scale Autoregressive Pretrained Chinese Language Models"
    " with Auto-parallel Computation",
    "Predictable Scale: Part I -- Optimal Hyperparameter Scaling Law"
    " in Large Language Model Pretraining",
    "bert2BERT: Towards Reusable Pretrained Language Models",
    "Scaling Laws for Neural Language Models",
    "A Survey of Large Language Models",
    "Braces balanced and a lone one",
    "a lone closing brace",
    "100% of 5 &#1 on a_b with C: and x^2",
    "Markdown *stars* _under_ [brackets] | pipes <tags> `code` and **bold**",
    "“Double“ backticks and a trailing backslash",
    "α-Net: Math like 𝒪(n log n) in Titles",
    "From 5 to10: plain dollars",
    "{unbalanced math is text",
    "A command outside math is text",
    'Say "Hello" @ Scale, with commas, = signs and % percent',
    "Ümlauts, Çedillas and 中文标题 — “quotes” – dashes",
    "[ALL CAPS] TITLE! & <b>html</b> &amp; entities",
    "*Leading and trailing*",
    "_",
    "x_1 + y_2 = z^3 50 % off",
    "Three Thousand Authors",
    "A Bare Paper",
]

# Each of PAPERS's abstracts as shown, on one line ("" for none).
SHOWN_ABSTRACTS = [
    "Multi-task learning (MTL) has shown considerable practical benefits,"
    " e.g. adapters (e.g. AdapterFusion).",
    "Large-scale Pretrained Language Models (PLMs) have become the new paradigm.",
    "",
    "",
    "We study empirical scaling laws for language model performance.",
    "",
    "",
    "Abstract of a lone closing brace",
    "",
    "Abstract of Markdown *stars* _under_ [brackets] | pipes <tags> `code` and **bold**",
    "",
    "Abstract of α-Net: Math like 𝒪(n log n) in Titles",
    "",
    "Abstract of {unbalanced math is text",
    "",
    'Abstract of Say "Hello" @ Scale, with commas, = signs and % percent',
    "",
    "Abstract of [ALL CAPS] TITLE! & <b>html</b> &amp; entities",
    "",
    "Abstract of _",
    "",
    "",
    "",
]
