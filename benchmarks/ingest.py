"""The ingest libraries against the hand-written code they replaced, on the same input.

    python -m benchmarks.ingest [--limit N] [--seed 13] [--pages]

The old code is ``alignment/ingest.py`` as it stood at OLD_COMMIT, read back from git; the new one is the
``alignment.ingest`` package in the tree. Two tables:

- encodings: the development set's Russian stories in Windows-1251 and KOI8-R (whole, their headline, the headline
  in capitals), its English ones in Windows-1252 with typographic quotes, and both in UTF-16 without a
  byte-order mark. A sample counts when its text and the encoding's name both come out right.
- extraction: the pages of tests/data/pages (their article text beside them), two pages nested deeper than lxml
  reads, and pages made from the development set, as the repository holds no real ones: a story (headline,
  paragraphs of one to three sentences) with a site's menu, cookie notice and footer, and blocks of the
  furniture bank (``alignment/pipeline/lexicon/furniture/``) of an outlet of the story's language above, inside
  and below it, in six templates. ``semantic``: <main>, <article>, <aside>, <nav>, <footer>, and class names that
  say what a block is. The others have no <article> or <main>, class names that say nothing about the story or
  the blocks, and name only the menu and the footer: ``divs`` holds the story in one <div>; ``sections`` wraps
  each paragraph in a <div> of its own; ``textdivs`` has its paragraphs as <div>s, not <p>s; in ``bare`` the
  blocks' lines are plain <p>s among the story's; ``opaque`` is ``divs`` with the menu and footer unnamed too.
  Per page: the story's sentences each extraction keeps, the furniture lines it keeps (fewer is better), the
  sentences it loses, and its time.
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from types import ModuleType

import lxml.html

from alignment.pipeline.lexicon.furniture_bank import load_bank, outlet_names

from .data import DEFAULT_SEED, load_stories, split, story_rng
from .furniture import Block, bank_blocks
from .report import part_title, print_table

ROOT = Path(__file__).resolve().parents[1]
PAGES = ROOT / "tests" / "data" / "pages"
OLD_COMMIT = "23b168142f81ce98ea1436f183537fb8e1f6ff07"  # the last with alignment/ingest.py, hand-written
TEMPLATES = ("semantic", "divs", "sections", "textdivs", "bare", "opaque")
BLOCKS_PER_PAGE = (2, 4)
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")

CHROME = {
    "en": {
        "menu": ("Home", "World", "Politics", "Business", "Sport", "Opinion"),
        "cookies": ("We use cookies to improve your experience on our site.", "Accept all"),
        "footer": ("About us", "Contact", "Privacy policy", "© 2026 {outlet}. All rights reserved."),
    },
    "ru": {
        "menu": ("Главная", "В мире", "Политика", "Экономика", "Спорт", "Мнения"),
        "cookies": ("Мы используем файлы cookie, чтобы сайт работал лучше.", "Принять все"),
        "footer": ("О нас", "Контакты", "Политика конфиденциальности", "© 2026 {outlet}. Все права защищены."),
    },
}
# How a semantic page marks each kind of block of the bank.
CLASSES = {
    "donation appeal": "donate-box",
    "link to another story": "related-links",
    "social media prompt": "social-follow",
    "newsletter prompt": "newsletter-signup",
    "sharing note": "share-tools",
    "tags": "story-tags",
    "advertisement": "ad-slot",
    "cookie notice": "cookie-banner",
    "comment prompt": "comments-cta",
}


@dataclass(frozen=True)
class Page:
    name: str
    group: str  # the table row it is counted in: its template and part of the split, for a generated page
    html: str
    sentences: tuple[str, ...]  # the story's
    furniture: tuple[str, ...]  # every other line of text a reader sees, or a page's <title>


@dataclass
class Count:
    pages: int = 0
    sentences: int = 0
    furniture: int = 0
    kept: int = 0
    furniture_kept: int = 0
    seconds: float = 0.0

    def add(self, page: Page, text: str, seconds: float) -> None:
        flat = " ".join(text.split())
        self.pages += 1
        self.sentences += len(page.sentences)
        self.furniture += len(page.furniture)
        self.kept += sum(" ".join(s.split()) in flat for s in page.sentences)
        self.furniture_kept += sum(_holds(flat, line) for line in page.furniture)
        self.seconds += seconds


def _holds(flat: str, line: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(" ".join(line.split())) + r"(?!\w)", flat) is not None


def sentences(text: str) -> tuple[str, ...]:
    return tuple(s for line in text.splitlines() for s in _SENTENCE_END.split(line.strip()) if s)


# ---------------------------------------------------------------------------------------------------- Old code


def old_ingest() -> ModuleType | None:
    """alignment/ingest.py as it was at OLD_COMMIT, or None (and why) when git cannot give it back."""
    try:
        source = subprocess.run(
            ["git", "show", f"{OLD_COMMIT}:alignment/ingest.py"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError) as error:
        print(f"The old ingest module is not in this clone's history ({error}): nothing to compare.")
        return None
    module = ModuleType("benchmarks._old_ingest")
    sys.modules[module.__name__] = module  # dataclasses look their module up there
    exec(compile(source, f"alignment/ingest.py@{OLD_COMMIT[:7]}", "exec"), module.__dict__)
    return module


# ---------------------------------------------------------------------------------------------------- Encodings


def encoding_samples(stories) -> dict[str, list[tuple[str, str]]]:
    """Kind of sample -> (text, encoding) pairs; the Russian text is cut to the lines both encodings hold."""
    kinds: dict[str, list[tuple[str, str]]] = {}
    for story in stories:
        ru = "\n".join(line for line in story.ru if _encodable(line, "windows-1251") and _encodable(line, "koi8-r"))
        headline = ru.split("\n", 1)[0]
        for encoding in ("windows-1251", "koi8-r"):
            if ru:
                kinds.setdefault(f"Russian story, {encoding}", []).append((ru + "\n", encoding))
                kinds.setdefault(f"Russian headline, {encoding}", []).append((headline, encoding))
                kinds.setdefault(f"Russian headline in capitals, {encoding}", []).append((headline.upper(), encoding))
        typographic = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", story.en_text).replace("'", "\u2019")
        if _encodable(typographic, "windows-1252") and not typographic.isascii():
            kinds.setdefault("English story, windows-1252", []).append((typographic, "windows-1252"))
        for codec in ("utf-16-le", "utf-16-be"):
            samples = [(story.en_text, codec), (story.ru_text, codec)]
            kinds.setdefault(f"story without a BOM, {codec}", []).extend(samples)
    return kinds


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def measure_encodings(old: ModuleType, new: Callable, stories) -> None:
    rows = []
    for kind, samples in encoding_samples(stories).items():
        right = [0, 0]
        for text, encoding in samples:
            data = text.encode(encoding)
            for k, decode in enumerate((old.decode, new)):
                right[k] += decode("sample.txt", data) == (text, encoding)
        rows.append((kind, len(samples), right[0], right[1]))
    print_table("Encodings: samples read right (text and encoding's name)", ("sample", "n", "old", "new"), rows)


# ---------------------------------------------------------------------------------------------------- Pages


def fixture_pages() -> list[Page]:
    pages = []
    for path in sorted(PAGES.glob("*.html")):
        html = path.read_text(encoding="utf-8")
        body = path.with_suffix(".txt").read_text(encoding="utf-8")
        pages.append(Page(path.stem, "tests/data/pages", html, sentences(body), _furniture_of(html, body)))
    deep = "<div>" * 10_000 + "<p>Deep inside the page.</p>" + "</div>" * 10_000
    unclosed = "<p>Start.</p>" + "<span><b>" * 10_000 + "<p>Never closed."
    pages.append(Page("10,000 divs deep", "deep", deep, ("Deep inside the page.",), ()))
    pages.append(Page("10,000 unclosed", "deep", unclosed, ("Start.", "Never closed."), ()))
    return pages


def _furniture_of(html: str, body: str) -> tuple[str, ...]:
    """The page's text nodes (and its <title>) that are no part of its article text."""
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter("script", "style"):
        element.text = ""
    flat = " ".join(body.split())
    nodes = (" ".join(t.split()) for t in tree.itertext())
    return tuple(dict.fromkeys(t for t in nodes if any(ch.isalpha() for ch in t) and t not in flat))


def story_pages(stories, seed: int, part: str) -> list[Page]:
    """Each story on each side, in every template, with the same blocks of one outlet of its language."""
    bank = bank_blocks(load_bank())
    names = outlet_names()
    pages = []
    for story in stories:
        for lang, lines in (("en", story.en), ("ru", story.ru)):
            rng = story_rng(seed, "ingest", story.name, lang)
            outlet = rng.choice(sorted(bank))
            blocks = [b for b in bank[outlet] if b.lang == lang]
            chosen = rng.sample(blocks, min(len(blocks), rng.randint(*BLOCKS_PER_PAGE)))
            for template in TEMPLATES:
                html, furniture = render(template, lang, names[outlet], lines, chosen, rng)
                flat = " ".join(" ".join(lines).split())
                kept = tuple(dict.fromkeys(f for f in furniture if " ".join(f.split()) not in flat))
                pages.append(Page(f"{story.name}.{lang}", f"{template}, {part}", html, tuple(lines), kept))
    return pages


def render(template: str, lang: str, outlet: str, lines: Sequence[str], blocks: Sequence[Block], rng: random.Random):
    """A page holding the story, and the lines of furniture on it."""
    chrome = CHROME[lang]
    footer = [line.format(outlet=outlet) for line in chrome["footer"]]
    headline, rest = lines[0], list(lines[1:])
    paragraphs = []
    while rest:
        size = rng.randint(1, 3)
        paragraphs.append(" ".join(rest[:size]))
        rest = rest[size:]
    places = {block: rng.choice(("top", "inside", "bottom")) for block in blocks}
    inside: dict[int, list[Block]] = {}
    for block in (b for b, place in places.items() if place == "inside"):
        inside.setdefault(rng.randint(1, max(1, len(paragraphs) - 1)), []).append(block)

    def opaque() -> str:
        return f"c{rng.randint(10, 99)}"

    def block_html(block: Block) -> str:
        items = "".join(_line_html(line, template) for line in block.lines)
        if template == "bare":
            return items
        if block.label == "photo credit":
            return f'<figure><img src="photo.jpg" alt=""><figcaption>{items}</figcaption></figure>'
        css = CLASSES.get(block.label, "widget") if template == "semantic" else opaque()
        tag = "aside" if template == "semantic" and block.label == "link to another story" else "div"
        return f'<{tag} class="{css}">{items}</{tag}>'

    def paragraph_html(k: int, text: str) -> str:
        if template == "sections":
            return f'<div data-component="text-block" class="{opaque()}"><p>{escape(text)}</p></div>'
        if template == "textdivs":
            return f'<div data-testid="paragraph-{k}" class="{opaque()}">{escape(text)}</div>'
        return f"<p>{escape(text)}</p>"

    top = "".join(block_html(b) for b, place in places.items() if place == "top")
    bottom = "".join(block_html(b) for b, place in places.items() if place == "bottom")
    body = "".join(
        "".join(block_html(b) for b in inside.get(k, ())) + paragraph_html(k, p) for k, p in enumerate(paragraphs)
    )
    h1 = f"<h1>{escape(headline)}</h1>"
    menu = "".join(f'<li><a href="/{k}">{escape(item)}</a></li>' for k, item in enumerate(chrome["menu"]))
    notice, button = (escape(line) for line in chrome["cookies"])
    cookies = f'<div class="cookie-consent"><p>{notice}</p><button>{button}</button></div>'
    foot = "".join(f"<p>{escape(line)}</p>" for line in footer)
    if template == "semantic":
        story = f"<main>{top}<article><header>{h1}</header>{body}</article>{bottom}</main>"
        page = f'<header class="site-header"><nav><ul>{menu}</ul></nav></header>{cookies}{story}<footer>{foot}</footer>'
    else:
        story = (
            f'<div class="c3"><div class="c4">{h1}{top}{body}{bottom}</div></div>' if template == "bare" else
            f'<div class="c3">{top}<div class="c4">{h1}{body}</div>{bottom}</div>'
        )
        menu_css, footer_css = ("c1", "c5") if template == "opaque" else ("site-menu", "site-footer")
        page = f'<div class="{menu_css}"><ul>{menu}</ul></div>{cookies}{story}<div class="{footer_css}">{foot}</div>'
    title = f"<title>{escape(headline)} | {escape(outlet)}</title>"
    html = f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{title}</head><body>{page}</body></html>'
    furniture = [f"{headline} | {outlet}", *chrome["menu"], *chrome["cookies"], *footer]
    furniture += [line for block in blocks for line in block.lines]
    return html, furniture


def _line_html(line: str, template: str) -> str:
    """A long line of furniture is a paragraph, a short one a link or a button, as on a real page."""
    if template == "bare" or len(line) > 40:
        return f"<p>{escape(line)}</p>"
    return f'<a href="#">{escape(line)}</a><br>'


def measure_pages(old: ModuleType, new: Callable, pages: Iterable[Page], each: bool) -> None:
    counts: dict[str, tuple[Count, Count]] = {}
    rows = []
    for page in pages:
        pair = counts.setdefault(page.group, (Count(), Count()))
        single = (Count(), Count())
        for k, extract in enumerate((old.html_to_text, new)):
            start = time.perf_counter()
            text = extract(page.html)
            seconds = time.perf_counter() - start
            pair[k].add(page, text, seconds)
            single[k].add(page, text, seconds)
        if each or page.group in ("tests/data/pages", "deep"):
            rows.append(_row(page.name, single))
    for group, pair in counts.items():
        if group not in ("tests/data/pages", "deep"):
            rows.append(_row(group, pair))
    print_table(
        "HTML extraction: the story's sentences kept, furniture lines kept (fewer is better), sentences lost",
        ("page", "pages", "sentences", "old kept", "new kept", "furniture", "old furn.", "new furn.", "old lost",
         "new lost", "old ms", "new ms"),
        rows,
        notes=[f"trafilatura's options were chosen on the tuning part; {part_title('held-out')}."],
    )


def _row(name: str, pair: tuple[Count, Count]):
    old, new = pair
    return (
        name, old.pages, old.sentences, old.kept, new.kept, old.furniture, old.furniture_kept, new.furniture_kept,
        old.sentences - old.kept, new.sentences - new.kept,
        f"{1000 * old.seconds / old.pages:.1f}", f"{1000 * new.seconds / new.pages:.1f}",
    )


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ingest", description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, help="only the first N stories of the development set")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the pages' outlets, blocks and places")
    parser.add_argument("--pages", action="store_true", help="a row per generated page, not only per template")
    args = parser.parse_args(argv)
    old = old_ingest()
    if old is None:
        return
    from alignment.ingest.encodings import decode
    from alignment.ingest.html import html_to_text

    stories = load_stories(limit=args.limit)
    measure_encodings(old, decode, stories)
    tuning, held_out = split(stories)
    pages = fixture_pages() + story_pages(held_out, args.seed, "held-out") + story_pages(tuning, args.seed, "tuning")
    measure_pages(old, html_to_text, pages, args.pages)


if __name__ == "__main__":
    main()
