"""The fixed query set: about 100 queries a reader of ML papers types into the filter bar.

Each class is timed and reported on its own; ``broad`` queries match a large
part of the corpus and show the cost of collecting every hit.
"""

from __future__ import annotations

QUERIES: dict[str, list[str]] = {
    "term": [
        "transformer", "diffusion", "attention", "reinforcement", "graph", "segmentation",
        "robustness", "quantization", "federated", "distillation", "hallucination",
        "retrieval", "benchmark", "agent", "alignment", "tokenizer", "multimodal",
        "contrastive", "pruning", "adversarial",
    ],
    "and": [
        "reinforcement learning", "graph neural", "image generation", "language model",
        "speech recognition", "object detection", "policy gradient", "point cloud",
        "knowledge distillation", "code generation", "video understanding",
        "medical imaging", "time series", "few shot", "continual learning",
    ],
    "phrase": [
        '"large language model"', '"reinforcement learning"', '"neural radiance field"',
        '"graph neural network"', '"diffusion model"', '"chain of thought"',
        '"vision transformer"', '"mixture of experts"', '"in-context learning"',
        '"low rank adaptation"', '"question answering"', '"autonomous driving"',
    ],
    "prefix": [
        "robot*", "diffus*", "transform*", "optim*", "generat*", "quantiz*", "segment*",
        "multimod*", "embed*", "adversar*", "retriev*", "token*",
    ],
    "fuzzy": [
        "trasformer~", "difusion~", "reinforcment~", "segmantation~", "atention~",
        "quantisation~", "embeding~", "halucination~", "benchmrk~", "robotcs~",
        "distilation~", "federeted~",
    ],
    "field": [
        "title:survey", "title:transformer", "title:benchmark", "title:diffusion",
        'title:"large language models"', "title:agents", "abstract:hallucination",
        "abstract:watermark", "author:zhang", "author:wang", "author:levine", "author:bengio",
        "author:finn", "title:robot", "title:quantum",
    ],
    "is": [
        "is:starred", "is:unread", "is:read", "is:starred transformer", "is:unread diffusion",
        'is:unread "language model"', "is:starred title:survey", "is:unstarred robot*",
        "is:read agent", "is:unread reinforcement learning",
    ],
    "broad": ["learning", "model", "data", "method", "neural", "network"],
}


def all_queries() -> list[tuple[str, str]]:
    """(class, query) pairs in a fixed order."""
    return [(kind, query) for kind, queries in QUERIES.items() for query in queries]


# `papertui search Q --json --limit 50`, against a search with no text (nothing is
# starred when it runs): the classes whose first screen the command line must keep cheap.
CLI_BASELINE = "is:starred"
CLI_QUERIES: dict[str, list[str]] = {
    "phrase": ['"large language model"', '"graph neural network"', '"chain of thought"'],
    "and": ["reinforcement learning", "language model", "object detection"],
    "prefix": ["generat*", "optim*", "token*"],
    "broad": ["learning", "model", "method"],
    "author": ["author:wang", "author:zhang", "author:levine"],
}
