"""A glossary is its owner's own, or a collection's (a Scope); its entries are spelled alike however they came
(the form, a CSV or TBX file); and a run of a story is given the pairs of its owner's glossary and of every
collection it belongs to (``for_story``)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse

from alignment.models import Collection, GlossaryEntry, Story
from alignment.pipeline.types import GlossaryPair

MAX_SPELLING = 200  # characters of one spelling
MAX_VARIANTS = 10  # other spellings per side
MAX_NOTE = 500


@dataclass(frozen=True)
class Scope:
    """Whose glossary: a user's own, or (with ``collection``) one of their collections'."""

    owner: object  # the user
    collection: Collection | None = None

    @property
    def entries(self) -> QuerySet[GlossaryEntry]:
        return GlossaryEntry.objects.filter(owner=self.owner, collection=self.collection)

    def stories(self) -> QuerySet[Story]:
        """The stories it speaks for: its owner's, or those of the collection (which are its owner's too)."""
        mine = Story.objects.filter(owner=self.owner)
        return mine.filter(collections=self.collection) if self.collection else mine

    @property
    def title(self) -> str:
        return f"Glossary of {self.collection.name}" if self.collection else "My glossary"

    @property
    def called(self) -> str:
        """Its name inside a sentence, to its owner."""
        return f"the glossary of {self.collection.name}" if self.collection else "your glossary"

    @property
    def pages(self) -> dict[str, str]:
        """The URLs of its pages that take no other argument, for the templates."""
        return {"list": self.url("glossary"), "import": self.url("glossary_import"),
                "recheck": self.url("glossary_recheck"), "csv": self.url("glossary_export", "csv"),
                "tbx": self.url("glossary_export", "tbx")}

    def url(self, name: str, *args) -> str:
        """The URL of one of the glossary's pages, by its name for a user's glossary ("glossary_export", ...)."""
        if self.collection:
            return reverse(f"collection_{name}", args=[self.collection.code, *args])
        return reverse(name, args=args)


@dataclass(frozen=True)
class Spelled:
    """An entry's fields, made alike: one space between words, in Unicode's composed form."""

    en: str
    ru: str
    en_variants: tuple[str, ...] = ()
    ru_variants: tuple[str, ...] = ()
    note: str = ""

    @classmethod
    def of(cls, en: str, ru: str, en_variants: Iterable[str] = (), ru_variants: Iterable[str] = (),
           note: str = "") -> Spelled:
        en, ru = spelling(en), spelling(ru)
        return cls(en, ru, _variants(en, en_variants), _variants(ru, ru_variants), spelling(note)[:MAX_NOTE])

    def as_pair(self) -> GlossaryPair:
        return GlossaryPair((self.en, *self.en_variants), (self.ru, *self.ru_variants))


def spelling(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text or "")).strip()


def split_variants(text: str) -> list[str]:
    """Other spellings as a person types them, or a CSV cell holds them: separated by semicolons."""
    return [v for v in (spelling(p) for p in (text or "").split(";")) if v]


def _variants(main: str, variants: Iterable[str]) -> tuple[str, ...]:
    kept: dict[str, str] = {main.casefold(): main}
    for variant in map(spelling, variants):
        if variant:
            kept.setdefault(variant.casefold(), variant)
    return tuple(list(kept.values())[1:])


def find(scope: Scope, en: str, ru: str) -> GlossaryEntry | None:
    """The scope's entry pairing these spellings, case aside."""
    return scope.entries.filter(key=GlossaryEntry.key_of(spelling(en), spelling(ru))).first()


def save(scope: Scope, spelled: Spelled, entry: GlossaryEntry | None = None) -> GlossaryEntry:
    """A new entry of ``scope``, or ``entry`` changed."""
    entry = entry or GlossaryEntry(owner=scope.owner, collection=scope.collection)
    entry.en, entry.ru, entry.note = spelled.en, spelled.ru, spelled.note
    entry.en_variants, entry.ru_variants = list(spelled.en_variants), list(spelled.ru_variants)
    entry.save()
    return entry


def for_story(story: Story) -> tuple[GlossaryPair, ...]:
    """The pairs a run of ``story`` is given: its owner's glossary, and its collections' glossaries."""
    rows = GlossaryEntry.objects.filter(
        Q(owner=story.owner_id, collection__isnull=True) | Q(collection__in=story.collections.all())
    ).order_by("pk")
    return tuple(dict.fromkeys(entry.as_pair() for entry in rows))


def merge(scope: Scope, many: Iterable[Spelled]) -> tuple[int, int, list[GlossaryPair]]:
    """Entries read from a file, into ``scope``: a pair it lists already (case aside) takes the new spellings among
    its variants, and the note if one is given; any other is added. Returns (added, updated, the pairs as they are
    now)."""
    added = updated = 0
    pairs = []
    for spelled in many:
        entry = find(scope, spelled.en, spelled.ru)
        if entry is not None:
            spelled = Spelled.of(entry.en, entry.ru, [*entry.en_variants, *spelled.en_variants],
                                 [*entry.ru_variants, *spelled.ru_variants], spelled.note or entry.note)
            updated += 1
        else:
            added += 1
        pairs.append(save(scope, spelled, entry).as_pair())
    return added, updated, pairs
