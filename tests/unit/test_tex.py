"""TeX in titles and abstracts becomes readable text, and never raises."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from papertui.tex import tex_to_text


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"sets of parameters (\eg adapters), and", "sets of parameters (e.g. adapters), and"),
        (r"One For All (\textsc{Ofa}), which", "One For All (Ofa), which"),
        (r"pre-trained language models~(PLMs) have", "pre-trained language models (PLMs) have"),
        (r"we propose JiuZhang~2.0, a unified", "we propose JiuZhang 2.0, a unified"),
        (r"deployment (\eg a model copy for a task)", "deployment (e.g. a model copy for a task)"),
        (r"\ie, \etal and \cf", "i.e., et al. and cf."),
        (r"a loss of $\alpha + \beta$ only", "a loss of α + β only"),
        (r"50\% better", "50% better"),
        (r"\emph{not} \textbf{bold}", "not bold"),
    ],
)
def test_the_seed_s_tex_reads_as_text(tex, text):
    assert tex_to_text(tex) == text


@pytest.mark.parametrize(
    "plain",
    [
        "roughly 0.35% of those of AdapterFusion. Remarkably",  # % is not a comment in prose
        "R&D costs #1",
        "no TeX here at all",
        "",
    ],
)
def test_prose_without_tex_is_left_alone(plain):
    assert tex_to_text(plain) == plain


def test_percent_inside_tex_text_is_kept():
    assert tex_to_text(r"\textsc{Ofa} gains 0.35% on GLUE") == "Ofa gains 0.35% on GLUE"


@pytest.mark.parametrize("broken", ["{", "}", "\\", "$", r"\begin{itemize", r"\xyz", "$$", r"\frac{"])
def test_broken_tex_comes_back_as_it_was_or_readable(broken):
    result = tex_to_text(broken)
    assert isinstance(result, str)
    assert result.strip() or not broken.strip()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab \\{}$~%&#^_eg") + ["\\eg", "\\textsc{", "$\\alpha"]),
               max_size=40).map("".join))
def test_never_raises(text):
    assert isinstance(tex_to_text(text), str)
