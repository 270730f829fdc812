"""The collection report's numbers, against a small collection counted by hand (tests/corpus/report_rows.py).

By hand: A, B and C count (D runs, E is in no collection, F's latest run failed).
- Pairs: A 4, B 3, C 2 = 9; with both sides A 2, B 2, C 2 = 6.
- English sentences: A 4, B 2, C 2 = 8, of them A's "Donate now." and "Lavrov was there too." alone: 2/8.
- Russian sentences: A 2, B 3, C 2 = 7, of them B's "Это третья попытка." alone: 1/7.
- Divergences: number A 1 + B 1, name B 1 + C 2, boilerplate A 1, only_en A 1, only_ru B 1.
- Counted against a story (neither boilerplate nor dismissed): A number 0.5 + only_en 0.9 = 2 (1.4), B name 0.7 +
  number 0.6 = 2 (1.3), C name 0.7 = 1 (Smith dismissed). Most divergent: A, B, C.
- Left out: "Peskov" in English 3 times (B twice, C as "PESKOV"), "25" in English twice (A, B), "52" in Russian
  twice (A, B); Smith was dismissed.
"""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from alignment.corpus.report import as_json, collection_report
from alignment.corpus.tally import normal, timeline, unit_for
from alignment.models import Collection, JobStatus, Verdict
from tests.corpus.report_rows import Bead, Flag, build_story, handmade

pytestmark = pytest.mark.django_db


@pytest.fixture
def made(owner):
    return handmade(owner)


@pytest.fixture
def report(made):
    return collection_report(made[0])


def codes(made, names):
    return [str(made[1][n].code) for n in names]


def test_it_counts_the_stories_whose_latest_run_is_done(report, made):
    assert [s.title for s in report.stories] == ["Beta", "Alpha", "Gamma"]  # newest publication first, undated last
    assert as_json(report)["stories"] == 3


def test_it_counts_pairs_and_the_share_of_each_side_without_a_counterpart(report):
    data = as_json(report)
    assert data["pairs"] == 9
    assert data["two_sided_pairs"] == 6
    assert report.sentences == {"en": 8, "ru": 7} and report.unpaired == {"en": 2, "ru": 1}
    assert data["en_unpaired_share"] == 0.25
    assert data["ru_unpaired_share"] == round(1 / 7, 4)


def test_it_counts_divergences_by_every_kind(report):
    assert as_json(report)["divergences"] == {
        "only_en": 1, "only_ru": 1, "boilerplate": 1, "number": 2, "name": 3, "meaning": 0, "partial": 0,
        "moved": 0,
    }


def test_it_ranks_the_stories_that_diverge_most(report, made):
    assert as_json(report)["most_divergent"] == codes(made, "ABC")
    assert [(s.divergences, s.severity) for s in report.most_divergent] == [(2, 1.4), (2, 1.3), (1, 0.7)]


def test_it_lists_the_names_and_numbers_one_edition_leaves_out(report, made):
    assert as_json(report)["left_out"] == [
        {"text": "Peskov", "kind": "name", "count": 3, "stories": codes(made, "BC"), "language": "en"},
        {"text": "25", "kind": "number", "count": 2, "stories": codes(made, "BA"), "language": "en"},
        {"text": "52", "kind": "number", "count": 2, "stories": codes(made, "BA"), "language": "ru"},
    ]


def test_it_counts_verdicts_by_kind(report):
    verdicts = as_json(report)["verdicts"]
    assert verdicts["only_en"] == {"confirmed": 1, "dismissed": 0, "pending": 0}
    assert verdicts["only_ru"] == {"confirmed": 0, "dismissed": 1, "pending": 0}
    assert verdicts["name"] == {"confirmed": 0, "dismissed": 1, "pending": 2}
    assert report.reviewed


def test_it_lays_out_the_stories_by_month_with_their_divergences(report):
    data = as_json(report)
    assert report.timeline_unit == "month"
    assert data["timeline"] == [
        {"period": "2025-01", "stories": 1, "divergences": 2},
        {"period": "2025-02", "stories": 0, "divergences": 0},  # a gap shows as a gap
        {"period": "2025-03", "stories": 1, "divergences": 2},
    ]
    assert data["undated"] == 1


def test_it_bins_the_stories_by_coverage(report):
    bins = {b["from"]: (b["en"], b["ru"]) for b in as_json(report)["coverage"]}
    assert bins[0.6] == (1, 0) and bins[0.7] == (0, 1) and bins[0.9] == (2, 2)
    assert sum(en for en, _ in bins.values()) == 3


def test_a_story_whose_run_is_not_done_is_left_out(owner, made):
    collection, stories = made
    for job in stories["D"].jobs.all():
        job.status = JobStatus.DONE
        job.save()
    data = as_json(collection_report(collection))
    assert data["stories"] == 4 and data["pairs"] == 10
    assert data["left_out"][0]["count"] == 4 and str(stories["D"].code) in data["left_out"][0]["stories"]


def test_an_empty_collection_reports_zeros(owner):
    data = as_json(collection_report(Collection.objects.create(owner=owner, name="Empty")))
    assert data["stories"] == data["pairs"] == 0
    assert data["en_unpaired_share"] == data["ru_unpaired_share"] == 0.0
    assert data["most_divergent"] == data["left_out"] == data["timeline"] == []
    assert set(data["divergences"].values()) == {0}


def test_a_span_outside_its_pair_gives_no_word(owner):
    collection = Collection.objects.create(owner=owner, name="Odd spans")
    story = build_story(owner, "Odd", [Bead("Peskov spoke.", "Он говорил.", (Flag("name", 0.7, ("Peskov",)),))],
                        collection=collection)
    story.pairs.get().divergences.update(en_spans=[[40, 46], [3, 1], "x"])
    assert as_json(collection_report(collection))["left_out"] == []


def test_its_number_of_queries_does_not_grow_with_the_collection(owner):
    collection = Collection.objects.create(owner=owner, name="Growing")

    def add(n):
        for i in range(n):
            build_story(owner, f"Story {i}", [
                Bead("Peskov said 25.", "Песков сказал 52.", (Flag("number", 0.5, ("25",), ("52",)),)),
                Bead(en="Only here.", flags=(Flag("only_en", 0.5, verdict=Verdict.CONFIRMED),)),
            ], collection=collection, published=date(2025, 1, 1 + i))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            as_json(collection_report(collection))
        return len(captured)

    add(2)
    few = queries()
    add(8)
    assert queries() == few
    assert as_json(collection_report(collection))["stories"] == 10


def test_it_brings_names_and_numbers_to_one_form():
    assert normal("«Газпром»") == normal("газпром") == "газпром"
    assert normal("U.S.") == "us"
    assert normal("1,5 млн") == "1,5 млн" and normal("10:30") == "10:30"
    assert normal("  Peskov,\u00a0Dmitry ") == "peskov dmitry"


def test_the_time_line_is_by_day_when_the_dates_are_close_and_by_year_when_far():
    assert unit_for(date(2025, 3, 1), date(2025, 3, 31)) == "day"
    assert unit_for(date(2025, 3, 1), date(2027, 2, 1)) == "month"
    assert unit_for(date(2020, 3, 1), date(2025, 2, 1)) == "year"
    unit, periods = timeline([(date(2025, 3, 2), 3), (date(2025, 3, 4), 1), (date(2025, 3, 4), 0)])
    assert unit == "day"
    assert [(p.key, p.stories, p.divergences) for p in periods] == [
        ("2025-03-02", 1, 3), ("2025-03-03", 0, 0), ("2025-03-04", 2, 1),
    ]
    assert periods[2].per_story == 0.5


def test_a_collection_too_large_for_a_list_of_ids_gives_the_same_report(made, monkeypatch):
    from alignment.corpus import report as reports

    listed = as_json(collection_report(made[0]))
    monkeypatch.setattr(reports, "MAX_IN_LIST", 2)  # three stories count: their ids go by subquery
    assert as_json(collection_report(made[0])) == listed
