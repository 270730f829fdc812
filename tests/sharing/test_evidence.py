"""What evidence shows (alignment.evidence): the chosen divergences with the pairs around them and nothing else, what
each edition omits, and checksums anyone can compute again from a copy of a text."""

import hashlib
import subprocess
import sys

import pytest

from alignment import evidence
from alignment.results import load_results
from tests.sharing.conftest import CONFIRMED_NOTE, divergence
from tests.web.test_views_alignment import Div, build_story

pytestmark = pytest.mark.django_db


def numbers(found):
    return [[pair.number for pair in excerpt.pairs] for excerpt in found]


def test_each_divergence_comes_with_the_pair_before_and_after_it(story):
    found = evidence.excerpts(load_results(story), {divergence(story, "number").pk}, notes=False)
    assert numbers(found) == [[1, 2, 3]]
    assert [d.kind for pair in found[0].pairs for d in pair.divergences] == ["number"]


def test_runs_that_touch_are_one_and_the_story_s_ends_cut_them(story):
    ids = {divergence(story, kind).pk for kind in ("number", "only_en", "name")}  # pairs 2, 5 and 7
    assert numbers(evidence.excerpts(load_results(story), ids, notes=False)) == [[1, 2, 3, 4, 5, 6, 7, 8]]
    ids = {divergence(story, "number").pk, divergence(story, "name").pk}
    assert numbers(evidence.excerpts(load_results(story), ids, notes=False)) == [[1, 2, 3], [6, 7, 8]]
    assert numbers(evidence.excerpts(load_results(story), ids, notes=False, context=0)) == [[2], [7]]


def test_a_pair_shows_only_the_divergences_chosen(owner):
    story = build_story(owner, [(["It cost 42 million, Ivanov said."], ["Он стоил 43 миллиона, сказал Петров."], [
        Div("number", "42 against 43.", 0.8, en=["42"], ru=["43"]),
        Div("name", "Ivanov against Petrov.", 0.9, en=["Ivanov"], ru=["Петров"]),
    ])])
    chosen = divergence(story, "number").pk
    (excerpt,) = evidence.excerpts(load_results(story), {chosen}, notes=False)
    assert [d.pk for d in excerpt.pairs[0].divergences] == [chosen]


def test_notes_and_categories_show_only_when_asked_and_reviewers_never(story):
    ids = {divergence(story, "number").pk}
    (hidden,) = evidence.excerpts(load_results(story), ids, notes=False)
    (shown,) = evidence.excerpts(load_results(story), ids, notes=True)
    (_, d_hidden), = hidden.divergences
    (_, d_shown), = shown.divergences
    assert (d_hidden.note, d_hidden.category) == ("", "")
    assert (d_shown.note, d_shown.category) == (CONFIRMED_NOTE, "mistranslation")
    for d in (d_hidden, d_shown):
        assert (d.reviewer, d.reviewed_by, d.reviewed_at) == ("", None, None)


def test_nothing_shown_is_no_excerpt(story):
    assert evidence.excerpts(load_results(story), set(), notes=False) == []


def test_the_omissions_count_sentences_and_passages_by_the_edition_that_left_them_out(owner):
    story = build_story(owner, [
        (["A cut.", "Two sentences."], [], [Div("only_en", "Only in English.")]),
        (["Another cut."], [], [Div("only_en", "Only in English.")]),
        (["Kept."], ["Оставлено."], []),
        ([], ["Только по-русски."], [Div("only_ru", "Only in Russian.")]),
        (["42."], ["43."], [Div("number", "42 against 43.")]),
    ])
    ids = {d.pk for pair in load_results(story).pairs for d in pair.divergences}
    found = evidence.omissions(evidence.excerpts(load_results(story), ids, notes=False))
    assert found == evidence.Omissions(by_en=1, by_ru=3, passages_by_en=1, passages_by_ru=1, other=1)


def test_each_source_has_its_address_upload_time_and_checksum(story):
    en, ru = evidence.sources(story, file_names=False)
    assert (en.name, en.url, en.page_title, en.file_name) == ("English", "https://example.org/en/bridge",
                                                             "Bridge opens", "")
    assert (ru.name, ru.url, ru.uploaded) == ("Russian", "https://example.org/ru/most", story.created)
    text = story.documents.get(language="en").text
    assert en.sha256 == hashlib.sha256(text.encode()).hexdigest() and en.characters == len(text)
    assert evidence.sources(story, file_names=True)[0].file_name == "draft-from-the-desk.html"


def test_an_address_that_is_not_a_web_page_is_not_given(story):
    story.documents.filter(language="en").update(source_url="javascript:alert(1)")
    assert evidence.sources(story, file_names=True)[0].url == ""


@pytest.mark.parametrize("text", [
    "Plain text.",
    "\ufeffWindows lines \r\nwith trailing spaces   \r\n\r\nand a blank line.\r\n",
    "  Decomposed: e\u0301 and й.\n\n",
    "Old Mac\rline ends.",
])
def test_the_command_the_page_gives_computes_the_same_checksum(tmp_path, text):
    path = tmp_path / "text.txt"
    path.write_bytes(text.encode("utf-8"))
    command = evidence.CHECK_COMMAND.replace("python3", sys.executable).replace("TEXT.txt", str(path))
    printed = subprocess.run(command, shell=True, capture_output=True, text=True, check=True).stdout.strip()
    # The BOM is what a saved copy may carry; the text Sverka keeps has none.
    assert printed == evidence.checksum(text.removeprefix("\ufeff"))
