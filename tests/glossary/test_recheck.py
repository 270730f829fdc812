"""A story's names re-checked against its glossary without aligning it again: what changes (the name divergences
alone), what stays (the pairs, the other kinds, the reviews of divergences still there), and what each run and
correction is given (the glossary of the story's owner and of its collections)."""

import pytest

from alignment import jobs, review
from alignment.glossary.entries import for_story
from alignment.models import Divergence, Edit, EditAction, JobStatus, Pair, Sentence, Verdict
from alignment.pipeline.types import GlossaryPair
from tests.conftest import make_story
from tests.glossary.conftest import (
    IVAN_REASON, PUTIN_LISTED, PUTIN_REASON, VARIETY_EN, VARIETY_RU, add, names_of,
)
from tests.pipeline.test_diverge import EN_STORY, RU_STORY

pytestmark = pytest.mark.django_db


def layout(story):
    return list(Sentence.objects.filter(document__story=story).order_by("language", "index")
                .values_list("language", "index", "pair__order", "text"))


def test_with_nothing_listed_a_re_check_finds_the_names_as_they_are(named, owner):
    assert review.recheck(named, owner) is not None
    assert not review.recheck(named, owner)  # nothing changed: no write, no history
    assert names_of(named) == [(2, IVAN_REASON), (4, PUTIN_REASON)]
    assert not named.edits.exists()


def test_a_pair_listed_takes_away_the_name_flag_it_explains_without_re_aligning(named, owner):
    before, version = layout(named), named.version
    add(owner, "Ivan the Terrible", "Иван Грозный")
    outcome = review.recheck(named, owner)
    assert (outcome.removed, outcome.added, outcome.pairs) == (1, 0, 1)
    assert str(outcome) == "1 name flag gone"
    assert names_of(named) == [(4, PUTIN_REASON)]
    assert layout(named) == before  # the same sentences in the same pairs
    assert Pair.objects.get(story=named, order=2).kinds == ""
    named.refresh_from_db()
    assert named.stats["divergences"].get("name") == 1 and named.version > version
    [edit] = named.edits.all()
    assert (edit.action, edit.user, edit.summary) == (
        EditAction.RECHECK, owner, "Re-checked the names against the glossary: 1 name flag gone")


def test_a_listed_name_without_its_partner_is_flagged_with_the_glossary_as_the_reason(named, owner):
    add(owner, "Variety", "Variety")
    assert str(review.recheck(named, owner)) == "1 name flag new"
    [(order, reason)] = [n for n in names_of(named) if n[0] == 5]
    assert reason == "Name only in English: Variety (the glossary pairs Variety with Variety)"
    divergence = Divergence.objects.get(pair__story=named, pair__order=5)
    english = named.document("en").text
    assert [english[a:b] for a, b in divergence.en_spans] == ["Variety"]


def test_a_name_divergence_still_there_keeps_its_review(named, owner):
    putin = Divergence.objects.get(pair__story=named, reason=PUTIN_REASON)
    review.review_divergence(named, owner, putin.pk, Verdict.CONFIRMED, note="The Russian leaves him out.")
    add(owner, "Putin", "Путин")
    add(owner, "Ivan the Terrible", "Иван Грозный")
    assert review.recheck(named, owner).pairs == 2
    kept = Divergence.objects.get(pair__story=named, kind="name")
    assert kept.reason == PUTIN_LISTED  # found again, now with the glossary as its reason
    assert (kept.verdict, kept.note, kept.reviewed_by) == (Verdict.CONFIRMED, "The Russian leaves him out.", owner)


def test_a_re_check_leaves_the_other_kinds_as_the_run_found_them(named, owner):
    pair = Pair.objects.get(story=named, order=2)
    Divergence.objects.create(pair=pair, kind="meaning", severity=0.9, reason="They say opposite things.")
    add(owner, "Ivan the Terrible", "Иван Грозный")
    review.recheck(named, owner)
    assert list(pair.divergences.values_list("kind", "reason")) == [("meaning", "They say opposite things.")]
    assert Pair.objects.get(pk=pair.pk).kinds == "meaning"


def test_a_story_without_results_is_not_re_checked(named, owner):
    named.jobs.update(status=JobStatus.RUNNING)
    add(owner, "Ivan the Terrible", "Иван Грозный")
    assert review.recheck(named, owner) is None
    assert names_of(named)[0] == (2, IVAN_REASON)


def test_a_correction_judges_the_new_pair_with_the_glossary(named, owner):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    review.recheck(named, owner)
    review.merge(named, owner, Pair.objects.get(story=named, order=1).pk)  # the second pair with the third
    assert names_of(named) == [(3, PUTIN_REASON)]


def test_a_story_is_given_its_owners_glossary_and_its_collections(named, owner, other_user, collection):
    add(owner, "Putin", "Путин")
    add(owner, "Ivan the Terrible", "Иван Грозный", collection=collection)
    add(other_user, "Lavrov", "Лавров")
    add(owner, "Peskov", "Песков", collection=type(collection).objects.create(owner=owner, name="Another"))
    assert for_story(named) == (GlossaryPair(("Putin",), ("Путин",)),)
    collection.stories.add(named)
    assert for_story(named) == (GlossaryPair(("Putin",), ("Путин",)), GlossaryPair(("Ivan the Terrible",),
                                                                                      ("Иван Грозный",)))


def test_a_run_of_the_story_flags_a_listed_name_without_its_partner(owner, no_broker):
    add(owner, "Variety", "Variety", note="A magazine")
    en = "\n".join(EN_STORY[:5] + [VARIETY_EN])
    ru = "\n".join(RU_STORY[:5] + [VARIETY_RU])
    story = make_story(owner, en=en, ru=ru)
    assert jobs.config(story=story).glossary == (GlossaryPair(("Variety",), ("Variety",)),)
    assert [reason for _, reason in names_of(story)] == [
        "Name only in English: Variety (the glossary pairs Variety with Variety)"]


def test_a_processed_story_re_checked_with_no_glossary_is_left_as_it_is(owner, no_broker):
    story = make_story(owner, name="abcnews.306764")
    before = list(Divergence.objects.filter(pair__story=story).order_by("pk").values_list(
        "pair__order", "kind", "reason", "en_spans", "ru_spans"))
    assert "name" in {kind for _, kind, *_ in before}  # the detector found a name to judge again
    assert not review.recheck(story, owner)
    after = list(Divergence.objects.filter(pair__story=story).order_by("pk").values_list(
        "pair__order", "kind", "reason", "en_spans", "ru_spans"))
    assert after == before and not Edit.objects.filter(story=story).exists()
