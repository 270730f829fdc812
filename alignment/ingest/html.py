"""A web page to its article text: headings and paragraphs, without the site around them."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from html.parser import HTMLParser

# An article page has a few thousand tags. A file with far more is refused before it costs seconds to read, and
# tags nested deeper than any real page are read as if they were not there (their text is kept), so neither the
# parser's stack nor its time grows with a hostile page.
HTML_MAX_TAGS = 100_000
HTML_MAX_DEPTH = 500

_PAGE_START = re.compile(r"\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def looks_like_page(text: str) -> bool:
    """Whether a text file is a web page saved under another name: it opens as one."""
    return bool(_PAGE_START.match(text[:2000]))


_DROPPED_TAGS = frozenset(
    "script style nav header footer aside form noscript iframe template svg canvas object button select "
    "textarea head dialog menu".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption center dd details dialog div dl dt fieldset figcaption "
    "figure footer form h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section summary table tbody td "
    "tfoot th thead tr ul".split()
)
_CLOSES_P = _BLOCK_TAGS - {"body", "html", "li", "dd", "dt", "td", "th", "tr", "tbody", "thead", "tfoot", "caption"}
_VOID_TAGS = frozenset("area base br col embed hr img input link meta param source track wbr".split())
_HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
# Never dropped for their class names: a story's <article class="story has-comments"> is still the story.
_CONTAINERS = frozenset("html body article main".split())
_BOILERPLATE_WORDS = frozenset(
    "nav navbar navigation menu menubar breadcrumb breadcrumbs share sharing sharebar social cookie cookies "
    "consent gdpr comment comments disqus related recommended recommendations promo promoted advert "
    "advertisement ad ads adslot sponsored banner newsletter subscribe subscription signup sidebar popup "
    "modal toolbar skip outbrain taboola trending masthead footer".split()
)
# A class name that also says it holds the text ("comment-body", "share-content") is not dropped.
_CONTENT_WORDS = frozenset("article body content story text entry".split())
_DROPPED_ROLES = frozenset("navigation banner contentinfo complementary dialog alertdialog search menu menubar".split())
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


@dataclass
class _Element:
    tag: str
    start: int  # the parser's clock when the element opened; the element holds the text timed [start, end)
    parent: _Element | None  # the enclosing block element
    block: bool
    dropped: bool
    end: float = float("inf")
    p_chars: int = 0  # characters of <p> text directly inside


@dataclass(frozen=True)
class _Block:
    text: str
    at: int  # the parser's clock when its text began
    heading: bool


class TooManyTags(ValueError):
    """A page with more than HTML_MAX_TAGS start tags."""


class _ArticleParser(HTMLParser):
    """Turns a page into text blocks, each stamped with a clock that tells which elements hold it.

    No tree and no recursion: an element is an interval of the clock, so "inside" is a comparison, and a
    page nested 10,000 levels deep costs no more than a flat one.
    """

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.clock = 0
        self.stack: list[_Element] = []
        self.blocks_open: list[_Element] = []
        self.open = Counter()  # tag -> number of open elements with it
        self.dropping = 0  # open elements whose text is dropped
        self.lines: list[list[str]] = [[]]
        self.text_at: int | None = None
        self.blocks: list[_Block] = []
        self.candidates: list[_Element] = []  # <article>, <main>, and the parents of <p>s
        self.tags = 0

    def handle_starttag(self, tag, attrs):
        if tag == "br":
            self.lines.append([])
            return
        if tag in _VOID_TAGS:
            return
        self.tags += 1
        if self.tags > HTML_MAX_TAGS:
            raise TooManyTags(self.tags)
        if tag == "body":
            self._close("head")
        if tag in _BLOCK_TAGS:
            self._flush()
            inner = self.blocks_open[-1].tag if self.blocks_open else ""
            if (inner == "p" and tag in _CLOSES_P) or (tag == inner and tag in ("li", "dt", "dd")):
                self._close(inner)
        if len(self.stack) >= HTML_MAX_DEPTH:
            return  # still a paragraph break, if a block, but not an element
        self.clock += 1
        dropped = self._is_dropped(tag, dict(attrs))
        parent = self.blocks_open[-1] if self.blocks_open else None
        element = _Element(tag, self.clock, parent, tag in _BLOCK_TAGS, dropped)
        self.stack.append(element)
        self.open[tag] += 1
        self.dropping += dropped
        if element.block:
            self.blocks_open.append(element)
        if tag in ("article", "main") and not self.dropping:
            self.candidates.append(element)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag):
        if tag == "br":
            self.lines.append([])
        elif self.open[tag]:
            self._close(tag)

    def handle_data(self, data):
        if self.dropping:
            return
        if self.text_at is None and data.strip():
            self.text_at = self.clock
        self.lines[-1].append(data)

    def close(self):
        super().close()
        self._flush()
        while self.stack:
            self._pop()

    def _is_dropped(self, tag: str, attrs: dict) -> bool:
        if tag in _DROPPED_TAGS:
            # A <header> inside the story holds its headline and byline, not the site's.
            return not (tag == "header" and (self.open["article"] or self.open["main"]))
        if "hidden" in attrs or attrs.get("aria-hidden") == "true":
            return True
        if (attrs.get("role") or "").strip().lower() in _DROPPED_ROLES:
            return True
        if "display:none" in (attrs.get("style") or "").replace(" ", "").lower():
            return True
        if tag in _CONTAINERS:
            return False
        names = (attrs.get("class") or "").split() + [attrs.get("id") or ""]
        return any(_is_boilerplate_name(name) for name in names)

    def _close(self, tag: str) -> None:
        if not self.open[tag]:
            return
        while self._pop().tag != tag:
            pass

    def _pop(self) -> _Element:
        element = self.stack[-1]
        if element.block:
            self._flush()
        self.stack.pop()
        self.clock += 1
        element.end = self.clock
        self.open[element.tag] -= 1
        self.dropping -= element.dropped
        if element.block:
            self.blocks_open.pop()
        return element

    def _flush(self) -> None:
        """End the current run of text as one block, owned by the innermost open block element."""
        lines = (_HTML_SPACE.sub(" ", "".join(parts)).strip() for parts in self.lines)
        text = "\n".join(line for line in lines if line)
        if text:
            owner = self.blocks_open[-1] if self.blocks_open else None
            self.blocks.append(_Block(text, self.text_at, owner is not None and owner.tag in _HEADINGS))
            if owner is not None and owner.tag == "p" and owner.parent is not None:
                if not owner.parent.p_chars:
                    self.candidates.append(owner.parent)
                owner.parent.p_chars += len(text)
        self.lines = [[]]
        self.text_at = None


def _is_boilerplate_name(name: str) -> bool:
    words = set(re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1 \2", name).lower()))
    return bool(words & _BOILERPLATE_WORDS) and not words & _CONTENT_WORDS


def html_to_text(html: str) -> str:
    """The article text of a page: headings and paragraphs, separated by blank lines.

    The story is the <article> (or else the <main>) holding the most text; failing both, the element with
    the most <p> text directly inside; failing that, everything that is not navigation or boilerplate. Raises
    TooManyTags for a page of more than HTML_MAX_TAGS tags.
    """
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    blocks = parser.blocks
    times = [block.at for block in blocks]
    totals = [0]
    for block in blocks:
        totals.append(totals[-1] + len(block.text))

    def span(element: _Element) -> tuple[int, int]:
        return bisect_left(times, element.start), bisect_left(times, element.end)

    def chars(element: _Element) -> int:
        first, last = span(element)
        return totals[last] - totals[first]

    story = None
    for tag in ("article", "main"):
        found = [e for e in parser.candidates if e.tag == tag]
        if found and chars(best := max(found, key=chars)):
            story = best
            break
    else:
        with_p = [e for e in parser.candidates if e.p_chars]
        story = max(with_p, key=lambda e: e.p_chars) if with_p else None
    if story is None:
        return "\n\n".join(block.text for block in blocks)
    first, last = span(story)
    chosen = blocks[first:last]
    # A body chosen for its paragraphs often sits below the headline rather than around it.
    if not any(block.heading for block in chosen):
        chosen = [block for block in blocks[:first] if block.heading][-1:] + chosen
    return "\n\n".join(block.text for block in chosen)
