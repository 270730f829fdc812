"""Beads in, the same beads out with their divergences: what one version says and the other does not.

Each bead is judged against its own document: a similarity of 0.5 is alarming in a story whose pairs sit
around 0.85 and ordinary in one around 0.55, and Russian runs longer than English by a ratio that differs
from story to story. So the detector first takes the document's measure (:class:`_Profile`), then looks at
each bead. It only reads what the beads and sentences carry; it never embeds anything.
"""

from __future__ import annotations

import math
import re
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from . import features
from .features import Mention
from .types import Bead, Divergence, Kind, Sentence, Span

_SIDE_NAMES = {"en": "English", "ru": "Russian"}

# Meaning: a 1-1 pair is flagged when its similarity is at once this many robust deviations below the
# document's median, below this share of that median, and below an absolute ceiling.
_MEANING_DEVIATIONS = 3.0
_MEANING_SHARE = 0.7
_MEANING_CEILING = 0.45
_MIN_SPREAD = 0.05  # a floor on the robust deviation, for stories whose pairs are all alike
_MIN_PAIRS_FOR_PROFILE = 5  # fewer 1-1 pairs than this and the document's own median is not trusted
_TYPICAL_SIMILARITY = 0.75  # the median of faithful pairs across many stories, for short documents
_TYPICAL_SPREAD = 0.08

# Partial: one side longer than the other by this factor, after correcting for the document's own
# Russian-to-English length ratio, and by at least this many characters.
_PARTIAL_RATIO = 2.0
_PARTIAL_MIN_CHARS = 60
_TYPICAL_LENGTH_RATIO = 1.12  # Russian characters per English character, across many stories

# Names and numbers are only compared when the other side is a real sentence.
_MIN_OTHER_WORDS = 4


def find_divergences(beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence]) -> tuple[Bead, ...]:
    """The beads, in order, each with ``divergences`` filled in."""
    profile = _Profile.of(beads, en, ru)
    return tuple(replace(b, divergences=tuple(_bead_divergences(b, en, ru, profile))) for b in beads)


# --------------------------------------------------------------------------------------------------
# The document's measure


@dataclass(frozen=True)
class _Profile:
    similarity: float  # the median similarity of the document's 1-1 pairs
    spread: float  # their robust standard deviation (1.4826 x the median absolute deviation)
    length_ratio: float  # the median Russian/English character ratio of those pairs
    confirmed_names: frozenset[str]  # name keys seen where capitals are reliable (not opening a sentence)

    @classmethod
    def of(cls, beads: Sequence[Bead], en: Sequence[Sentence], ru: Sequence[Sentence]) -> _Profile:
        pairs = [b for b in beads if len(b.en) == 1 and len(b.ru) == 1]
        similarities = [b.similarity for b in pairs]
        ratios = [len(ru[b.ru[0]].text) / len(en[b.en[0]].text) for b in pairs if en[b.en[0]].text]
        if len(similarities) >= _MIN_PAIRS_FOR_PROFILE:
            median = statistics.median(similarities)
            spread = 1.4826 * statistics.median(abs(s - median) for s in similarities)
            # A short document leans on the typical level, so that one odd pair cannot set the bar.
            weight = min(1.0, len(similarities) / 15)
            median = weight * median + (1 - weight) * _TYPICAL_SIMILARITY
            spread = weight * spread + (1 - weight) * _TYPICAL_SPREAD
        else:
            median, spread = _TYPICAL_SIMILARITY, _TYPICAL_SPREAD
        ratio = statistics.median(ratios) if len(ratios) >= _MIN_PAIRS_FOR_PROFILE else _TYPICAL_LENGTH_RATIO
        confirmed = frozenset(
            key
            for side, sentences in (("en", en), ("ru", ru))
            for s in sentences
            for m in features.name_mentions(s, side)
            if not _opens_sentence(s, m)
            for key in m.keys
        )
        return cls(median, max(spread, _MIN_SPREAD), min(max(ratio, 0.7), 1.8), confirmed)


# --------------------------------------------------------------------------------------------------
# One bead


def _bead_divergences(bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile):
    en_sentences = [en[i] for i in bead.en]
    ru_sentences = [ru[j] for j in bead.ru]
    if not en_sentences or not ru_sentences:
        side, sentences = ("en", en_sentences) if en_sentences else ("ru", ru_sentences)
        yield from _unpaired(side, sentences)
        return
    meaning = _meaning(bead, en_sentences, ru_sentences, profile)
    if meaning:
        yield meaning  # the two sides say different things: their numbers and names differ as a matter of course
        return
    for divergence in (
        _numbers(en_sentences, ru_sentences),
        _names(en_sentences, ru_sentences, profile),
        _partial(en_sentences, ru_sentences, profile),
    ):
        if divergence:
            yield divergence


def _unpaired(side: str, sentences: Sequence[Sentence]):
    labels = [_boilerplate_label(s.text, side) for s in sentences]
    furniture = [s for s, label in zip(sentences, labels) if label]
    content = [s for s, label in zip(sentences, labels) if not label]
    where = "en_spans" if side == "en" else "ru_spans"
    if furniture:
        label = next(label for label in labels if label)
        yield Divergence(
            kind=Kind.BOILERPLATE,
            severity=0.1,
            reason=f"Boilerplate on the {_SIDE_NAMES[side]} side only: {label}",
            **{where: _spans(furniture)},
        )
    if content:
        chars = sum(len(s.text) for s in content)
        yield Divergence(
            kind=Kind.ONLY_EN if side == "en" else Kind.ONLY_RU,
            severity=round(0.5 + 0.5 * min(1.0, chars / 200), 3),
            reason=f"Only in {_SIDE_NAMES[side]}",
            **{where: _spans(content)},
        )


def _meaning(bead: Bead, en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile) -> Divergence | None:
    if len(en) != 1 or len(ru) != 1:
        return None
    similarity = bead.similarity
    bar = min(
        profile.similarity - _MEANING_DEVIATIONS * profile.spread,
        _MEANING_SHARE * profile.similarity,
        _MEANING_CEILING,
    )
    if similarity >= bar:
        return None
    severity = min(1.0, 0.6 + (bar - similarity) / max(bar, 1e-9))
    return Divergence(
        kind=Kind.MEANING,
        severity=round(severity, 3),
        reason=f"Meaning differs: similarity {similarity:.2f}, far below this story's typical {profile.similarity:.2f}",
        en_spans=_spans(en),
        ru_spans=_spans(ru),
    )


def _partial(en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile) -> Divergence | None:
    en_chars = sum(len(s.text) for s in en)
    ru_chars = sum(len(s.text) for s in ru)
    expected_ru = en_chars * profile.length_ratio
    ratio = ru_chars / expected_ru if expected_ru else math.inf
    if ratio >= _PARTIAL_RATIO and ru_chars - expected_ru >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        longer, side = "Russian", "ru"
    elif ratio <= 1 / _PARTIAL_RATIO and expected_ru - ru_chars >= _PARTIAL_MIN_CHARS * profile.length_ratio:
        longer, side = "English", "en"
    else:
        return None
    factor = ratio if side == "ru" else 1 / ratio
    return Divergence(
        kind=Kind.PARTIAL,
        severity=round(min(1.0, 0.3 + 0.2 * (factor - _PARTIAL_RATIO)), 3),
        reason=f"{longer} version is much longer: content added inside the sentence"
        if side == "ru"
        else f"{longer} version is much longer: content cut from the Russian",
        en_spans=_spans(en) if side == "en" else (),
        ru_spans=_spans(ru) if side == "ru" else (),
    )


# --------------------------------------------------------------------------------------------------
# Numbers


def _numbers(en: Sequence[Sentence], ru: Sequence[Sentence]) -> Divergence | None:
    en_mentions = [m for s in en for m in features.number_mentions(s, "en")]
    ru_mentions = [m for s in ru for m in features.number_mentions(s, "ru")]
    if not en_mentions or not ru_mentions or not _real_sentences(en, ru):
        return None
    en_keys = frozenset().union(*(features.number_keys(s.text, "en") for s in en))
    ru_keys = frozenset().union(*(features.number_keys(s.text, "ru") for s in ru))
    # A number written in words is weak evidence: it may stand for a digit on the other side, but its own
    # absence there ("two" translated as "пара") proves nothing.
    en_missing = [m for m in en_mentions if not m.spelled_out and not features.number_matches(m, ru_keys)]
    ru_missing = [m for m in ru_mentions if not m.spelled_out and not features.number_matches(m, en_keys)]
    en_missing = [m for m in en_missing if not _converted_unit(m, en, ru_mentions)]
    ru_missing = [m for m in ru_missing if not _converted_unit(m, ru, en_mentions)]
    if not en_missing and not ru_missing:
        return None
    if en_missing and ru_missing:
        reason = f"Number differs: {_listing(en_missing)} in English, {_listing(ru_missing)} in Russian"
    elif en_missing:
        reason = f"Number only in English: {_listing(en_missing)}"
    else:
        reason = f"Number only in Russian: {_listing(ru_missing)}"
    return Divergence(
        kind=Kind.NUMBER,
        severity=round(_number_severity(en_missing, ru_missing), 3),
        reason=reason,
        en_spans=tuple(m.span for m in en_missing),
        ru_spans=tuple(m.span for m in ru_missing),
    )


_IMPERIAL = re.compile(
    r"^\W{0,2}(?:-?(?:inch|inches|in\b|foot|feet|ft\b|mile|miles|mph|yard|yards|pound|pounds|lb|lbs|ounce|ounces"
    r"|oz\b|gallon|gallons|acre|acres|degrees?|°|F\b|s\b))",
    re.I,
)
_METRIC = re.compile(
    r"^\W{0,2}(?:-?(?:см|сантиметр|мм|миллиметр|м\b|метр|км|километр|кг|килограмм|г\b|грамм|т\b|тонн|л\b|литр"
    r"|га\b|гектар|градус|°|км/ч))",
    re.I,
)


def _converted_unit(mention: Mention, sentences: Sequence[Sentence], other: Sequence[Mention]) -> bool:
    """Whether a number was probably converted between units: inches to centimetres, Fahrenheit to Celsius."""
    text = next(s for s in sentences if s.start <= mention.span[0] < s.end)
    after = text.text[mention.span[1] - text.start :][:14]
    return bool(_IMPERIAL.match(after) or _METRIC.match(after))


def _number_severity(en_missing: Sequence[Mention], ru_missing: Sequence[Mention]) -> float:
    """Higher when the numbers that disagree are far apart; a lone unmatched number is middling."""
    if not en_missing or not ru_missing:
        return 0.5
    a, b = _value(en_missing[0].key), _value(ru_missing[0].key)
    if a is None or b is None:
        return 0.6
    difference = abs(a - b) / max(abs(a), abs(b), 1e-9)
    return min(1.0, 0.4 + 0.6 * min(1.0, 2 * difference))


def _value(key: str) -> float | None:
    try:
        return float(Decimal(key.rstrip("%")))
    except InvalidOperation:
        return None


# --------------------------------------------------------------------------------------------------
# Names


def _names(en: Sequence[Sentence], ru: Sequence[Sentence], profile: _Profile) -> Divergence | None:
    if not _real_sentences(en, ru):
        return None
    en_missing = _missing_names(en, "en", ru, "ru", profile)
    ru_missing = _missing_names(ru, "ru", en, "en", profile)
    if not en_missing and not ru_missing:
        return None
    if en_missing and ru_missing:
        reason = f"Name differs: {_listing(en_missing)} in English, {_listing(ru_missing)} in Russian"
        severity = 0.7
    elif en_missing:
        reason, severity = f"Name only in English: {_listing(en_missing)}", 0.5
    else:
        reason, severity = f"Name only in Russian: {_listing(ru_missing)}", 0.5
    return Divergence(
        kind=Kind.NAME,
        severity=severity,
        reason=reason,
        en_spans=tuple(m.span for m in en_missing),
        ru_spans=tuple(m.span for m in ru_missing),
    )


def _missing_names(
    sentences: Sequence[Sentence], lang: str, others: Sequence[Sentence], other_lang: str, profile: _Profile
) -> list[Mention]:
    """Names on this side that the other side does not mention in any spelling."""
    other_keys = frozenset().union(*(features.word_keys(s.text, other_lang) for s in others))
    missing = []
    for sentence in sentences:
        mentions = features.name_mentions(sentence, lang)
        found = [any(k in other_keys for k in m.keys) for m in mentions]
        for i, m in enumerate(mentions):
            if found[i] or not m.text[:1].isupper():
                continue  # Russian lowercase adjectives ("российский") only ever confirm a name
            if _opens_sentence(sentence, m) and not any(k in profile.confirmed_names for k in m.keys):
                continue  # capitalised because it opens the sentence, and never seen as a name elsewhere
            run = _run_around(sentence, mentions, i)
            if run[-1] != i and any(found[j] for j in run):
                continue  # a first name dropped before a surname that is there: "Donald Trump" / "Трамп"
            missing.append(m)
    return missing


def _run_around(sentence: Sentence, mentions: Sequence[Mention], i: int) -> list[int]:
    """The indices of the mentions that form one run of capitalised words with mention ``i``."""
    def joined(a: Mention, b: Mention) -> bool:
        gap = sentence.text[a.span[1] - sentence.start : b.span[0] - sentence.start]
        return len(gap) <= 3 and not gap.strip(" -\u00a0'’.")

    start = i
    while start > 0 and joined(mentions[start - 1], mentions[start]):
        start -= 1
    end = i
    while end + 1 < len(mentions) and joined(mentions[end], mentions[end + 1]):
        end += 1
    return list(range(start, end + 1))


def _opens_sentence(sentence: Sentence, mention: Mention) -> bool:
    """Whether the mention stands where any word is capitalised: first in the sentence or a quotation."""
    before = sentence.text[: mention.span[0] - sentence.start].rstrip()
    return not any(c.isalnum() for c in before) or before[-1] in "«“\"'‘(:—–-.!?…"


# --------------------------------------------------------------------------------------------------
# Boilerplate


def is_boilerplate(text: str, lang: str) -> bool:
    """Whether a sentence is outlet furniture (a newsletter prompt, a photo credit) rather than news."""
    return _boilerplate_label(text, lang) is not None


# (label, weight, pattern). A sentence is boilerplate when its weights, with a bonus for being short and a
# penalty for reading like reported news, reach 1.
_BOILERPLATE_PATTERNS = tuple(
    (label, weight, re.compile(pattern, re.I))
    for label, weight, pattern in (
        ("link to another story", 1.0,
         r"^\W*(?:read more|read also|also read|related|see also|more on this(?: story)?|more|recommended"
         r"|читайте(?: также)?|также читайте|подробнее|смотрите также|см\. также|по теме|новости по теме)\s*[:—–-]"),
        ("link to another story", 0.6, r"^\W*(?:read more|читать далее|читать полностью)\b"),
        ("newsletter prompt", 0.7, r"\b(?:sign up|subscribe|register)\b.{0,40}\b(?:our|free|daily|weekly)\b"),
        ("newsletter prompt", 0.5, r"\bour (?:daily |weekly |free |morning |evening )?(?:newsletters?|briefing|podcast|channel)\b"),
        ("newsletter prompt", 0.3, r"\b(?:newsletters?|inbox)\b"),
        ("newsletter prompt", 0.7, r"\bподпи(?:шитесь|сывайтесь|саться на наш|ска на наш)"),
        ("newsletter prompt", 0.3, r"\b(?:рассылк\w*|наш(?:у|ем)? (?:канал|telegram|телеграм))"),
        ("donation appeal", 0.8, r"\bsupport (?:independent|our|quality|free)\b.{0,20}\b(?:journalism|reporting|newsroom|work)\b"),
        ("donation appeal", 0.6, r"\b(?:make a donation|donate (?:now|today)|become a (?:member|supporter|patron)|contribute today)\b"),
        ("donation appeal", 0.8, r"\bподдержите\b"),
        ("donation appeal", 0.5, r"\bпожертвовани\w*|\bпомогите (?:нам|редакции)\b"),
        ("photo credit", 1.0, r"^\W*(?:photo(?:graph)?s?|image|picture|pictured|video|credit|illustration|source"
                              r"|фото(?:графия)?|видео|иллюстрация|источник|кадр)\s*(?:credit)?\s*[:©|/]"),
        ("photo credit", 0.3, r"\b(?:getty images|reuters|ap photo|afp|epa|shutterstock|тасс|риа новости|интерфакс"
                              r"|рейтер)\b"),
        ("copyright notice", 0.9, r"©|\ball rights reserved\b|\bвсе права защищены\b"),
        ("social media prompt", 0.8, r"\b(?:follow|join|find|like) us on\b|\bмы в (?:telegram|телеграм|вконтакте|vk|facebook|twitter|instagram)"
                                     r"|\bследите за (?:нами|новостями)"),
        ("social media prompt", 0.2, r"\b(?:twitter|facebook|instagram|telegram|телеграм\w*|youtube|whatsapp|tiktok|вконтакте)\b"),
        ("sharing prompt", 0.8, r"\bshare (?:this|on)\b|\b(?:share|tweet|email) this (?:article|story)\b|\bподелит[ьеи]с[ья]\b"),
        ("advertisement", 1.0, r"^\W*(?:advertisement|advertising|sponsored(?: content)?|promoted|ad|реклама|на правах рекламы)\W*$"),
        ("cookie notice", 0.9, r"\bcookies?\b.{0,60}\b(?:use|accept|policy|consent|agree)\b|\bprivacy policy\b|\bfiles? cookie\b"
                               r"|\bфайл\w* cookie|\bкуки\b|\bполитик\w* конфиденциальности"),
        ("call to action", 0.7, r"\b(?:click here|tap here|download (?:our|the) app|нажмите (?:здесь|сюда)|скачайте (?:наше )?приложение)\b"),
        ("article metadata", 0.7, r"^\W*(?:updated|published|posted|last updated|обновлено|опубликовано)\b\W*\d"),
    )
)  # fmt: skip
_REPORTED_NEWS = re.compile(
    r"\b(?:said|says|told|according to|reported|announced|claimed|he|she|they|his|her|their|police|officials"
    r"|сказал\w*|заявил\w*|сообщил\w*|рассказал\w*|по словам|по данным|он|она|они|его|её|ее|их|полиция)\b",
    re.I,
)


def _boilerplate_label(text: str, lang: str) -> str | None:
    scores: dict[str, float] = {}
    for label, weight, pattern in _BOILERPLATE_PATTERNS:
        if pattern.search(text):
            scores[label] = scores.get(label, 0.0) + weight
    if not scores:
        return None
    label, score = max(scores.items(), key=lambda item: item[1])
    score += sum(scores.values()) - score  # other signals count too, credited to the strongest
    length = len(text.strip())
    score += 0.3 if length <= 40 else 0.15 if length <= 90 else -0.3 if length > 200 else 0.0
    if _REPORTED_NEWS.search(text) and not re.match(r"^\W*\w+(?: \w+)?\s*:", text):
        score -= 0.4  # reads like reported news; a "Label:" opener is furniture whatever follows
    return label if score >= 1.0 else None


# --------------------------------------------------------------------------------------------------


def _real_sentences(en: Sequence[Sentence], ru: Sequence[Sentence]) -> bool:
    """Both sides long enough for a missing name or number to mean something."""
    return all(sum(len(s.text.split()) for s in side) >= _MIN_OTHER_WORDS for side in (en, ru))


def _spans(sentences: Iterable[Sentence]) -> tuple[Span, ...]:
    return tuple((s.start, s.end) for s in sentences)


def _listing(mentions: Sequence[Mention]) -> str:
    return ", ".join(dict.fromkeys(m.text for m in mentions))
