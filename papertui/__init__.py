"""papertui: a keyboard-first terminal reader for lists of research papers."""

__version__ = "0.1.0"
