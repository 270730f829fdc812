"""Locked pairs: a reviewer locks a pair (a corrected pair is locked already), and a new run keeps every locked
pair as it is, aligns the rest around it, and keeps the verdicts and notes of every pair it makes of the same
sentences."""

import pytest

from alignment import jobs, review
from alignment.models import EditAction, Pair, Sentence, Verdict
from alignment.samples import sample_story
from tests.conftest import make_story
from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def processed(owner, no_broker):
    sample = sample_story()
    return make_story(owner, en=sample.en, ru=sample.ru)


def layout(story) -> list[tuple[tuple[int, ...], tuple[int, ...]]]:
    out = []
    for p in story.pairs.order_by("order").prefetch_related("sentences"):
        sentences = list(p.sentences.all())
        out.append((tuple(sorted(s.index for s in sentences if s.language == "en")),
                    tuple(sorted(s.index for s in sentences if s.language == "ru"))))
    return out


def run_again(story, owner):
    job = review.rerun(story, owner, "page", confirmed=True)
    assert jobs.run_job(job.pk).status == "done"


def test_a_pair_is_locked_and_unlocked_from_its_row(owner_client, story):
    target = pair(story, 5)
    response = owner_client.post(url("story_lock", story), {"pair": target.pk, "locked": "1"}, **HTMX)
    assert response.status_code == 200
    row = response.content.decode()
    assert 'id="pair-5"' in row and 'class="locked"' in row and "Unlock the pair" in row
    assert Pair.objects.get(pk=target.pk).locked
    assert story.edits.get(action=EditAction.LOCK).summary == "Locked pair 5"
    page = owner_client.get(story.get_absolute_url()).content.decode()
    assert "Re-align the rest" in page
    owner_client.post(url("story_lock", story), {"pair": target.pk, "locked": "0"}, **HTMX)
    assert not Pair.objects.get(pk=target.pk).locked
    assert story.edits.filter(action=EditAction.UNLOCK).count() == 1


def test_a_pair_of_another_story_cannot_be_locked(owner_client, story, owner, no_broker):
    other = make_story(owner, process=False)
    stranger = Pair.objects.create(story=other, order=0)
    response = owner_client.post(url("story_lock", story), {"pair": stranger.pk, "locked": "1"}, **HTMX)
    assert response.status_code == 422
    assert "no longer in the story" in response.content.decode()
    assert not Pair.objects.get(pk=stranger.pk).locked


def test_a_corrected_pair_is_locked(story, owner):
    review.merge(story, owner, pair(story, 2).pk)
    merged = story.pairs.get(manual=True)
    assert merged.locked


def test_a_new_run_keeps_locked_pairs_and_the_verdicts_of_pairs_it_makes_alike(processed, owner):
    before = layout(processed)
    # A correction the aligner would never make: two 1-1 pairs merged into one 2-2 pair, locked.
    first_one_to_one = next(k for k, (en, ru) in enumerate(before) if len(en) == len(ru) == 1 and k + 1 < len(before)
                            and len(before[k + 1][0]) == len(before[k + 1][1]) == 1)
    review.merge(processed, owner, processed.pairs.get(order=first_one_to_one).pk)
    merged = layout(processed)[first_one_to_one]
    assert len(merged[0]) == len(merged[1]) == 2
    flagged = Pair.objects.filter(story=processed, manual=False).exclude(kinds="").order_by("order").first()
    divergence = flagged.divergences.first()
    review.review_divergence(processed, owner, divergence.pk, Verdict.CONFIRMED, note="Checked with the desk.")
    flagged_layout = layout(processed)[flagged.order]

    run_again(processed, owner)

    after = layout(processed)
    assert merged in after  # kept as it is
    kept = processed.pairs.get(order=after.index(merged))
    assert kept.locked and kept.manual
    assert flagged_layout in after  # the run made this pair of the same sentences, so its review stays
    again = processed.pairs.get(order=after.index(flagged_layout)).divergences.get(kind=divergence.kind)
    assert (again.verdict, again.note, again.reviewed_by) == (Verdict.CONFIRMED, "Checked with the desk.", owner)
    # Elsewhere the run aligned the story as it did before.
    assert [bead for bead in after if bead != merged] == [
        bead for bead in before if bead[0][0:1] != merged[0][0:1] and bead[0][0:1] != merged[0][1:2]]


def test_locks_the_sentences_no_longer_fit_give_way_to_a_fresh_alignment(processed, owner):
    review.merge(processed, owner, processed.pairs.get(order=1).pk)
    # As after a newer segmenter: the locked pair's sentence reads differently now.
    Sentence.objects.filter(pair__story=processed, pair__locked=True).update(text="Something else entirely.")
    run_again(processed, owner)
    assert not processed.pairs.filter(locked=True).exists()
    assert processed.latest_job().status == "done"
