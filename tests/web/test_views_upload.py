"""The upload page: the form, its errors, the swap offer, files, the sample, and the story it creates."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alignment.models import Story
from alignment.samples import sample_story

pytestmark = pytest.mark.usefixtures("no_broker")


@pytest.fixture
def sample():
    return sample_story()


def post(client, user, data, files=None):
    client.force_login(user)
    return client.post(reverse("upload"), {**data, **(files or {})})


def valid(sample, **overrides):
    return {"title": "Shark story", "en_text": sample.en, "ru_text": sample.ru, **overrides}


def test_the_form_uploads_files_and_has_two_columns(client, owner):
    client.force_login(owner)
    html = client.get(reverse("upload")).content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert '<fieldset class="side side--en">' in html and '<fieldset class="side side--ru">' in html
    for name in ("title", "en_text", "en_file", "en_url", "ru_text", "ru_file", "ru_url"):
        assert f'name="{name}"' in html
    assert 'accept=".txt,.md,.html,.htm,.docx"' in html
    assert f'href="{reverse("upload")}?sample=1">Try a sample</a>' in html


def test_a_valid_form_creates_the_story_and_opens_its_page(client, owner, sample):
    response = post(client, owner, valid(sample, en_url="https://example.org/shark"))
    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == story.get_absolute_url()
    assert story.owner == owner and story.title == "Shark story"
    assert story.document("en").source_url == "https://example.org/shark"
    assert story.latest_job().status == "queued"


def test_the_new_story_page_shows_the_job_starting(client, owner, sample):
    html = client.get(post(client, owner, valid(sample))["Location"]).content.decode()
    assert "Story saved." in html
    assert 'hx-trigger="every 1s"' in html


def test_a_file_can_replace_the_pasted_text(client, owner, sample):
    upload = SimpleUploadedFile("shark-en.txt", sample.en.encode("utf-8"), content_type="text/plain")
    post(client, owner, valid(sample, en_text=""), {"en_file": upload})
    document = Story.objects.get().document("en")
    assert document.file_name == "shark-en.txt"
    assert document.text.startswith("Shark injures")


def test_errors_are_shown_next_to_their_fields(client, owner, sample):
    response = post(client, owner, {"title": "", "en_text": sample.en, "ru_text": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert not Story.objects.exists()
    title = html[html.index('name="title"'):html.index('<div class="sides">')]
    assert "Give the story a title." in title
    russian = html[html.index('<fieldset class="side side--ru">'):]
    assert "Paste the Russian text or upload a file." in russian
    assert "Shark injures" in html  # what was typed is kept


def test_an_invalid_url_is_explained_next_to_its_field(client, owner, sample):
    html = post(client, owner, valid(sample, ru_url="not a url at all")).content.decode()
    russian = html[html.index('<fieldset class="side side--ru">'):]
    assert 'class="field-error"' in russian
    assert not Story.objects.exists()


def test_swapped_texts_offer_a_swap_button(client, owner, sample):
    html = post(client, owner, valid(sample, en_text=sample.ru, ru_text=sample.en)).content.decode()
    assert "look swapped" in html
    assert '<button type="submit" name="swap" value="on" class="button button--primary">Swap the two sides</button>' in html
    # Compare stays the first button, so Enter in a field does not swap.
    assert html.index(">Compare</button>") < html.index(">Swap the two sides</button>")
    assert not Story.objects.exists()


def test_the_swap_button_resubmits_the_texts_the_right_way_round(client, owner, sample):
    response = post(client, owner, valid(sample, en_text=sample.ru, ru_text=sample.en, swap="on"))
    assert response.status_code == 302
    story = Story.objects.get()
    assert story.document("en").text.startswith("Shark injures")


def test_no_swap_is_offered_when_the_texts_are_right(client, owner, sample):
    html = post(client, owner, valid(sample, title="")).content.decode()
    assert "Swap the two sides" not in html


def test_the_sample_prefills_the_form_and_credits_its_source(client, owner, sample):
    client.force_login(owner)
    html = client.get(reverse("upload") + "?sample=1").content.decode()
    assert f'value="{sample.title}"' in html
    assert "Shark injures" in html
    assert "CC BY-SA 4.0" in html
    textareas = re.findall(r"<textarea[^>]*>", html)
    assert len(textareas) == 2


def test_a_sample_can_be_submitted_as_it_is(client, owner, sample):
    client.force_login(owner)
    client.get(reverse("upload") + "?sample=1")
    assert post(client, owner, valid(sample, title=sample.title)).status_code == 302


def test_the_upload_is_protected_against_cross_site_requests(owner, sample):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(owner)
    assert client.post(reverse("upload"), valid(sample)).status_code == 403
    assert not Story.objects.exists()
