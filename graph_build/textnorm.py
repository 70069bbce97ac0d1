"""Length-preserving normalisation: traditional -> simplified (OpenCC t2s) and full-width -> ASCII.

Every regex in the project runs over `normalize(text)`, and because the result has exactly the
same length as the input, a match's (start, end) is also an index into the original text.
Never use NFKC here: it changes lengths.
"""
from __future__ import annotations

import functools
import re

import opencc

# One character for one character: full-width ASCII block, ideographic space, CJK brackets and
# punctuation that the rules treat like their ASCII forms.
_FOLD = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_FOLD.update({
    0x3000: ord(" "),
    0x00A0: ord(" "),
    0x2002: ord(" "),
    0x2003: ord(" "),
    0x3014: ord("〔"),  # keep the tortoise-shell bracket itself (used for clauses and doc numbers)
    0xFE50: ord(","),
    0xFE51: ord("、"),
    0xFE52: ord("."),
    0xFE54: ord(";"),
    0xFE55: ord(":"),
    0xFE59: ord("("),
    0xFE5A: ord(")"),
})
_FOLD_TABLE = str.maketrans(_FOLD)
# The characters that change, found by one regex: replacing only those is ~10x faster than
# str.translate over every character of the document.
_FOLD_CHARS = {chr(k): chr(v) for k, v in _FOLD.items() if k != v}
_FOLD_RX = re.compile("[" + "".join(re.escape(c) for c in sorted(_FOLD_CHARS)) + "]")


def _fold_char(m: re.Match) -> str:
    return _FOLD_CHARS[m.group()]


@functools.lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """OpenCC t2s, guaranteed to keep the length (falls back to per-character conversion)."""
    if not text:
        return text
    conv = _converter()
    out = conv.convert(text)
    if len(out) == len(text):
        return out
    # A phrase conversion changed the length somewhere: convert line by line, and a line that
    # still changes length character by character, so that offsets stay exact.
    parts = []
    for line in text.splitlines(keepends=True):
        s = conv.convert(line)
        if len(s) != len(line):
            s = "".join(c2 if len(c2 := conv.convert(c)) == 1 else c for c in line)
        parts.append(s)
    out = "".join(parts)
    if len(out) != len(text):  # cannot happen: every part keeps its length
        raise AssertionError("t2s changed the text length")
    return out


def fold_width(text: str) -> str:
    """Full-width punctuation, digits and letters to ASCII; one character for one."""
    return _FOLD_RX.sub(_fold_char, text)


def normalize(text: str) -> str:
    """The analysis text: simplified script, ASCII punctuation; same length as `text`."""
    out = fold_width(to_simplified(text))
    if len(out) != len(text):
        raise AssertionError("normalisation changed the text length")
    return out
