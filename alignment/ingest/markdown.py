"""Markdown to plain text, lightly: the markup goes, the paragraphs stay where they were.

This runs inside the upload request, on lines a user writes, so every rule takes time linear in the line. A
pattern that scans from each of many starting points to the end of the line is quadratic: one line of 20,000
"[" held a worker for most of a second, a 2 MB one for hours. The link patterns stop at the next bracket (no
scan crosses the start of the next one), and emphasis and headings, which need a lazy scan to a closing mark,
are done by the small scanners below.
"""

from __future__ import annotations

import functools
import re

_MD_ESCAPABLE = "\\`*_{}[]()#+-.!~>|"
# Escaped punctuation is parked in the Private Use Area while the other rules run, then put back bare.
_MD_PARK = 0xE000
# Every rule reads one line at a time (no class below takes a line break), over the whole text at once.
_MD_BLOCK_RULES = (
    (re.compile(r"^ {0,3}(?:```|~~~).*$", re.M), ""),  # code fences (the code itself stays)
    (re.compile(r"^ {0,3}\[[^\]\n]+\]:[^\S\n]*\S+.*$", re.M), ""),  # link reference definitions
    (re.compile(r"^ {0,3}(?:[-*_=] *+){3,}+$", re.M), ""),  # rules and setext heading underlines
)
_HEADING = re.compile(r"^ {0,3}#{1,6}(?=\s|$).*$", re.M)  # ATX headings, with _heading_text
_BLOCK_QUOTE = re.compile(r"^ {0,3}(?:> ?)++", re.M)
# Link text and addresses hold no bracket: the scan from one "[" ends where the next begins.
_MD_LINK_RULES = (
    (re.compile(r"!\[[^\[\]\n]*\](?:\([^)\[\]\n]*\)|\[[^\[\]\n]*\])"), ""),  # images
    (re.compile(r"\[([^\[\]\n]+)\]\([^)\[\]\n]*\)"), r"\1"),  # inline links
    (re.compile(r"\[([^\[\]\n]+)\]\[[^\[\]\n]*\]"), r"\1"),  # reference links
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>"), r"\1"),  # autolinks
)
# Emphasis: an opening mark before a non-space, the shortest text after it on its line, and the same mark after a
# non-space. Each kind: what may not stand before the opening mark, the marks, what may not follow the closing one.
_EMPHASIS = (
    ("", ("**", "__", "~~"), ""),
    (r"(?<![\w*])", ("*",), r"(?![\w*])"),  # "2 * 3" has spaces
    (r"(?<![\w_])", ("_",), r"(?![\w_])"),  # snake_case is left alone
)
_INLINE_CODE = re.compile(r"`([^`\n]+)`")  # the scan from one backtick ends at the next


def markdown_to_text(text: str) -> str:
    """Light Markdown stripping, a line at a time, so paragraphs stay where they were. Each rule runs over the whole
    text: a Python call per line cost half a second per 100 KB of short lines."""
    # Escaped backslashes first, so that "\\\\*" parks the backslash and leaves the star, as a scan from the left would.
    for i, ch in enumerate(_MD_ESCAPABLE):
        text = text.replace("\\" + ch, chr(_MD_PARK + i))
    for pattern, replacement in _MD_BLOCK_RULES:
        text = pattern.sub(replacement, text)
    text = _HEADING.sub(lambda m: _heading_text(m[0]), text)
    text = _BLOCK_QUOTE.sub("", text)
    for pattern, replacement in _MD_LINK_RULES:
        text = pattern.sub(replacement, text)
    for before, marks, after in _EMPHASIS:
        text = _unwrap(text, before, marks, after)
    text = _INLINE_CODE.sub(r"\1", text)
    return text.translate({_MD_PARK + i: ch for i, ch in enumerate(_MD_ESCAPABLE)})


def _heading_text(line: str) -> str:
    """An ATX heading's text without its marks: "## Title ##" gives "Title", "C#" stays, "#hashtag" is no
    heading. What ``^ {0,3}#{1,6}(?:\\s+(.*?))?(?:\\s+#+)?\\s*$`` would keep, without its lazy group trying
    the closing marks at every place in a run of spaces."""
    text = line.lstrip(" ").lstrip("#").strip()
    bare = text.rstrip("#")
    if bare != text and bare[-1:].isspace():  # a closing run of "#" after a space
        return bare.rstrip()
    return text


def _unwrap(text: str, before: str, marks: tuple[str, ...], after: str) -> str:
    """``text`` with each pair of marks on one line replaced by the text between, as re.sub would with
    ``before(mark)(?=\\S)(.+?)(?<=\\S)(mark)after`` per line. A lazy pattern rescans the rest of the line from every
    opening mark that has no closing one (" *a" repeated); here a mark with no closing one after some place is given
    up for the rest of its line, and the search for openings looks for the other marks only."""
    kept, done, at = [], 0, 0
    while found := _opener(before, marks).search(text, at):
        line_end = text.find("\n", found.start())
        line_end = len(text) if line_end < 0 else line_end
        live = marks
        while found:
            closing = _closer(found[1], after).search(text, found.end() + 1, line_end)
            if closing:
                kept += [text[done : found.start()], text[found.end() : closing.start()]]
                done = at = closing.end()
            else:
                live = tuple(mark for mark in live if mark != found[1])
                at = found.start() + 1
            found = live and _opener(before, live).search(text, at, line_end)
        at = line_end + 1
    return "".join(kept) + text[done:]


@functools.cache
def _opener(before: str, marks: tuple[str, ...]) -> re.Pattern:
    return re.compile(before + "(" + "|".join(map(re.escape, marks)) + r")(?=\S)")


@functools.cache
def _closer(mark: str, after: str) -> re.Pattern:
    return re.compile(r"(?<=\S)" + re.escape(mark) + after)
