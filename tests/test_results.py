"""Loading a story's stored results, and the one rule for when a story has results to read."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from alignment import jobs, review
from alignment.models import Divergence, Job, JobStatus, Story, Verdict
from alignment.pipeline import align_texts
from alignment.pipeline.passages import passages
from alignment.pipeline.types import Kind
from alignment.results import load_results
from tests.api.test_api import APPEAL, EN, RU, token_client
from tests.conftest import make_story
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------------------------------------------- Loading


def test_a_processed_story_loads_as_the_pipeline_left_it(owner, no_broker):
    story = make_story(owner, en=EN + APPEAL, ru=RU)  # the appeal: English sentences in passages
    expected = align_texts(EN + APPEAL, RU, jobs.config())
    results = load_results(story)
    assert results.alignment.to_dict() == expected.to_dict()
    assert tuple(p.bead() for p in results.pairs) == expected.beads
    # Worked out from the rows, the statistics are those the run saved for the story's lists.
    assert results.stats == expected.stats and results.stats.to_dict() == story.stats
    assert [p.passage for p in results.passages] == list(passages(expected.beads))
    assert all(p.pairs == tuple(results.pairs[k].pk for k in p.passage.beads) for p in results.passages)
    assert results.passages and results.alignment.furniture  # the appeal is furniture, kept per sentence


def test_a_story_not_processed_yet_loads_with_nothing_in_it(owner, no_broker):
    results = load_results(make_story(owner, en=EN, ru=RU, process=False))
    assert (results.pairs, results.passages, results.alignment.en, results.alignment.ru) == ((), (), (), ())
    assert results.stats.to_dict() == {
        "en_sentences": 0, "ru_sentences": 0, "en_coverage": 0.0, "ru_coverage": 0.0, "mean_similarity": 0.0,
        "divergences": {kind.value: 0 for kind in Kind},
    }


@pytest.fixture
def built(owner):
    return build_story(owner, [
        (["The mayor opened the bridge."], ["Мэр открыл мост."], []),
        (["It cost 42 million dollars, Ivanov said."], ["Он стоил 43 миллиона долларов, сказал Петров."],
         [Div("number", "42 against 43.", 0.4, en=["42"], ru=["43"]), Div("name", "Ivanov against Petrov.", 0.9)]),
        (["Reporting by Jane Doe."], [], [Div("only_en", "Only in English.", 0.3)]),
        (["It opens on Monday."], ["Он откроется в понедельник."], []),
    ])


def test_a_pair_loads_with_its_sentences_and_its_divergences_in_the_pipelines_order(built):
    pair = load_results(built).pairs[1]
    assert (pair.number, [s.index for s in pair.en], [s.index for s in pair.ru]) == (2, [1], [1])
    assert pair.ru_text == "Он стоил 43 миллиона долларов, сказал Петров."
    # As saved (the pipeline's order), and for the page most severe first: the kind that colours the row.
    assert [d.kind for d in pair.divergences] == ["number", "name"]
    assert [d.kind for d in pair.by_severity] == ["name", "number"] and pair.kind == "name"
    number = pair.divergences[0]
    assert built.documents.get(language="en").text[slice(*number.en_spans[0])] == "42"
    assert number.spans("ru") == number.ru_spans and (number.severity, number.reason) == (0.4, "42 against 43.")


def test_pairs_load_in_their_order_not_in_the_order_they_were_saved(owner, built):
    review.merge(built, owner, built.pairs.get(order=0).pk)  # new rows for the first two, saved last
    results = load_results(built)
    assert [p.order for p in results.pairs] == [0, 1, 2]
    assert [p.pk for p in results.pairs] == list(built.pairs.order_by("order").values_list("pk", flat=True))
    assert results.pairs[0].pk > results.pairs[1].pk and results.pairs[0].manual
    assert [([s.index for s in p.en], [s.index for s in p.ru]) for p in results.pairs] == [
        ([0, 1], [0, 1]), ([2], []), ([3], [2]),
    ]
    # A correction keeps the statistics the rows give.
    built.refresh_from_db()
    assert results.stats.to_dict() == built.stats


def test_a_divergence_loads_with_its_review(owner, built):
    divergence = Divergence.objects.get(pair__story=built, kind="number")
    review.review_divergence(built, owner, divergence.pk, Verdict.CONFIRMED, "mistranslation", "Checked.")
    loaded = next(d for p in load_results(built).pairs for d in p.divergences if d.pk == divergence.pk)
    assert (loaded.verdict, loaded.verdict_label, loaded.category, loaded.category_label, loaded.note) == (
        "confirmed", "Confirmed", "mistranslation", "Mistranslation", "Checked.",
    )
    assert (loaded.reviewed_by, loaded.reviewer, loaded.kind_label) == (owner.pk, owner.username, "Number")
    assert loaded.reviewed_at == Divergence.objects.get(pk=divergence.pk).reviewed_at


def test_it_reads_three_queries_whatever_the_size(owner, built):
    bigger = build_story(owner, [([f"Line {n}."], [f"Строка {n}."], [Div("meaning")]) for n in range(60)])
    for story in (built, bigger):
        with CaptureQueriesContext(connection) as queries:
            load_results(story)
        assert len(queries) == 3


# ---------------------------------------------------------------------------------------------------- Ready


def answers(owner, story) -> dict[str, int]:
    """What each way to the results answers: the API's alignment and export, the page's export and report."""
    api = token_client(owner)
    page = Client()
    page.force_login(owner)
    return {
        "api alignment": api.get(f"/api/stories/{story.code}/alignment/").status_code,
        "api export": api.get(f"/api/stories/{story.code}/export/?format=json").status_code,
        "page export": page.get(reverse("story_export", args=[story.code, "json"])).status_code,
        "page report": page.get(reverse("story_report", args=[story.code])).status_code,
    }


@pytest.fixture
def processed(owner, no_broker):
    return make_story(owner, en=EN, ru=RU)


def test_a_done_story_is_served_by_the_api_and_the_page_alike(owner, processed):
    assert processed.results_ready()
    assert set(answers(owner, processed).values()) == {200}


@pytest.mark.parametrize("state", [JobStatus.QUEUED, JobStatus.RUNNING, JobStatus.FAILED])
def test_a_story_whose_latest_job_is_not_done_is_a_conflict_for_the_api_and_the_page_alike(owner, processed, state):
    Job.objects.create(story=processed, status=state)  # a new run, over the results of the first
    assert not processed.results_ready()
    assert set(answers(owner, processed).values()) == {409}


def test_a_story_without_a_job_has_no_results_for_the_api_or_the_page(owner, processed):
    # Its jobs deleted in the admin: the rows and the statistics stay, but its page says it was never processed
    # and offers to process it, so neither the page nor the API serves them, and the API says it can be run.
    processed.jobs.all().delete()
    assert processed.stats and processed.pairs.exists()
    assert not processed.results_ready()
    assert set(answers(owner, processed).values()) == {409}
    data = token_client(owner).get(f"/api/stories/{processed.code}/").json()
    assert (data["status"], data["progress"]) == ("failed", 0.0) and "stats" not in data
    assert token_client(owner).get("/api/stories/").json()["results"][0]["status"] == "failed"


def test_of_two_jobs_created_in_the_same_instant_the_one_saved_last_is_the_latest(owner, processed):
    done = processed.jobs.get()
    queued = Job.objects.create(story=processed, status=JobStatus.QUEUED, created=done.created)
    assert processed.latest_job() == queued and not processed.results_ready()
    assert processed.results_ready(done) and not processed.results_ready(None)
    listed = Story.objects.with_latest_job().get(pk=processed.pk)
    assert (listed.latest_job_id, listed.latest_status) == (queued.pk, JobStatus.QUEUED)


def test_the_stories_whose_latest_job_is_done_are_found_by_either_query(owner):
    # latest_job_done (a join, for reports over many stories) and with_latest_job's status give the same stories.
    def story(title, *statuses, same_instant=False):
        made = Story.objects.create(owner=owner, title=title)
        first = None
        for status in statuses:
            job = Job.objects.create(story=made, status=status, **({"created": first.created} if first else {}))
            first = first or (job if same_instant else None)
        return made

    expected = {
        story("Done", JobStatus.DONE),
        story("Failed, then done", JobStatus.FAILED, JobStatus.DONE),
        story("Queued, then done in the same instant", JobStatus.QUEUED, JobStatus.DONE, same_instant=True),
    }
    story("Never run")
    story("Done, then queued", JobStatus.DONE, JobStatus.QUEUED)
    story("Done, then running in the same instant", JobStatus.DONE, JobStatus.RUNNING, same_instant=True)
    story("Done, then failed", JobStatus.DONE, JobStatus.FAILED)
    assert set(Story.objects.latest_job_done()) == expected
    assert set(Story.objects.with_latest_job().filter(latest_status=JobStatus.DONE)) == expected
