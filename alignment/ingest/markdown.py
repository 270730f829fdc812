"""Markdown to plain text, lightly: the markup goes, the paragraphs stay where they were.

This runs inside the upload request, on lines a user writes, so every rule takes time linear in the line. A
pattern that scans from each of many starting points to the end of the line is quadratic: one line of 20,000
"[" held a worker for most of a second, a 2 MB one for hours. The link patterns stop at the next bracket (no
scan crosses the start of the next one), and emphasis and headings, which need a lazy scan to a closing mark,
are done by the small scanners below.
"""

from __future__ import annotations

import re

_MD_ESCAPABLE = "\\`*_{}[]()#+-.!~>|"
# Escaped punctuation is parked in the Private Use Area while the other rules run, then put back bare.
_MD_PARK = 0xE000
_MD_ESCAPE = re.compile(r"\\([" + re.escape(_MD_ESCAPABLE) + r"])")
_MD_BLOCK_RULES = (
    (re.compile(r"^ {0,3}(?:```|~~~).*$"), ""),  # code fences (the code itself stays)
    (re.compile(r"^ {0,3}\[[^\]]+\]:\s*\S+.*$"), ""),  # link reference definitions
    (re.compile(r"^ {0,3}(?:[-*_=] *){3,}$"), ""),  # rules and setext heading underlines
)
_HEADING = re.compile(r" {0,3}#{1,6}(?=\s|$)")  # ATX headings, with _heading_text
_BLOCK_QUOTE = re.compile(r"^ {0,3}(?:> ?)+")
# Link text and addresses hold no bracket: the scan from one "[" ends where the next begins.
_MD_LINK_RULES = (
    (re.compile(r"!\[[^\[\]]*\](?:\([^)\[\]]*\)|\[[^\[\]]*\])"), ""),  # images
    (re.compile(r"\[([^\[\]]+)\]\([^)\[\]]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # autolinks
)
# Emphasis: an opening mark before a non-space, the shortest text after it, and the same mark after a non-space.
_EMPHASIS = (
    (re.compile(r"(\*\*|__|~~)(?=\S)"), {m: re.compile(r"(?<=\S)" + re.escape(m)) for m in ("**", "__", "~~")}),
    (re.compile(r"(?<![\w*])(\*)(?=\S)"), {"*": re.compile(r"(?<=\S)\*(?![\w*])")}),  # "2 * 3" has spaces
    (re.compile(r"(?<![\w_])(_)(?=\S)"), {"_": re.compile(r"(?<=\S)_(?![\w_])")}),  # snake_case is left alone
)
_INLINE_CODE = re.compile(r"`([^`]+)`")  # the scan from one backtick ends at the next


def markdown_to_text(text: str) -> str:
    """Light Markdown stripping, line by line so paragraphs stay where they were."""
    text = _MD_ESCAPE.sub(lambda m: chr(_MD_PARK + _MD_ESCAPABLE.index(m[1])), text)
    parked = {chr(_MD_PARK + i): ch for i, ch in enumerate(_MD_ESCAPABLE)}
    lines = "\n".join(_strip_line(line) for line in text.split("\n"))
    return re.sub("[" + "".join(parked) + "]", lambda m: parked[m[0]], lines)


def _strip_line(line: str) -> str:
    for pattern, replacement in _MD_BLOCK_RULES:
        line = pattern.sub(replacement, line)
    line = _heading_text(line)
    line = _BLOCK_QUOTE.sub("", line)
    for pattern, replacement in _MD_LINK_RULES:
        line = pattern.sub(replacement, line)
    for opener, closers in _EMPHASIS:
        line = _unwrap(line, opener, closers)
    return _INLINE_CODE.sub(r"\1", line)


def _heading_text(line: str) -> str:
    """An ATX heading's text without its marks: "## Title ##" gives "Title", "C#" stays, "#hashtag" is no
    heading. What ``^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$`` would keep, without its lazy group trying
    the closing marks at every place in a run of spaces."""
    opening = _HEADING.match(line)
    if not opening:
        return line
    text = line[opening.end() :].strip()
    bare = text.rstrip("#")
    if bare != text and bare[-1:].isspace():  # a closing run of "#" after a space
        return bare.rstrip()
    return text


def _unwrap(line: str, opener: re.Pattern, closers: dict[str, re.Pattern]) -> str:
    """``line`` with each mark pair found by ``opener`` and ``closers`` (by the mark) replaced by the text between,
    as re.sub would with ``opener(.+?)closer``. A lazy pattern rescans the rest of the line from every opening mark
    that has no closing one (" *a" repeated); here a mark with none left after some point is given up for the line.
    """
    kept, done, at, spent = [], 0, 0, set()
    while found := opener.search(line, at):
        mark = found[1]
        closing = None if mark in spent else closers[mark].search(line, found.end() + 1)
        if closing is None:
            spent.add(mark)
            at = found.start() + 1
            continue
        kept += [line[done : found.start()], line[found.end() : closing.start()]]
        done = at = closing.end()
    return "".join(kept) + line[done:]
