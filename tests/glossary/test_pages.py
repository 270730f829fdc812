"""The glossary pages, a user's and a collection's: listing, adding, changing, deleting, importing and exporting
names, the progress of the re-check a change sets off, and a story's "Add to glossary", which re-checks it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from translate.storage import tbx

from alignment.glossary import tasks
from alignment.models import Divergence, EditAction, GlossaryEntry, GlossaryRecheck, RecheckStatus
from tests.glossary.conftest import IVAN_REASON, PUTIN_REASON, add, named_rows, names_of
from tests.web.test_views_alignment import build_story

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
IVAN = {"en": "Ivan the Terrible", "ru": "Иван Грозный", "en_variants": "", "ru_variants": "Грозный; Иван IV",
        "note": "Tsar"}


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def sent(monkeypatch):
    handed = []
    monkeypatch.setattr(tasks, "enqueue", lambda pk: handed.append(pk) or True)
    return handed


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_glossary_page_lists_the_names_with_their_spellings(owner_client, owner, other_user):
    add(owner, "Putin", "Путин", ru_variants=["Владимир Путин"], note="President")
    add(other_user, "Lavrov", "Лавров")
    response = owner_client.get(reverse("glossary"))
    page = response.content.decode()
    assert response.status_code == 200 and "My glossary" in page
    assert "Putin" in page and "Владимир Путин" in page and "President" in page
    assert "Lavrov" not in page  # another user's
    assert f'href="{reverse("glossary")}"' in page  # the site's navigation leads here


def test_adding_a_name_re_checks_the_stories_that_may_name_it(owner_client, owner, named, sent,
                                                              django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("glossary"), IVAN, follow=True)
    entry = GlossaryEntry.objects.get()
    assert (entry.owner, entry.collection, entry.en, entry.ru_variants, entry.note) == (
        owner, None, "Ivan the Terrible", ["Грозный", "Иван IV"], "Tsar")
    assert "Added Ivan the Terrible ↔ Иван Грозный." in messages_of(response)[0]
    recheck = GlossaryRecheck.objects.get()
    assert sent == [recheck.pk]
    assert 'hx-trigger="every 2s"' in response.content.decode()  # the page follows the re-check


def test_a_name_listed_already_is_refused_case_aside(owner_client, owner):
    add(owner, "Ivan the Terrible", "Иван Грозный")
    response = owner_client.post(reverse("glossary"), {**IVAN, "en": "IVAN THE TERRIBLE", "ru": "иван грозный"})
    assert response.status_code == 200
    assert "My glossary already pairs Ivan the Terrible with Иван Грозный" in response.content.decode()
    assert GlossaryEntry.objects.count() == 1


def test_a_name_needs_both_spellings(owner_client):
    response = owner_client.post(reverse("glossary"), {**IVAN, "ru": ""})
    assert "Give the Russian spelling" in response.content.decode() and not GlossaryEntry.objects.exists()


def test_changing_and_deleting_a_name_re_check_the_stories(owner_client, owner, named, sent):
    entry = add(owner, "Ivan", "Иван")
    url = reverse("glossary_entry", args=[entry.code])
    assert owner_client.get(url).status_code == 200
    response = owner_client.post(url, IVAN, follow=True)
    entry.refresh_from_db()
    assert entry.en == "Ivan the Terrible" and "Saved" in messages_of(response)[0]
    assert GlossaryRecheck.objects.get().spellings == [[["Ivan"], ["Иван"]],
                                                       [["Ivan the Terrible"], ["Иван Грозный", "Грозный", "Иван IV"]]]
    response = owner_client.post(reverse("glossary_entry_delete", args=[entry.code]), follow=True)
    assert not GlossaryEntry.objects.exists() and "Deleted Ivan the Terrible ↔ Иван Грозный." in messages_of(response)[0]
    assert GlossaryRecheck.objects.count() == 2


def test_another_users_name_is_not_found(owner_client, other_user):
    entry = add(other_user, "Lavrov", "Лавров")
    assert owner_client.get(reverse("glossary_entry", args=[entry.code])).status_code == 404
    assert owner_client.post(reverse("glossary_entry_delete", args=[entry.code])).status_code == 404
    assert GlossaryEntry.objects.count() == 1


def test_a_collections_glossary_is_its_own(owner_client, owner, collection):
    add(owner, "Putin", "Путин")
    response = owner_client.post(reverse("collection_glossary", args=[collection.code]), IVAN, follow=True)
    assert "Glossary of Tsars" in response.content.decode()
    assert list(GlossaryEntry.objects.filter(collection=collection).values_list("en", flat=True)) == [
        "Ivan the Terrible"]
    assert "Putin" not in response.content.decode()
    detail = owner_client.get(reverse("collection", args=[collection.code])).content.decode()
    assert reverse("collection_glossary", args=[collection.code]) in detail


def test_the_glossary_exports_as_csv_and_tbx(owner_client, owner):
    add(owner, "Putin", "Путин", en_variants=["Vladimir Putin"], note="President")
    response = owner_client.get(reverse("glossary_export", args=["csv"]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="glossary.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[1] == "Putin,Путин,Vladimir Putin,,President"
    response = owner_client.get(reverse("glossary_export", args=["tbx"]))
    [unit] = tbx.tbxfile.parsestring(response.content).units
    assert (unit.source, unit.target) == ("Putin", "Путин")
    assert owner_client.get(reverse("glossary_export", args=["xlsx"])).status_code == 404


def test_importing_a_file_adds_its_names_and_says_what_it_left_out(owner_client, owner, named, sent):
    add(owner, "Putin", "Путин")
    data = "en,ru,ru_variants\nIvan the Terrible,Иван Грозный,Грозный\nputin,путин,Путина\n,Лавров,\n".encode()
    response = owner_client.post(reverse("glossary_import"),
                                 {"file": SimpleUploadedFile("names.csv", data, "text/csv")}, follow=True)
    assert [(e.en, e.ru_variants) for e in GlossaryEntry.objects.all()] == [
        ("Ivan the Terrible", ["Грозный"]), ("Putin", ["Путина"])]
    assert messages_of(response) == [
        "Imported 1 new name, 1 updated; left out 1: Row 4: no English spelling. The glossary's stories that name "
        "them are being re-checked: their pages follow in a moment."]


def test_a_file_that_is_no_glossary_is_refused_on_the_page(owner_client):
    response = owner_client.post(reverse("glossary_import"),
                                 {"file": SimpleUploadedFile("names.tbx", b"<oops", "text/xml")}, follow=True)
    assert messages_of(response)[0].startswith("The TBX file is not readable XML")
    assert not GlossaryEntry.objects.exists()


def test_the_re_check_progress_polls_until_it_ends(owner_client, owner, other_user):
    recheck = GlossaryRecheck.objects.create(owner=owner, status=RecheckStatus.RUNNING, total=4, done=1)
    url = reverse("glossary_recheck_progress", args=[recheck.code])
    fragment = owner_client.get(url, **HTMX).content.decode()
    assert fragment.lstrip().startswith("<section") and 'hx-trigger="every 2s"' in fragment and "1 of 4" in fragment
    GlossaryRecheck.objects.filter(pk=recheck.pk).update(status=RecheckStatus.DONE, done=4, changed=2)
    fragment = owner_client.get(url, **HTMX).content.decode()
    assert "hx-trigger" not in fragment and "Re-checked 4 stories" in fragment and "of 2 changed" in fragment
    assert "<html" in owner_client.get(url).content.decode()  # without htmx, a page
    other = GlossaryRecheck.objects.create(owner=other_user)
    assert owner_client.get(reverse("glossary_recheck_progress", args=[other.code])).status_code == 404


def test_a_failed_re_check_offers_to_re_check_the_stories_again(owner_client, owner, named, sent):
    GlossaryRecheck.objects.create(owner=owner, status=RecheckStatus.FAILED, error="The worker could not be reached.")
    page = owner_client.get(reverse("glossary")).content.decode()
    assert "The worker could not be reached." in page and reverse("glossary_recheck") in page
    owner_client.post(reverse("glossary_recheck"))
    assert GlossaryRecheck.objects.first().spellings == []  # all the glossary's names


# ---------------------------------------------------------------------------------------------------- From a story


def story_glossary_url(story, divergence):
    return reverse("story_glossary", args=[story.code]) + f"?divergence={divergence.pk}"


def test_a_name_divergence_offers_to_add_its_names_to_the_glossary(owner_client, named):
    ivan = Divergence.objects.get(pair__story=named, reason=IVAN_REASON)
    page = owner_client.get(named.get_absolute_url()).content.decode()
    assert f'href="{story_glossary_url(named, ivan)}"' in page
    assert page.count("Add to glossary") == 2  # one per name divergence
    form = owner_client.get(story_glossary_url(named, ivan)).context["form"]
    assert (form["en"].value(), form["ru"].value()) == ("Terrible", "Грозный")  # the Russian in its dictionary form


def test_adding_from_a_divergence_re_checks_the_story_at_once(owner_client, owner, named, sent):
    ivan = Divergence.objects.get(pair__story=named, reason=IVAN_REASON)
    response = owner_client.post(reverse("story_glossary", args=[named.code]),
                                 {**IVAN, "divergence": ivan.pk})
    assert response.status_code == 302 and response["Location"] == f"{named.get_absolute_url()}#pair-3"
    assert names_of(named) == [(4, PUTIN_REASON)]
    assert named.edits.get().action == EditAction.RECHECK
    page = owner_client.get(response["Location"])
    assert messages_of(page) == [
        "Added Ivan the Terrible ↔ Иван Грозный to your glossary. This story was re-checked: 1 name flag gone."]


def test_adding_from_a_divergence_may_go_into_one_of_the_storys_collections(owner_client, owner, named, collection):
    collection.stories.add(named)
    ivan = Divergence.objects.get(pair__story=named, reason=IVAN_REASON)
    response = owner_client.post(reverse("story_glossary", args=[named.code]),
                                 {**IVAN, "divergence": ivan.pk, "glossary": str(collection.code)}, follow=True)
    assert GlossaryEntry.objects.get().collection == collection
    assert messages_of(response)[0].startswith("Added Ivan the Terrible ↔ Иван Грозный to the glossary of Tsars.")
    assert names_of(named) == [(4, PUTIN_REASON)]


def test_only_a_name_divergence_of_the_story_can_be_added(owner_client, owner, named):
    other = build_story(owner, named_rows(), title="Another")
    foreign = Divergence.objects.filter(pair__story=other, kind="name").first()
    url = reverse("story_glossary", args=[named.code])
    assert owner_client.get(f"{url}?divergence={foreign.pk}").status_code == 404
    assert owner_client.get(f"{url}?divergence=x").status_code == 404
    Divergence.objects.filter(pair__story=named, reason=IVAN_REASON).update(kind="number")
    number = Divergence.objects.get(pair__story=named, kind="number")
    assert owner_client.get(f"{url}?divergence={number.pk}").status_code == 404
