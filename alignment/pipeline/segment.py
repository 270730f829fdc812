"""Text -> sentences, each with its offsets in the original text.

Blank lines end paragraphs. Inside a paragraph, a line that plainly stands alone (a headline, a byline, a
list item) is a sentence of its own; the other lines go to the language's splitter: razdel for Russian,
pysbd for English. Small rules then repair the splitters' known mistakes, and a cap keeps a run of text
without punctuation from turning into one enormous sentence.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator

from .types import Lang, Sentence, Span

MAX_SENTENCE_CHARS = 2000
# pysbd's running time grows faster than its input (10 s for 100,000 characters of short sentences), so a
# splitter sees at most this much at once; no window need be longer than the longest sentence.
_WINDOW_CHARS = MAX_SENTENCE_CHARS

# Invisible characters pasted from web pages. A zero-width space separates words; the others sit inside
# words (soft hyphens, joiners, direction marks, a stray byte-order mark) and are dropped for the splitter.
_DROPPED = "\u00ad\u200c\u200d\u200e\u200f\u2060\ufeff"
_INVISIBLE = _DROPPED + "\u200b"

_LINE_BREAK = re.compile(r"\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]")
_LIST_ITEM = re.compile(r"(?:[-–—•·▪●◦*]|\d{1,3}[.)]|[a-zа-я]\))\s")
_FIRST_WORD = re.compile(r"\W*(\w+)")
_LAST_WORD = re.compile(r"(\w+)\W*$")
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’»)\]]*$")
_ENDS_MID_SENTENCE = re.compile(r"[,;\-–—(/&+]$")
# Words a headline or a byline does not end with, so a line ending in one was wrapped mid-sentence.
_CONTINUES = {
    Lang.EN: frozenset("a an the of and or but to with from by at as that is are was were".split()),
    Lang.RU: frozenset("в во на с со к ко о об от из за для по при и а но или что как не".split()),
}

# pysbd keeps everything between two double quotes together, so one stray or unclosed quote (common in
# news copy) glues the rest of a story into one sentence. So pysbd sees quote marks as spaces; an
# apostrophe inside a word ("didn't") stays.
_QUOTE = re.compile(r"[\"“”„«»]|(?<![^\W\d_])['‘’]|['‘’](?![^\W\d_])")

# Abbreviations that never end a sentence, where the splitters end one anyway ("Atty. | Smith",
# "ген. | Иванов").
_TITLE = {
    Lang.EN: re.compile(r"\b(?:Amb|Atty|Cong|Fr|Gov|Govs|Hon|Insp|Pres|Pvt|Reps|Sec|Sens)\.$"),
    Lang.RU: re.compile(r"(?i:\b(?:ген|сен|полк|доц)\.)$"),
}
# Abbreviations that do not end a sentence when a number follows ("Approx. | 12 people", "28 сент. | 2018 г.").
_BEFORE_NUMBER = {
    Lang.EN: re.compile(
        r"\b(?:No|Nos|Vol|Ch|Pt|Para|Fig|[Aa]pprox|ca|est|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.$"
    ),
    Lang.RU: re.compile(r"(?i:\b(?:рис|табл|разд|янв|фев|февр|мар|апр|авг|сен|сент|окт|ноя|нояб|дек)\.)$"),
}
# Both splitters take some ordinary words for abbreviations (pysbd: Maine's "me.", "is.", "miss."; razdel:
# "им." as in "им. Горького") and single capitals for initials ("grade A."), and then do not end a sentence
# there. A capitalised function word cannot follow an abbreviation or an initial inside a sentence, so a
# sentence ends before it: "believe in me. | I am", "доверять им. | По результатам".
_MISSED_END = {
    Lang.EN: re.compile(
        r"(?<![\w.])([\w.]+)\.(?=\s+(?:I|The|This|That|These|Those|It|He|She|They|We|You|His|Her|Their|Our"
        r"|But|And|In|On|At|For|If|When|As|However|After|There|Then)\b(?!\.))"
    ),
    Lang.RU: re.compile(
        r"(?<![\w.])([\w.]+)\.(?=\s+(?:В|Во|На|По|С|Со|К|О|Об|От|Из|За|Для|При|До|После|Но|А|И|Однако|Он|Она"
        r"|Оно|Они|Мы|Я|Вы|Это|Эти|Этот|Эта|Так|Как|Что|Когда|Если|Там|Тогда|Теперь|Также|Его|Ее|Её|Их|Не)\b(?!\.))"
    ),
}
_NOT_AN_END = frozenset("v vs cf e.g i.e incl approx viz".split())
# pysbd ends a sentence after "a.m." when a day or a time zone follows: "at 5 a.m. | Eastern time Sunday".
_CLOCK = re.compile(r"\b[ap]\.m\.$")
_AFTER_CLOCK = re.compile(
    r"(?:[ECMP][SD]?T|GMT|BST|UTC|Eastern|Central|Mountain|Pacific"
    r"|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
)


def split_sentences(text: str, lang: str) -> tuple[Sentence, ...]:
    """Split prose into sentences. Blank lines end paragraphs; empty text gives an empty tuple."""
    lang = Lang(lang)
    paragraphs = []
    for lines in _paragraphs(text):
        spans = []
        for start, end in _blocks(text, lines, lang):
            for span in _repair(text, _split_block(text, start, end, lang), lang):
                spans.extend(_cap(text, *span))
        paragraphs.append(spans)
    return _sentences(text, paragraphs)


def split_lines(text: str) -> tuple[Sentence, ...]:
    """Pre-segmented text: each non-blank line is a sentence (capped like any other); blank lines end paragraphs."""
    return _sentences(text, [[piece for line in lines for piece in _cap(text, *line)] for lines in _paragraphs(text)])


def _sentences(text: str, paragraphs: Iterable[list[Span]]) -> tuple[Sentence, ...]:
    numbered = [(p, span) for p, spans in enumerate(filter(None, paragraphs)) for span in spans]
    return tuple(Sentence(i, text[s:e], s, e, p) for i, (p, (s, e)) in enumerate(numbered))


def _is_space(char: str) -> bool:
    return char.isspace() or char in _INVISIBLE


def _trim(text: str, start: int, end: int) -> Span:
    while start < end and _is_space(text[start]):
        start += 1
    while end > start and _is_space(text[end - 1]):
        end -= 1
    return start, end


def _paragraphs(text: str) -> list[list[Span]]:
    """The trimmed spans of the non-blank lines, grouped by the blank lines between them."""
    paragraphs: list[list[Span]] = [[]]
    start = 0
    for line_end, next_start in [(m.start(), m.end()) for m in _LINE_BREAK.finditer(text)] + [(len(text),) * 2]:
        span = _trim(text, start, line_end)
        if span[0] < span[1]:
            paragraphs[-1].append(span)
        elif paragraphs[-1]:
            paragraphs.append([])
        start = next_start
    return [lines for lines in paragraphs if lines]


def _blocks(text: str, lines: list[Span], lang: Lang) -> Iterator[Span]:
    """Runs of lines that belong together: a line wrapped mid-sentence is joined to the next."""
    start = lines[0][0]
    for (line_start, end), (next_start, _) in zip(lines, lines[1:]):
        # Only a line's last words and the next one's first matter (and a regex over a huge line is slow).
        if _stands_alone(text[max(line_start, end - 40) : end], text[next_start : next_start + 40], lang):
            yield start, end
            start = next_start
    yield start, lines[-1][1]


def _stands_alone(line: str, next_line: str, lang: Lang) -> bool:
    """Whether a single line break after ``line`` ends a sentence of its own (a headline, a byline, a credit,
    a list item) rather than wrapping running prose."""
    if _LIST_ITEM.match(next_line):
        return True
    if _starts_lowercase(next_line) or _ENDS_MID_SENTENCE.search(line):
        return False
    if _ENDS_SENTENCE.search(line):
        return False  # the splitter knows best whether "Sen." or "U.S." at a line's end ends a sentence
    last = _LAST_WORD.search(line)
    return not (last and last.group(1).lower() in _CONTINUES[lang])


def _starts_lowercase(text: str) -> bool:
    word = _FIRST_WORD.match(text)  # "iPhone" has a capital, so it may start a sentence
    return bool(word) and word.group(1)[0].isalpha() and word.group(1).islower()


def _split_block(text: str, start: int, end: int, lang: Lang) -> list[Span]:
    """Run the splitter over text[start:end] and return the trimmed sentence spans in ``text``."""
    block = text[start:end]
    quotes = {m.start() for m in _QUOTE.finditer(block)} if lang == Lang.EN else set()
    # The splitter sees plain spaces and no invisible characters; ``where`` maps its positions back.
    where = [i for i, c in enumerate(block) if c not in _DROPPED]
    seen = "".join(" " if _is_space(block[i]) or i in quotes else block[i] for i in where)
    if lang == Lang.EN:
        seen = seen.replace("…", ".")  # pysbd can end a sentence at "..." but never at "…"
    where.append(len(block))

    spans, left = [], 0
    for cut in _sentence_ends(seen, _splitter(lang))[:-1]:
        gap_start, gap_end = where[cut - 1] + 1, where[_skip_spaces(seen, cut)]
        # Cut at the gap's first space (not a soft hyphen), so a closing quote stays with its sentence and
        # an opening quote goes with the next; with no space at all, the whole gap stays behind.
        spaces = (i for i in range(gap_start, gap_end) if block[i] not in _DROPPED and _is_space(block[i]))
        right = next(spaces, gap_end)
        spans.append((left, right))
        left = right
    spans.append((left, len(block)))
    return [(start + s, start + e) for s, e in (_trim(block, *span) for span in spans) if s < e]


def _skip_spaces(seen: str, pos: int) -> int:
    while pos < len(seen) and seen[pos] == " ":
        pos += 1
    return pos


def _sentence_ends(seen: str, split: Callable[[str], list[str]]) -> list[int]:
    """End offsets of the sentences in ``seen`` (spaces only as whitespace); the last one is len(seen)."""
    ends: list[int] = []
    start = 0
    while start < len(seen):
        stop = len(seen)
        if stop - start > _WINDOW_CHARS:
            space = seen.rfind(" ", start + 1, start + _WINDOW_CHARS)
            stop = space if space > 0 else start + _WINDOW_CHARS
        found = [start + e for e in _piece_ends(seen[start:stop], split(seen[start:stop]))]
        if stop == len(seen) or len(found) == 1:
            ends += found
            start = stop
        else:
            # The window may have cut its last sentence short: read that one again in the next window.
            ends += found[:-1]
            start = found[-2]
    return ends


def _piece_ends(chunk: str, pieces: list[str]) -> list[int]:
    """Where each of the splitter's pieces ends in ``chunk``, found by counting non-space characters: a
    splitter may change whitespace, and a sentence repeated word for word must not be found at its first
    occurrence (pysbd's own char_span does exactly that)."""
    ends, pos, last = [], 0, len(chunk.rstrip(" "))
    for piece in pieces:
        todo = sum(not c.isspace() for c in piece)
        while todo and pos < len(chunk):
            todo -= chunk[pos] != " "
            pos += 1
        if 0 < pos < last and (not ends or pos > ends[-1]):
            ends.append(pos)
    return ends + [len(chunk)]


def _repair(text: str, spans: list[Span], lang: Lang) -> list[Span]:
    """Repair the splitters' known mistakes; the rules are checked in tests/pipeline/test_segment.py
    against what razdel 0.5 and pysbd 0.3.4 really do."""
    spans = [piece for span in spans for piece in _split_missed(text, *span, lang)]
    joined: list[Span] = []
    for start, end in spans:
        if joined and _wrong_cut(text[max(joined[-1][0], joined[-1][1] - 40) : joined[-1][1]], text[start:end], lang):
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
    return joined


def _split_missed(text: str, start: int, end: int, lang: Lang) -> Iterator[Span]:
    for word in _MISSED_END[lang].finditer(text, start, end):
        if word.group(1).lower() not in _NOT_AN_END:
            yield start, word.end()
            start = _trim(text, word.end(), end)[0]
    yield start, end


_CLOSED_QUOTE = re.compile(r"[.!?,][\"'”’»]+$")
_SPEECH_VERB = "said|says|added|adds|told|asked|asks|wrote|writes|noted|notes|explained|continued|replied|recalled|reported|insisted|warned|argued|tweeted"
# "… water!'" | "Hammel added." — a short attribution after a closed quote belongs to the quote.
_ATTRIBUTION = re.compile(
    rf"(?:(?:[A-Z][\w'’.-]*\s+){{1,4}}|(?:he|she|they|it|we|I)\s+)(?:{_SPEECH_VERB})\b[^.!?]{{0,60}}[.!?]$"
)


def _wrong_cut(before: str, after: str, lang: Lang) -> bool:
    # A sentence does not start with a lowercase word: pysbd cuts before one after an abbreviation it does not
    # know ("3 pts. | in the game"), and after a question inside quotes it no longer sees ("“Sure?” | she asked").
    if _starts_lowercase(after) or _TITLE[lang].search(before):
        return True
    if _BEFORE_NUMBER[lang].search(before) and after[:1].isdigit():
        return True
    if lang == Lang.EN and _CLOSED_QUOTE.search(before) and _ATTRIBUTION.fullmatch(after):
        return True
    return lang == Lang.EN and bool(_CLOCK.search(before)) and bool(_AFTER_CLOCK.match(after))


def _cap(text: str, start: int, end: int) -> Iterator[Span]:
    """Cut a span longer than MAX_SENTENCE_CHARS at the last space before the limit (mid-word if it has none)."""
    while end - start > MAX_SENTENCE_CHARS:
        limit = start + MAX_SENTENCE_CHARS
        cut = next((i for i in range(limit, start, -1) if _is_space(text[i])), limit)
        yield _trim(text, start, cut)
        start, end = _trim(text, cut, end)
    yield start, end


@functools.cache
def _splitter(lang: Lang) -> Callable[[str], list[str]]:
    """The language's splitter, built once per process on first use. Both libraries build their rules on
    import, so they are imported here too."""
    if lang == Lang.RU:
        import razdel

        return lambda text: [s.text for s in razdel.sentenize(text)]
    import pysbd

    # char_span=False: its spans are found by searching for each sentence's text, which goes wrong when a
    # sentence repeats, and costs time quadratic in the text; _piece_ends finds them instead.
    return pysbd.Segmenter(language="en", clean=False, char_span=False).segment
