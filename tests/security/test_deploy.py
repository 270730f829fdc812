"""Production settings pass Django's deployment checks (`manage.py check --deploy`), and the admin lives wherever
SVERKA_ADMIN_PATH says. Each runs a fresh process, because settings are read from the environment at start-up."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest

from tests.conftest import ROOT

# All that production needs to say: HTTPS and the rest of the hardening are on by default when DEBUG is off.
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": secrets.token_urlsafe(50),
    "ALLOWED_HOSTS": "sverka.example.org",
}
# Not about security: the translation models are not installed in a fresh folder (README, "Models").
NOT_SECURITY = {"sverka.W001"}


def run(args, tmp_path, **env):
    clean = {k: v for k, v in os.environ.items()
             if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL", "ALLOWED_HOSTS"}
             and not k.startswith("SVERKA_")}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "SVERKA_VAR_DIR": str(tmp_path), **env},
    )


def check_ids(output: str) -> set[str]:
    return set(re.findall(r"\(([\w.]+\.[EW]\d{3})\)", output))


def settings_of(tmp_path, *names, **env) -> dict:
    code = "import json, django; django.setup(); from django.conf import settings; " \
           f"print(json.dumps({{n: getattr(settings, n, None) for n in {list(names)!r}}}))"
    out = run(["-c", code], tmp_path, **env)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_production_settings_pass_the_deployment_checks(tmp_path):
    out = run(["manage.py", "check", "--deploy"], tmp_path, **PRODUCTION)
    assert out.returncode == 0, out.stderr
    assert check_ids(out.stdout + out.stderr) <= NOT_SECURITY, out.stdout + out.stderr


def test_a_server_that_does_not_mention_debug_is_production_and_passes_them_too(tmp_path):
    out = run(["manage.py", "check", "--deploy"], tmp_path, SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert out.returncode == 0, out.stderr
    assert check_ids(out.stdout + out.stderr) <= NOT_SECURITY, out.stdout + out.stderr


def test_production_answers_to_localhost_only_until_told_its_hosts(tmp_path):
    bare = {k: v for k, v in PRODUCTION.items() if k != "ALLOWED_HOSTS"}
    assert settings_of(tmp_path, "ALLOWED_HOSTS", **bare) == {"ALLOWED_HOSTS": ["localhost", "127.0.0.1", "[::1]"]}


def test_development_and_a_plain_http_production_say_so_and_get_no_https_redirect(tmp_path):
    names = ("SVERKA_HTTPS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE")
    off = {"SVERKA_HTTPS": False, "SECURE_SSL_REDIRECT": False, "SESSION_COOKIE_SECURE": False}
    assert settings_of(tmp_path, *names, DEBUG="true") == off
    assert settings_of(tmp_path, *names, **PRODUCTION, SVERKA_HTTPS="false") == off


def test_without_https_the_checks_name_exactly_what_it_would_turn_on(tmp_path):
    out = run(["manage.py", "check", "--deploy"], tmp_path, **{**PRODUCTION, "SVERKA_HTTPS": "false"})
    found = check_ids(out.stdout + out.stderr) - NOT_SECURITY
    assert found == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_https_turns_on_the_redirect_hsts_and_secure_cookies_and_a_proxy_is_trusted_only_when_named(tmp_path):
    names = ("SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
             "SECURE_PROXY_SSL_HEADER", "SECURE_REDIRECT_EXEMPT")
    https = settings_of(tmp_path, *names, **PRODUCTION)
    assert https == {
        "SECURE_SSL_REDIRECT": True, "SECURE_HSTS_SECONDS": 31_536_000, "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True, "SECURE_PROXY_SSL_HEADER": None, "SECURE_REDIRECT_EXEMPT": ["^healthz$"],
    }
    proxied = settings_of(tmp_path, "SECURE_PROXY_SSL_HEADER", **PRODUCTION, SVERKA_BEHIND_PROXY="true")
    assert proxied == {"SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"]}


def test_the_admin_lives_at_the_configured_path(tmp_path):
    code = (
        "import django; django.setup(); from django.urls import reverse, resolve, Resolver404; "
        "print(reverse('admin:index'));\n"
        "try: resolve('/admin/'); print('found')\nexcept Resolver404: print('not found')"
    )
    out = run(["-c", code], tmp_path, DEBUG="true", SVERKA_ADMIN_PATH="/staff-only-7f3a/")
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["/staff-only-7f3a/", "not", "found"]


@pytest.mark.parametrize("path", ["/", "", "<int:x>/", "a b/"])
def test_an_admin_path_that_is_no_path_is_refused_at_start_up(tmp_path, path):
    out = run(["-c", "import django; django.setup()"], tmp_path, DEBUG="true", SVERKA_ADMIN_PATH=path)
    if path == "":  # unset: the default
        assert out.returncode == 0, out.stderr
    else:
        assert out.returncode != 0
        assert "SVERKA_ADMIN_PATH must be a path such as staff-only/" in out.stderr
