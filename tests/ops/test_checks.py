"""System checks warn about missing translation packages and a missing sentence-transformers folder."""

import pytest
from django.core.checks import run_checks

import alignment.checks  # noqa: F401  (registers the checks)
from alignment.pipeline.translate import install_package
from tests.argos_fixture import tiny_packages  # noqa: F401  (fixture)


@pytest.fixture(autouse=True)
def argos_dir(settings, tmp_path):
    settings.SVERKA_ARGOS_DIR = tmp_path / "argos"
    settings.SVERKA_EMBEDDER = "use-m3"
    return settings.SVERKA_ARGOS_DIR


def sverka_warnings():
    return [(m.id, m.msg) for m in run_checks() if m.id and m.id.startswith("sverka.")]


def test_it_warns_for_each_missing_translation_direction():
    assert sverka_warnings() == [
        ("sverka.W001", "Translation en→ru is not installed: Sverka will align by multilingual embeddings alone."),
        ("sverka.W001", "Translation ru→en is not installed: Sverka will align by multilingual embeddings alone."),
    ]
    hints = {m.hint for m in run_checks() if m.id == "sverka.W001"}
    assert hints == {"Install with `python manage.py install_models`."}


def test_the_warning_goes_once_both_directions_are_installed(argos_dir, tiny_packages):
    install_package(tiny_packages["en", "ru"], argos_dir)
    assert [msg for _, msg in sverka_warnings()] == [
        "Translation ru→en is not installed: Sverka will align by multilingual embeddings alone."
    ]
    install_package(tiny_packages["ru", "en"], argos_dir)
    assert sverka_warnings() == []


def install_both(argos_dir, tiny_packages):
    for archive in tiny_packages.values():
        install_package(archive, argos_dir)


def test_it_warns_when_the_embedder_names_a_folder_that_does_not_exist(settings, tmp_path, argos_dir, tiny_packages):
    install_both(argos_dir, tiny_packages)
    settings.SVERKA_EMBEDDER = f"sentence-transformers:{tmp_path / 'models' / 'LaBSE'}"
    [(check_id, msg)] = sverka_warnings()
    assert check_id == "sverka.W002"
    assert str(tmp_path / "models" / "LaBSE") in msg

    (tmp_path / "models" / "LaBSE").mkdir(parents=True)
    assert sverka_warnings() == []


@pytest.mark.parametrize(
    "name", ["use-m3", "sentence-transformers:sentence-transformers/LaBSE", "sentence-transformers:LaBSE"]
)
def test_a_model_name_is_not_taken_for_a_missing_folder(settings, argos_dir, tiny_packages, name):
    install_both(argos_dir, tiny_packages)
    settings.SVERKA_EMBEDDER = name
    assert sverka_warnings() == []
