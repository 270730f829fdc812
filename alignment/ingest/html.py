"""A web page to its article text: headings and paragraphs, without the site around them.

trafilatura finds the article; this module prepares the page for it and reads its answer. Before trafilatura sees
the page:

- one pass of the standard library's tokenizer counts the tags, so a page of far more than any article holds is
  refused before it costs seconds, and leaves out tags nested deeper than any real page (their text stays): lxml,
  under trafilatura, stops reading at 256 levels and would lose the rest of the page;
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
from html.parser import HTMLParser

import lxml.html
import trafilatura
from lxml import etree
from lxml.etree import ParserError
from trafilatura.settings import use_config

HTML_MAX_TAGS = 100_000
# Levels of the tags that nest; the few that close the one before them (p, li, td ...) are not counted. They add a
# level or two at most between two that are, so lxml's 256 are never reached.
HTML_MAX_DEPTH = 100

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
        paragraph = None
        for piece in pieces:
            if piece is None or (isinstance(piece, str) and paragraph is None and not piece.strip()):
                continue  # nothing, or white space between two blocks
            if not isinstance(piece, str) and _is_block(piece):
                kept.append(piece)
                paragraph = None
                continue
            if paragraph is None:
                paragraph = element.makeelement("p", {})
                kept.append(paragraph)
            if not isinstance(piece, str):
                paragraph.append(piece)
            elif len(paragraph):
                paragraph[-1].tail = (paragraph[-1].tail or "") + piece
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


def _capped(html: str) -> str:
    capper = _Capper()
    capper.feed(html)
    capper.close()
    return "".join(capper.parts)


class _Capper(HTMLParser):
    """The page's markup as it came, less comments and the tags nested deeper than HTML_MAX_DEPTH."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.parts: list[str] = []
        self.open: list[str] = []  # the elements open, by tag, down to the cap
        self.beyond = Counter()  # start tags left out, by tag: their end tags go too
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        if tag not in _VOID_TAGS:
            self._count()
            if tag not in _SIBLING_CLOSED:
                if len(self.open) >= HTML_MAX_DEPTH:
                    self.beyond[tag] += 1
                    return
                self.open.append(tag)
        self.parts.append(self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        if tag not in _VOID_TAGS:  # counted, but it cannot nest: lxml reads "<div/>" as an empty element
            self._count()
        self.parts.append(self.get_starttag_text())

    def _count(self) -> None:
        self.tags += 1
        if self.tags > HTML_MAX_TAGS:
            raise TooManyTags(self.tags)

    def handle_endtag(self, tag):
        if self.beyond[tag]:
            self.beyond[tag] -= 1
            return
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag):]
        self.parts.append(f"</{tag}>")

    def handle_data(self, data):
        self.parts.append(data)

    def handle_entityref(self, name):
        self.parts.append(f"&{name};")

    def handle_charref(self, name):
        self.parts.append(f"&#{name};")

    def handle_decl(self, decl):
        self.parts.append(f"<!{decl}>")
