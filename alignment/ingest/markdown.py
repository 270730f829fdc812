"""Markdown to plain text, lightly: the markup goes, the paragraphs stay where they were."""

from __future__ import annotations

import re

_MD_ESCAPABLE = "\\`*_{}[]()#+-.!~>|"
# Escaped punctuation is parked in the Private Use Area while the other rules run, then put back bare.
_MD_PARK = 0xE000
_MD_ESCAPE = re.compile(r"\\([" + re.escape(_MD_ESCAPABLE) + r"])")
_MD_RULES = (
    (re.compile(r"^ {0,3}(?:```|~~~).*$"), ""),  # code fences (the code itself stays)
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$"), ""),  # link reference definitions
    (re.compile(r"^ {0,3}(?:[-*_=] *){3,}$"), ""),  # rules and setext heading underlines
    (re.compile(r"^ {0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$"), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:> ?)+"), ""),  # block quotes
    (re.compile(r"!\[[^\]]*\](?:\([^)]*\)|\[[^\]]*\])"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto):[^>\s]+)>"), r"\1"),  # autolinks
    (re.compile(r"(\*\*|__|~~)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # strong, strikethrough
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # emphasis; "2 * 3" has spaces
    (re.compile(r"(?<![\w_])_(?=\S)(.+?)(?<=\S)_(?![\w_])"), r"\1"),  # emphasis; snake_case is left alone
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)


def markdown_to_text(text: str) -> str:
    """Light Markdown stripping, line by line so paragraphs stay where they were."""
    text = _MD_ESCAPE.sub(lambda m: chr(_MD_PARK + _MD_ESCAPABLE.index(m[1])), text)
    lines = []
    for line in text.split("\n"):
        for pattern, replacement in _MD_RULES:
            line = pattern.sub(replacement, line)
        lines.append(line)
    parked = {chr(_MD_PARK + i): ch for i, ch in enumerate(_MD_ESCAPABLE)}
    return re.sub("[" + "".join(parked) + "]", lambda m: parked[m[0]], "\n".join(lines))
