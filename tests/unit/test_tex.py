"""TeX in titles and abstracts becomes readable text, and never raises."""

from __future__ import annotations

import subprocess
import sys

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


@pytest.mark.parametrize(
    ("broken", "shown"),
    [
        ("{", "{"),
        ("}", "}"),
        ("\\", "\\"),
        ("$", "$"),
        ("$$", "$$"),
        (r"\xyz", r"\xyz"),
        (r"\begin{itemize", r"\beginitemize"),  # pylatexenc drops an unfinished group's braces
        (r"\frac{", r"\frac{"),  # not pylatexenc's unfilled template "%s/%s"
        (r"\frac{a}", r"\frac{a}"),
        (r"x \frac{1}{", "x 1/"),
    ],
)
def test_broken_tex_comes_back_as_it_was_or_readable(broken, shown):
    assert tex_to_text(broken) == shown


def test_a_macro_short_of_arguments_prints_no_warning():
    """In a process of its own: pytest's log capture would hide logging's stderr fallback."""
    code = "from papertui.tex import tex_to_text; print(tex_to_text(r'\\frac{b}'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert (out.stdout, out.stderr) == ("\\frac{b}\n", "")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(list("ab \\{}$~%&#^_eg") + ["\\eg", "\\textsc{", "$\\alpha"]),
               max_size=40).map("".join))
def test_never_raises(text):
    assert isinstance(tex_to_text(text), str)
