"""TeX in titles and abstracts, shown as readable text.

Abstracts copied from arXiv keep their authors' TeX: ``\\eg``, ``\\textsc{Ofa}``,
``models~(PLMs)``, ``$\\alpha$``. pylatexenc turns them into text; this module
adds the abbreviation macros that papers use and that pylatexenc drops, and
makes sure a stray ``%`` or ``&`` (common in prose) is not read as TeX syntax.
A super- or subscript group that holds an operator keeps its extent in
parentheses: ``Ω^{n+1}`` reads "Ω^(n+1)", not "Ω^n+1", which would mean Ωⁿ + 1;
a plain group (``x^{10}``, ``a_{ij}``) reads "x^10", "a_ij".
It never raises: on any failure the input comes back unchanged.
"""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

# Abbreviation macros common in abstracts (from the usual CVPR/ACL style files).
_ABBREVIATIONS = {
    "eg": "e.g.",
    "Eg": "E.g.",
    "ie": "i.e.",
    "Ie": "I.e.",
    "cf": "cf.",
    "Cf": "Cf.",
    "etc": "etc.",
    "vs": "vs.",
    "wrt": "w.r.t.",
    "dof": "d.o.f.",
    "iid": "i.i.d.",
    "etal": "et al.",
    "aka": "a.k.a.",
    "resp": "resp.",
}
# Only text with one of these can hold TeX worth converting; the rest is returned as is.
_TEX_MARKERS = re.compile(r"[\\$~{}]")
# In prose "0.35%" and "R&D" are text; in TeX they would start a comment or a table cell.
_BARE_SPECIALS = re.compile(r"(?<!\\)([%&#])")
_NBSP = "\u00a0"
# ^{...} or _{...} without nested braces whose content has an operator or a space.
_SCRIPT_GROUP = re.compile(r"(?<!\\)([\^_])\{([^{}]*[-+*/=<>,;\s][^{}]*)\}")


def _abbreviation(text: str):
    def replace(node) -> str:
        # A macro swallows the space after it in TeX; in an abstract the space was meant.
        return text + (" " if getattr(node, "macro_post_space", "") else "")

    return replace


def _converter() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    context.add_context_category(
        "papertui-abbreviations",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=_abbreviation(text))
                for name, text in _ABBREVIATIONS.items()],
    )
    # A macro short of its arguments is reported below, not as a warning on stderr.
    logging.getLogger("pylatexenc").addHandler(logging.NullHandler())
    return LatexNodes2Text(latex_context=context, math_mode="text")


_CONVERTER: LatexNodes2Text | None = None


@lru_cache(maxsize=65536)
def tex_to_text(text: str) -> str:
    """``text`` with its TeX rendered as readable text; the input itself on failure."""
    global _CONVERTER
    if not text or not _TEX_MARKERS.search(text):
        return text
    try:
        if _CONVERTER is None:
            _CONVERTER = _converter()
        tex = _SCRIPT_GROUP.sub(r"\1{(\2)}", _BARE_SPECIALS.sub(r"\\\1", text))
        converted = _CONVERTER.latex_to_text(tex)
    except Exception:  # pylatexenc raises assorted errors on odd input: show it raw.
        return text
    converted = converted.replace(_NBSP, " ")
    if "%s" in converted and "%s" not in text:  # a macro's template, unfilled: \frac{
        return text
    if text.strip() and not converted.strip():
        return text
    return converted
