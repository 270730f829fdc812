"""A web page to its article text: headings and paragraphs, without the site around them.

trafilatura finds the article; this module prepares the page for it and reads its answer. Before trafilatura sees
the page:

- one pass of a small tokenizer of its own (_capped) counts the tags, so a page of far more than any article holds
  is refused before it costs seconds, and leaves out tags nested deeper than any real page (their text stays):
  lxml, under trafilatura, stops reading at 256 levels and would lose the rest of the page. The standard
  library's html.parser is not used anywhere: before Python 3.11.13 it is quadratic on a tag that never closes;
- lxml parses it here: trafilatura takes a page without <html> for something other than HTML, and returns nothing;
- text left loose beside block elements goes into paragraphs: trafilatura reads the text of blocks only.

On a short page trafilatura distrusts its own extraction and takes a rival's when that is longer, at worst a dump
of the whole page, menus and all. A news story may well be short, so that is switched off (MIN_EXTRACTED_SIZE).
benchmarks/ingest.py compares this with the hand-written reader it replaced.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

import lxml.html
import trafilatura
from lxml import etree
from lxml.etree import ParserError
from trafilatura.settings import use_config

# Start tags, void ones too. trafilatura spends 0.05 ms (a real page) to 0.3 ms (a page of nothing but short
# paragraphs) on each element, inside the upload request: this bounds that to a few seconds. An article page holds
# 1,000 to 10,000 (the Rust book's chapters about 1,000 to 2,500, the whole book on one page 25,000).
HTML_MAX_TAGS = 20_000
# Levels of the tags that nest; the few that close the one before them (p, li, td ...) are not counted. They add a
# level or two at most between two that are, so lxml's 256 are never reached.
HTML_MAX_DEPTH = 100

# The next piece of markup: a comment, an end tag, a start tag, or a declaration or an instruction ("<!doctype",
# "<?xml", "<![CDATA["); any other "<" is text.
_MARKUP = re.compile(r"<(?:(!--)|/([a-zA-Z][^\s/>]*+)|([a-zA-Z][^\s/>]*+)|[!?/])")
# The rest of a tag, to its ">": a quoted value may hold one. Possessive, so a tag that never closes costs one scan.
_TAG_REST = re.compile(r"""(?:[^>"'=]++|=\s*+"[^"]*+"|=\s*+'[^']*+'|[="'])*+>""")
# Elements whose text is not markup, to their end tag; of those, the ones whose text a reader sees.
_TEXT_ELEMENTS = frozenset({"title", "textarea"})
_RAW_TEXT = {
    tag: re.compile(rf"</{tag}(?=[\s/>]|$)", re.IGNORECASE)
    for tag in ("script", "style", "xmp", "iframe", "noembed", "noframes", *_TEXT_ELEMENTS)
}
# What check_tags counts: a start tag, or a comment or an element of raw text, whole, which counts as its own tag
# (or none, a comment: the few that are make no difference to a cap of thousands). Each runs to its end or to the
# end of the page, so every character is read once.
_COUNTED = re.compile(
    r"<!--.*?(?:-->|\Z)|<(script|style|xmp|iframe|noembed|noframes|title|textarea)(?=[\s/>]).*?(?:</\1|\Z)|<[a-zA-Z]",
    re.IGNORECASE | re.DOTALL,
)
_PAGE_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_SIBLING_CLOSED = frozenset("p li dt dd tr td th option".split())
# What a browser would not show (trafilatura reads markup, not styles), and menus, which trafilatura's rivals
# (readability, a dump of the page) keep when its own extraction finds nothing.
_PRUNED = [
    "//nav",
    "//*[@hidden]",
    "//*[@aria-hidden='true']",
    "//*[contains(translate(@style, ' ', ''), 'display:none')]",
]
# trafilatura's blocks of text, in the XML it returns.
_BLOCKS = frozenset("head p list item table row cell quote code".split())
_SPACE = re.compile(r"[ \t\n\r\f]+")
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo br cite code data del dfn em font i img ins kbd label mark q s samp small span strong sub sup "
    "time u var wbr".split()
)


def _config():
    config = use_config()
    # Below this many characters (250 by default) trafilatura distrusts what it found and takes a rival's
    # extraction if longer: on a short page that was the whole page, menus and all, cut into lines at every tag.
    config.set("DEFAULT", "MIN_EXTRACTED_SIZE", "0")
    # The date goes unused, and its extensive search loads dateparser's languages: 2 s on the first Russian page.
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


_CONFIG = _config()


def looks_like_page(text: str) -> bool:
    """Whether a text file is a web page saved under another name: it opens as one."""
    return bool(_PAGE_START.match(text[:2000]))


class TooManyTags(ValueError):
    """A page with more than HTML_MAX_TAGS start tags."""


@dataclass(frozen=True)
class Article:
    """What html_to_article finds on a page: the text as html_to_text gives it, and what the page's metadata says
    of it (empty, or None, where it says nothing)."""

    text: str
    title: str = ""
    author: str = ""
    published: date | None = None

    @property
    def found(self) -> bool:
        """Whether there is more to the article than its headline: a page of menus alone yields its title."""
        return bool(self.text) and self.text != self.title


def html_to_text(html: str) -> str:
    """The article text of a page: its headline, then its headings and paragraphs, separated by blank lines.
    Raises TooManyTags for a page of more than HTML_MAX_TAGS tags."""
    return html_to_article(html).text


def html_to_article(html: str) -> Article:
    """The article of a page, as html_to_text reads it, with its title, author and publication date."""
    try:
        # Parsed here, not by trafilatura: it takes a page without <html> for something other than HTML.
        parser = lxml.html.HTMLParser(encoding="utf-8", no_network=True)  # one per call: lxml's are not shared
        tree = lxml.html.document_fromstring(_capped(html).encode("utf-8"), parser=parser)
    except ParserError:  # nothing but white space and comments
        return Article("")
    _wrap_loose_text(tree.body)
    document = trafilatura.bare_extraction(
        tree,
        favor_recall=True,  # on the benchmark's tuning part, the only setting that lost no sentence of a story
        include_comments=False,
        with_metadata=True,  # the title, author and date
        prune_xpath=_PRUNED,
        config=_CONFIG,
    )
    if document is None or document.body is None:
        return Article("")
    paragraphs = _paragraphs(document.body)
    # trafilatura hands the headline over as the title, and leaves it out of the body when it stands apart from
    # the article. The text starts with it all the same, as it always has.
    title = " ".join((document.title or "").split())
    if title and title not in paragraphs:
        paragraphs.insert(0, title)
    author = " ".join((document.author or "").split())
    return Article("\n\n".join(paragraphs), title=title, author=author, published=_date(document.date))


def _date(value: str | None) -> date | None:
    """trafilatura's date (YYYY-MM-DD, found in the page's metadata) as a date."""
    try:
        return date.fromisoformat(value[:10]) if value else None
    except ValueError:
        return None


def _wrap_loose_text(root) -> None:
    """Put text left loose beside block elements ("<body>One.<br><br>Two.<div>...</div></body>") into <p>s, one
    per run of text and inline elements."""
    for element in [e for e in root.iter() if _has_loose_text(e) and (e is root or any(map(_is_block, e)))]:
        pieces = [element.text, *(piece for child in element for piece in (child, child.tail))]
        element.text = None
        for child in element:
            child.tail = None
        kept: list = []
        paragraph = last = None  # the <p> being filled, and its last child (len() of an lxml element counts them)
        for piece in pieces:
            if piece is None or (isinstance(piece, str) and paragraph is None and not piece.strip()):
                continue  # nothing, or white space between two blocks
            if not isinstance(piece, str) and _is_block(piece):
                kept.append(piece)
                paragraph = None
                continue
            if paragraph is None:
                paragraph, last = element.makeelement("p", {}), None
                kept.append(paragraph)
            if not isinstance(piece, str):
                paragraph.append(piece)
                last = piece
            elif last is not None:
                last.tail = (last.tail or "") + piece
            else:
                paragraph.text = (paragraph.text or "") + piece
        element[:] = kept


def _has_loose_text(element) -> bool:
    return bool((element.text or "").strip()) or any((child.tail or "").strip() for child in element)


def _is_block(element) -> bool:
    return isinstance(element.tag, str) and element.tag not in _INLINE_TAGS


def _paragraphs(body) -> list[str]:
    """The blocks of trafilatura's XML as paragraphs, in order, <lb/> a line break inside one; text loose
    between them is a paragraph as well."""
    paragraphs: list[str] = []
    current: list[str] = []

    def close() -> None:
        lines = (_SPACE.sub(" ", line).strip() for line in "".join(current).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        current.clear()

    for event, element in etree.iterwalk(body, events=("start", "end")):
        if element.tag in _BLOCKS:
            close()
        if event == "start":
            current.append("\n" if element.tag == "lb" else _SPACE.sub(" ", element.text or ""))
        elif element is not body:
            current.append(_SPACE.sub(" ", element.tail or ""))
    close()
    return paragraphs


def check_tags(html: str) -> None:
    """Raise TooManyTags for a page of more than HTML_MAX_TAGS start tags, counted as _capped counts them but in
    one pass of a single pattern (a comment, or a script's or a style's text, holds none): cheap enough for a web
    request, so that such a page is refused at once, not by the worker that would read it."""
    if sum(1 for _ in _COUNTED.finditer(html)) > HTML_MAX_TAGS:
        raise TooManyTags(HTML_MAX_TAGS + 1)


def _capped(html: str) -> str:
    """The page's markup as it came, less comments and the tags nested deeper than HTML_MAX_DEPTH. Raises
    TooManyTags past HTML_MAX_TAGS.

    Each character is read once. A tag that never closes ends the page, as it does in a browser, rather than being
    read again from every "<" inside it: the standard library's HTMLParser does that before Python 3.11.13, and
    took a second on 10 KB of "<p a=".
    """
    parts: list[str] = []
    open_tags: list[str] = []  # the elements open, by tag, down to the cap
    beyond: Counter = Counter()  # start tags left out, by tag: their end tags go too
    tags = at = 0
    while found := _MARKUP.search(html, at):
        parts.append(html[at : found.start()])
        comment, end_tag, start_tag = found.groups()
        if not (end_tag or start_tag):  # a comment to "-->"; a declaration or an instruction to ">"
            close = html.find("-->" if comment else ">", found.start() + 2)
            if close < 0:
                return "".join(parts)
            at = close + (3 if comment else 1)
            if html[found.start() : found.start() + 9].lower() == "<!doctype":
                parts.append(html[found.start() : at])
            continue
        rest = _TAG_REST.match(html, found.end())
        if rest is None:
            return "".join(parts)
        text, at = html[found.start() : rest.end()], rest.end()
        tag = (end_tag or start_tag).lower()
        if end_tag:
            if beyond[tag]:
                beyond[tag] -= 1
            else:
                if tag in open_tags:
                    del open_tags[len(open_tags) - 1 - open_tags[::-1].index(tag) :]
                parts.append(f"</{tag}>")
            continue
        tags += 1
        if tags > HTML_MAX_TAGS:
            raise TooManyTags(tags)
        kept = True
        # Only tags that nest are capped: "<p>" closes the one before it, and lxml reads "<div/>" as empty.
        if tag not in _VOID_TAGS and tag not in _SIBLING_CLOSED and not text.endswith("/>"):
            kept = len(open_tags) < HTML_MAX_DEPTH
            if kept:
                open_tags.append(tag)
            else:
                beyond[tag] += 1
        if kept:
            parts.append(text)
        if tag in _RAW_TEXT:  # its text runs to its end tag, "<" and all
            close = _RAW_TEXT[tag].search(html, at)
            end = close.start() if close else len(html)
            if kept or tag in _TEXT_ELEMENTS:
                parts.append(html[at:end])
            at = end
    parts.append(html[at:])
    return "".join(parts)
