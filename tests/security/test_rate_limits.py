"""Rate limits and passwords: one account sends at most SVERKA_UPLOADS_PER_HOUR stories an hour (the page and the
API count together; 429 with when to try again), a username, and an address, is locked out after
SVERKA_LOGIN_FAILURES failed logins (django-axes; 429 on the login page, saying for how long), and new passwords
must pass Django's four standard validators. That the counting holds across threads and processes:
tests/ops/test_counters.py."""

import json

import pytest
from django.contrib.auth import password_validation
from django.core.management import call_command
from django.urls import reverse

from alignment import tokens
from alignment.models import Story
from alignment.samples import sample_story
from alignment.ops.limits import WINDOW_SECONDS, upload_wait

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty(empty_cache):
    """Each test starts and ends with an empty cache (see tests/conftest.py)."""


@pytest.fixture
def two_an_hour(settings):
    settings.SVERKA_UPLOADS_PER_HOUR = 2


def upload(client, sample, title="Shark story"):
    return client.post(reverse("upload"), {"title": title, "en_text": sample.en, "ru_text": sample.ru})


def api_upload(client, token, sample):
    body = json.dumps({"title": "From the API", "en": sample.en, "ru": sample.ru})
    return client.post(reverse("api:stories"), body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}")


# ---------------------------------------------------------------------------------------------------- Uploads


def test_past_the_hourly_limit_the_upload_page_answers_429_saying_when(client, owner, no_broker, two_an_hour):
    sample = sample_story()
    client.force_login(owner)
    assert upload(client, sample).status_code == 302
    assert upload(client, sample).status_code == 302
    refused = upload(client, sample, title="One too many")
    html = refused.content.decode()
    assert refused.status_code == 429
    assert "You have sent 2 stories in the last hour, the most one account may. Try again in 60 minutes." in html
    assert 3500 < int(refused["Retry-After"]) <= WINDOW_SECONDS
    assert Story.objects.count() == 2 and not Story.objects.filter(title="One too many").exists()


def test_a_form_with_errors_counts_too(client, owner, no_broker, two_an_hour):
    client.force_login(owner)
    for _ in range(2):
        assert client.post(reverse("upload"), {"title": ""}).status_code == 200
    assert client.post(reverse("upload"), {"title": ""}).status_code == 429


def test_the_limit_is_per_account(client, owner, other_user, no_broker, two_an_hour):
    sample = sample_story()
    client.force_login(owner)
    for _ in range(3):
        upload(client, sample)
    client.force_login(other_user)
    assert upload(client, sample).status_code == 302


def test_the_api_counts_against_the_same_limit_and_says_when(client, owner, no_broker, two_an_hour):
    sample = sample_story()
    _, token = tokens.issue(owner)
    client.force_login(owner)
    assert upload(client, sample).status_code == 302
    assert api_upload(client, token, sample).status_code == 201
    refused = api_upload(client, token, sample)
    assert refused.status_code == 429
    assert refused.json()["detail"].startswith("You have sent 2 stories in the last hour")
    assert int(refused["Retry-After"]) > 0
    assert upload(client, sample).status_code == 429  # and the page knows


def test_reading_is_never_limited(client, owner, no_broker, two_an_hour):
    sample = sample_story()
    client.force_login(owner)
    for _ in range(3):
        upload(client, sample)
    assert client.get(reverse("upload")).status_code == 200
    assert client.get(reverse("stories")).status_code == 200


def test_an_upload_counts_for_an_hour_then_leaves_room(owner, two_an_hour):
    start = 960_000.0  # the start of a minute: an upload counts for the hour after the minute it came in
    assert upload_wait(owner, now=start) == 0
    assert upload_wait(owner, now=start + 600) == 0
    assert upload_wait(owner, now=start + 1200) == WINDOW_SECONDS - 1200  # until the first leaves the hour
    assert upload_wait(owner, now=start + WINDOW_SECONDS + 1) == 0  # the first has left; a refusal did not count
    # Now the hour holds the uploads at 600 s and at 3601 s: the next room is when the one at 600 s leaves it.
    assert upload_wait(owner, now=start + WINDOW_SECONDS + 2) == 600 - 2


def test_an_upload_counts_until_the_hour_after_its_minute_is_over(owner, two_an_hour):
    start = 960_000.0
    assert upload_wait(owner, now=start + 59) == 0
    assert upload_wait(owner, now=start + 60) == 0
    assert upload_wait(owner, now=start + 61) == WINDOW_SECONDS - 61  # the first leaves when its minute's hour ends
    assert upload_wait(owner, now=start + WINDOW_SECONDS) == 0


def test_with_the_cache_down_uploads_still_go_through_uncounted(client, owner, no_broker, two_an_hour, settings):
    nothing_listens = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
    settings.CACHES = {**settings.CACHES, "limits": nothing_listens}
    sample = sample_story()
    client.force_login(owner)
    assert [upload(client, sample).status_code for _ in range(3)] == [302, 302, 302]


def test_no_limit_when_it_is_zero(owner, settings):
    settings.SVERKA_UPLOADS_PER_HOUR = 0
    assert all(upload_wait(owner, now=float(n)) == 0 for n in range(100))


# ---------------------------------------------------------------------------------------------------- Logins


def log_in(client, password, username="olga", **extra):
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


def test_after_five_failures_the_login_is_locked_saying_for_how_long(client, owner, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200
    locked = log_in(client, "wrong")
    html = locked.content.decode()
    assert locked.status_code == 429
    said = "Too many failed attempts to log in with this username, or from your address. Try again in 15 minutes"
    assert said in html
    assert locked["Retry-After"] == "900"
    assert 'value="olga"' in html  # the login form again, with the username kept
    # Even the right password is refused now.
    right = log_in(client, "pw-olga-123456")
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_admin_login_is_locked_too(client, staff):
    for _ in range(5):
        client.post(reverse("admin:login"), {"username": "admin", "password": "wrong"})
    response = client.post(reverse("admin:login"), {"username": "admin", "password": "pw-admin-123456"})
    assert response.status_code == 429


def test_one_address_trying_a_password_on_each_of_many_accounts_is_locked(client, owner, other_user):
    for name in ("olga", "boris", "ivan", "anna"):
        assert log_in(client, "wrong", username=name).status_code == 200
    assert log_in(client, "wrong", username="pavel").status_code == 429  # the fifth failure from the address
    assert log_in(client, "pw-boris-123456", username="boris").status_code == 429
    assert log_in(client, "pw-boris-123456", username="boris", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_many_addresses_trying_one_account_lock_the_account(client, owner, other_user):
    for n in range(4):
        assert log_in(client, "wrong", REMOTE_ADDR=f"10.0.0.{n + 1}").status_code == 200
    assert log_in(client, "wrong", REMOTE_ADDR="10.0.0.5").status_code == 429  # the account's fifth failure
    assert log_in(client, "pw-olga-123456", REMOTE_ADDR="10.0.9.9").status_code == 429
    assert log_in(client, "pw-boris-123456", username="boris", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_a_spoofed_forwarded_address_does_not_unlock_an_address(client, owner, other_user):
    """With no proxy configured (SVERKA_PROXY_COUNT=0) a client's own X-Forwarded-For is ignored."""
    for n, name in enumerate(("olga", "boris", "ivan", "anna", "pavel")):
        log_in(client, "wrong", username=name, HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert log_in(client, "pw-boris-123456", username="boris", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429


def test_behind_one_proxy_the_lock_is_on_the_forwarded_address(client, owner, other_user, settings):
    settings.SVERKA_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.1.1.1"}
    for name in ("olga", "boris", "ivan", "anna", "pavel"):
        log_in(client, "wrong", username=name, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    locked = log_in(client, "pw-boris-123456", username="boris", HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy)
    assert locked.status_code == 429
    # Another client behind the same proxy is not locked out with the first.
    other = log_in(client, "pw-boris-123456", username="boris", HTTP_X_FORWARDED_FOR="198.51.100.8", **proxy)
    assert other.status_code == 302


def test_a_success_clears_the_failures_and_a_command_lifts_a_lock(client, owner):
    for _ in range(4):
        log_in(client, "wrong")
    assert log_in(client, "pw-olga-123456").status_code == 302
    client.logout()
    for _ in range(4):
        assert log_in(client, "wrong").status_code == 200  # counted from zero again
    log_in(client, "wrong")
    assert log_in(client, "pw-olga-123456").status_code == 429
    call_command("axes_reset_username", "olga")
    assert log_in(client, "pw-olga-123456").status_code == 302


# ---------------------------------------------------------------------------------------------------- Passwords


def test_the_four_standard_password_validators_are_on():
    names = {type(v).__name__ for v in password_validation.get_default_password_validators()}
    assert names == {
        "UserAttributeSimilarityValidator", "MinimumLengthValidator", "CommonPasswordValidator",
        "NumericPasswordValidator",
    }


@pytest.mark.parametrize("password, reason", [
    ("x7#kQ", "This password is too short. It must contain at least 8 characters."),
    ("password123", "This password is too common."),
    ("48151623420", "This password is entirely numeric."),
    ("petrova.olga", "The password is too similar to the email address."),
])
def test_a_weak_new_password_is_refused_with_the_reason(client, owner, password, reason):
    owner.email = "olga.petrova@example.org"
    owner.save()
    client.force_login(owner)
    response = client.post(reverse("password_change"), {
        "old_password": "pw-olga-123456", "new_password1": password, "new_password2": password,
    })
    assert response.status_code == 200
    assert reason in response.content.decode().replace("&#x27;", "'")
    owner.refresh_from_db()
    assert owner.check_password("pw-olga-123456")
