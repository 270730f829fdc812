"""Translation with Argos packages: tiny random-weight packages built at test time; no network, no download."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import ctranslate2
import pytest

from alignment.pipeline import PipelineError, translate
from alignment.pipeline.translate import (
    MAX_DECODING_LENGTH,
    ArgosTranslator,
    available_directions,
    install_package,
    installed_packages,
)
from tests.argos_fixture import argos_home, build_package, no_network, tiny_packages  # noqa: F401  (fixtures)

ROOT = Path(__file__).resolve().parents[2]

EN = [
    "The Kremlin declined to comment on the report.",
    "Heavy rain flooded the city centre on Monday, and the river rose by two metres.",
    "",
    "Prices rose by 5 per cent in March.",
    "Mr. Smith arrived at 5 p.m. He left at 6. Nobody saw him.",
]
RU = [
    "В Кремле отказались комментировать сообщение.",
    "В понедельник сильный дождь затопил центр города.",
    "Цены в марте выросли на 5 процентов.",
]


@pytest.fixture(autouse=True)
def fresh_models(monkeypatch, no_network):
    # Each test starts with no model loaded, as a new process would.
    monkeypatch.setattr(translate, "_models", {})


@pytest.fixture
def packages_dir(tmp_path, tiny_packages):
    for archive in tiny_packages.values():
        install_package(archive, tmp_path / "argos")
    return tmp_path / "argos"


@pytest.fixture
def spy(monkeypatch):
    """Stands in for ctranslate2.Translator: counts loads and calls, records batch sizes and output lengths."""
    record = SimpleNamespace(loads=[], calls=[], output_lengths=[])
    real = ctranslate2.Translator

    class Recorded:
        def __init__(self, pending):
            self._pending = pending

        def result(self):
            result = self._pending.result()
            record.output_lengths.append(len(result.hypotheses[0]))
            return result

    class Spy:
        def __init__(self, *args, **kwargs):
            self._translator = real(*args, **kwargs)
            record.loads.append(kwargs)

        def translate_batch(self, batch, **kwargs):
            record.calls.append({"size": len(batch), **kwargs})
            return [Recorded(r) for r in self._translator.translate_batch(batch, **kwargs)]

    monkeypatch.setattr(ctranslate2, "Translator", Spy)
    return record


def test_it_translates_our_sentences_in_both_directions(packages_dir):
    translator = ArgosTranslator(packages_dir)
    for texts, source, target in ((EN, "en", "ru"), (RU, "ru", "en")):
        out = translator.translate(texts, source, target)
        assert len(out) == len(texts)
        assert all(isinstance(t, str) for t in out)
        assert [bool(t) for t in out] == [bool(t.strip()) for t in texts]


def test_it_hands_ctranslate2_whole_batches_not_one_sentence_at_a_time(packages_dir, spy):
    texts = [f"Sentence number {i} of the story, about the minister." for i in range(40)]
    out = ArgosTranslator(packages_dir, max_batch_size=16).translate(texts, "en", "ru")
    assert len(out) == 40
    assert [c["size"] for c in spy.calls] == [16, 16, 8]
    assert all(c["asynchronous"] and c["max_batch_size"] == 16 for c in spy.calls)


def test_a_short_story_is_shared_between_the_inter_threads(packages_dir, spy):
    ArgosTranslator(packages_dir, inter_threads=2, max_batch_size=32).translate(EN, "en", "ru")
    assert [c["size"] for c in spy.calls] == [2, 2]  # four sentences with text, two parallel workers


def test_thread_counts_and_beam_size_come_from_the_caller(packages_dir, spy):
    ArgosTranslator(packages_dir, inter_threads=2, intra_threads=1, beam_size=3).translate(EN, "en", "ru")
    assert spy.loads[0]["inter_threads"] == 2 and spy.loads[0]["intra_threads"] == 1
    assert spy.loads[0]["compute_type"] == "int8"
    assert {c["beam_size"] for c in spy.calls} == {3}


def test_the_model_loads_once_per_process(packages_dir, spy):
    ArgosTranslator(packages_dir).translate(EN, "en", "ru")
    ArgosTranslator(packages_dir).translate(EN[:2], "en", "ru")
    assert len(spy.loads) == 1
    ArgosTranslator(packages_dir).translate(RU, "ru", "en")
    assert len(spy.loads) == 2  # the other direction is another model


def test_nothing_loads_before_the_first_translation(packages_dir, spy):
    translator = ArgosTranslator(packages_dir)
    assert translator.translate([], "en", "ru") == []
    assert translator.directions() == {("en", "ru"), ("ru", "en")}
    assert spy.loads == []


def test_importing_the_module_loads_neither_argostranslate_nor_a_model_and_translating_skips_argos_code(
    packages_dir,
):
    code = (
        "import sys\n"
        "from alignment.pipeline.translate import ArgosTranslator\n"
        "heavy = ('argostranslate', 'ctranslate2', 'sentencepiece', 'django', 'stanza', 'minisbd')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
        f"ArgosTranslator({str(packages_dir)!r}).translate(['One. Two.'], 'en', 'ru')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    at_import, after_translation = out.stdout.splitlines()
    assert at_import == ""
    assert after_translation == "ctranslate2,sentencepiece"


def test_argos_sentence_splitter_is_never_used(packages_dir, monkeypatch, argos_home):
    import argostranslate.sbd
    import argostranslate.translate

    def refuse(*args, **kwargs):
        raise AssertionError("Argos's own sentence splitting was used")

    for name in ("ISentenceBoundaryDetectionModel", "StanzaSentencizer", "MiniSBDSentencizer", "SpacySentencizerSmall"):
        monkeypatch.setattr(getattr(argostranslate.sbd, name), "split_sentences", refuse)
    monkeypatch.setattr(argostranslate.sbd, "detect_sentence", refuse)
    monkeypatch.setattr(argostranslate.translate, "apply_packaged_translation", refuse)
    monkeypatch.setattr(argostranslate.translate, "translate", refuse)

    out = ArgosTranslator(packages_dir).translate(["Mr. Smith came. He left! Why?"], "en", "ru")
    assert len(out) == 1 and out[0]


def test_a_missing_direction_is_a_clear_error(tmp_path, tiny_packages):
    install_package(tiny_packages["en", "ru"], tmp_path / "argos")
    assert available_directions(tmp_path / "argos") == {("en", "ru")}
    with pytest.raises(PipelineError) as caught:
        ArgosTranslator(tmp_path / "argos").translate(RU, "ru", "en")
    assert caught.value.message == (
        "No Argos package for ru→en is installed. Install one with `python manage.py install_models`."
    )
    assert caught.value.code == "translation_missing"


def test_a_folder_that_does_not_exist_has_no_directions(tmp_path):
    assert available_directions(tmp_path / "nowhere") == set()
    with pytest.raises(PipelineError, match="No Argos package for en→ru"):
        ArgosTranslator(tmp_path / "nowhere").translate(EN, "en", "ru")


def test_it_refuses_to_translate_a_language_into_itself(packages_dir):
    with pytest.raises(PipelineError, match="itself"):
        ArgosTranslator(packages_dir).translate(EN, "en", "en")


def test_output_length_follows_the_input_and_never_runs_away(packages_dir, spy):
    # The tiny model never emits its end token, so every output runs to the limit it is given.
    import sentencepiece

    short = "Prices rose."
    model_file = packages_dir / "translate-en_ru-0_1" / "sentencepiece.model"
    n = len(sentencepiece.SentencePieceProcessor(model_file=str(model_file)).encode(short))
    translator = ArgosTranslator(packages_dir)
    translator.translate([short], "en", "ru")
    assert spy.output_lengths == [2 * n + 10]

    long = " ".join(["The minister said the talks would resume next week."] * 40)
    spy.output_lengths.clear()
    translator.translate([long], "en", "ru")
    assert spy.output_lengths == [MAX_DECODING_LENGTH]
    assert spy.calls[-1]["max_decoding_length"] == MAX_DECODING_LENGTH


def test_installing_a_newer_package_replaces_the_old_one(tmp_path, tiny_packages):
    argos = tmp_path / "argos"
    install_package(tiny_packages["en", "ru"], argos)
    newer = build_package(tmp_path, "en", "ru", package_version="0.2")
    package = install_package(newer, argos)
    assert (package.version, package.direction) == ("0.2", ("en", "ru"))
    assert [p.version for p in installed_packages(argos)] == ["0.2"]
    assert not [p for p in argos.iterdir() if p.name.startswith(".")]  # no staging folder left behind


def test_it_refuses_files_that_are_not_argos_packages(tmp_path):
    text = tmp_path / "notes.argosmodel"
    text.write_text("not a zip")
    with pytest.raises(PipelineError, match="zip archive"):
        install_package(text, tmp_path / "argos")

    two_folders = tmp_path / "two.argosmodel"
    with zipfile.ZipFile(two_folders, "w") as zf:
        zf.writestr("a/metadata.json", "{}")
        zf.writestr("b/metadata.json", "{}")
    with pytest.raises(PipelineError, match="exactly one folder"):
        install_package(two_folders, tmp_path / "argos")

    no_model = tmp_path / "no-model.argosmodel"
    with zipfile.ZipFile(no_model, "w") as zf:
        zf.writestr("pkg/metadata.json", json.dumps({"from_code": "en", "to_code": "ru"}))
    with pytest.raises(PipelineError, match="no CTranslate2 model"):
        install_package(no_model, tmp_path / "argos")
    assert installed_packages(tmp_path / "argos") == []


def test_sentence_boundary_packages_and_broken_folders_are_not_directions(packages_dir):
    sbd = packages_dir / "sbd-1_0"
    sbd.mkdir()
    (sbd / "metadata.json").write_text(json.dumps({"type": "sbd", "from_code": "en", "to_code": "ru"}))
    (packages_dir / "broken").mkdir()
    assert {p.kind for p in installed_packages(packages_dir)} == {"translate", "sbd"}
    assert available_directions(packages_dir) == {("en", "ru"), ("ru", "en")}


def test_argostranslate_itself_accepts_the_test_package(tmp_path, tiny_packages, monkeypatch, argos_home):
    import argostranslate.package
    import argostranslate.settings

    monkeypatch.setattr(argostranslate.settings, "package_data_dir", tmp_path)
    argostranslate.package.install_from_path(tiny_packages["en", "ru"])
    [package] = argostranslate.package.get_installed_packages(path=[tmp_path])
    assert (package.from_code, package.to_code, package.type) == ("en", "ru", "translate")
    assert package.tokenizer.encode("Hello") and installed_packages(tmp_path)[0].direction == ("en", "ru")


def test_an_old_package_with_bpe_instead_of_sentencepiece_still_translates(packages_dir):
    folder = packages_dir / "translate-en_ru-0_1"
    (folder / "sentencepiece.model").unlink()
    (folder / "bpe.model").write_text("#version: 0.2\nt h\nth e</w>\ni n\n", encoding="utf-8")
    out = ArgosTranslator(packages_dir).translate(["The minister is in the city.", "Prices rose."], "en", "ru")
    assert len(out) == 2 and all(isinstance(t, str) and t for t in out)


def test_a_package_that_will_not_load_is_named_in_words_and_its_error_goes_to_the_log(
    packages_dir, monkeypatch, caplog
):
    def broken(*args, **kwargs):
        raise RuntimeError("/opt/argos/secret/model.bin: unsupported model spec 9")

    monkeypatch.setattr(ctranslate2, "Translator", broken)
    with pytest.raises(PipelineError) as caught:
        ArgosTranslator(packages_dir).translate(EN, "en", "ru")
    assert caught.value.code == "bad_package"
    assert caught.value.message.startswith("Could not load the Argos package for en→ru")
    assert "secret" not in caught.value.message and "unsupported" not in caught.value.message
    assert "unsupported model spec 9" in caplog.text  # for the operator
