"""API tokens: the key works as ``Authorization: Token <key>``, only its hash is stored, it expires after
SVERKA_TOKEN_DAYS and says so, a reset stops the old key, the admin lists tokens without a secret and deletes
them, and the plain tokens of Django REST framework's authtoken become hashed ones that keep working."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from alignment import tokens
from alignment.models import ApiToken

pytestmark = pytest.mark.django_db

STORIES = "/api/stories/"


def with_key(key: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def test_the_key_lets_its_user_in(owner):
    _, key = tokens.issue(owner)
    response = with_key(key).get(STORIES)
    assert response.status_code == 200
    assert response.wsgi_request.user == owner


def test_the_stored_row_holds_a_hash_and_never_the_key(owner):
    token, key = tokens.issue(owner)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM alignment_apitoken")
        rows = cursor.fetchall()
    stored = " ".join(str(value) for row in rows for value in row)
    assert key not in stored
    assert token.digest == hashlib.sha256(key.encode()).hexdigest() and token.digest in stored
    assert token.prefix == key[:8]  # a few characters to tell tokens apart: not enough to use one


def test_a_key_that_differs_after_the_prefix_is_refused(owner):
    _, key = tokens.issue(owner)
    forged = key[:8] + ("A" if key[8] != "A" else "B") + key[9:]
    response = with_key(forged).get(STORIES)
    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid token."}


def test_a_token_works_for_the_configured_days_and_then_is_refused_saying_so(owner, settings):
    settings.SVERKA_TOKEN_DAYS = 30
    token, key = tokens.issue(owner)
    assert token.expires - token.created == timedelta(days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - timedelta(seconds=1))
    response = with_key(key).get(STORIES)
    assert response.status_code == 401
    expired_on = f"{timezone.now() - timedelta(seconds=1):%Y-%m-%d}"
    assert response.json() == {"detail": (
        f"This token expired on {expired_on}. Ask for a new one (manage.py api_token USERNAME --reset)."
    )}


def test_an_inactive_users_token_is_refused(owner):
    _, key = tokens.issue(owner)
    owner.is_active = False
    owner.save()
    assert with_key(key).get(STORIES).json() == {"detail": "User inactive or deleted."}


def test_its_last_use_is_written_down(owner):
    token, key = tokens.issue(owner)
    assert token.last_used is None
    with_key(key).get(STORIES)
    token.refresh_from_db()
    assert token.last_used is not None


def api_token(*args) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_the_key_once_with_its_expiry_and_stores_only_its_hash(owner):
    key, said = api_token("olga")
    token = ApiToken.objects.get(user=owner)
    assert token.digest == tokens.digest(key)
    assert f"Valid until {token.expires:%Y-%m-%d %H:%M} UTC" in said and key not in said


def test_a_reset_stops_the_old_key_at_once(owner):
    old, _ = api_token("olga")
    new, _ = api_token("olga", "--reset")
    assert with_key(old).get(STORIES).status_code == 401
    assert with_key(new).get(STORIES).status_code == 200
    assert ApiToken.objects.filter(user=owner).count() == 1


def test_a_user_whose_token_expired_gets_a_new_one_without_reset(owner):
    old, _ = api_token("olga")
    ApiToken.objects.update(expires=timezone.now() - timedelta(days=1))
    new, _ = api_token("olga")
    assert new != old and with_key(new).get(STORIES).status_code == 200


def test_the_admin_lists_tokens_without_a_secret_and_deleting_one_stops_its_key(client, staff, owner):
    token, key = tokens.issue(owner)
    client.force_login(staff)
    page = client.get(reverse("admin:alignment_apitoken_changelist")).content.decode()
    assert token.prefix in page and "olga" in page
    assert key not in page and token.digest not in page
    detail = client.get(reverse("admin:alignment_apitoken_change", args=[token.pk])).content.decode()
    assert token.digest not in detail and key not in detail
    assert client.get(reverse("admin:alignment_apitoken_add")).status_code == 403
    client.post(reverse("admin:alignment_apitoken_delete", args=[token.pk]), {"post": "yes"})
    assert not ApiToken.objects.exists()
    assert with_key(key).get(STORIES).status_code == 401


# ------------------------------------------------------------------------------------ the plain tokens before

BEFORE = [("alignment", "0008_divergence_note_max_length")]
PLAIN_KEY = "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"  # as DRF made them: 40 hex digits


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("alignment")


def plain_tokens_of_authtoken(user_id: int) -> None:
    """authtoken's table, migration records and content type, with one token, as an installation had them."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE authtoken_token ({quote('key')} varchar(40) PRIMARY KEY, created timestamp with time zone"
            " NOT NULL, user_id integer NOT NULL UNIQUE)"
            if connection.vendor == "postgresql" else
            f"CREATE TABLE authtoken_token ({quote('key')} varchar(40) PRIMARY KEY, created datetime NOT NULL, "
            "user_id integer NOT NULL UNIQUE)"
        )
        made = timezone.now() - timedelta(days=400)
        cursor.execute("INSERT INTO authtoken_token VALUES (%s, %s, %s)", [PLAIN_KEY, made, user_id])
        cursor.execute(
            "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
            ["authtoken", "0001_initial", timezone.now()],
        )
        cursor.execute("INSERT INTO django_content_type (app_label, model) VALUES ('authtoken', 'token')")


@pytest.mark.django_db(transaction=True)
def test_plain_tokens_become_hashed_ones_that_keep_working_and_the_plain_table_goes(owner, settings):
    settings.SVERKA_TOKEN_DAYS = 90
    try:
        migrate(BEFORE)
        plain_tokens_of_authtoken(owner.pk)
    finally:
        migrate(latest())
    assert "authtoken_token" not in connection.introspection.table_names()
    token = ApiToken.objects.get()
    assert (token.user, token.prefix, token.digest) == (owner, PLAIN_KEY[:8], tokens.digest(PLAIN_KEY))
    # Made over a year ago, it still has its days from the upgrade, so no client breaks on that day.
    assert token.expires > timezone.now() + timedelta(days=89)
    assert with_key(PLAIN_KEY).get(STORIES).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = 'authtoken'")
        assert cursor.fetchone() == (0,)
        cursor.execute("SELECT COUNT(*) FROM django_content_type WHERE app_label = 'authtoken'")
        assert cursor.fetchone() == (0,)
