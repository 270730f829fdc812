"""Argos Translate packages with random weights, built at test time: no download, no network.

``build_package`` writes a real ``.argosmodel`` (a zip of one folder holding ``metadata.json``, a CTranslate2
Transformer in ``model/`` and a ``sentencepiece.model``), installable by our installer and by
``argostranslate.package.install_from_path``. Its translations are gibberish, and they never stop early: the
end-of-sentence token is given a large negative bias, so every output runs to the decoding limit, which is
what the tests of that limit need.

The fixtures at the bottom are imported by the test modules that need them.
"""

from __future__ import annotations

import functools
import io
import json
import os
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

DEV_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "ntrex128_en-ru"

LANGUAGE_NAMES = {"en": "English", "ru": "Russian"}

# Enough text for SentencePiece to learn a few hundred pieces covering both alphabets.
TRAINING_LINES = [
    "The Kremlin declined to comment on the report.",
    "Heavy rain flooded the city centre on Monday.",
    "The minister said the talks would resume next week.",
    "Police arrested three people after the protest.",
    "Prices rose by 5 per cent in March, the statistics office said.",
    "The company will open a new factory near Moscow in 2025.",
    "Thousands of fans gathered outside the stadium.",
    "Scientists found water on a distant planet.",
    "В Кремле отказались комментировать сообщение.",
    "В понедельник сильный дождь затопил центр города.",
    "Министр заявил, что переговоры возобновятся на следующей неделе.",
    "Полиция задержала трёх человек после акции протеста.",
    "Цены в марте выросли на 5 процентов, сообщила служба статистики.",
    "Компания откроет новый завод под Москвой в 2025 году.",
    "Тысячи болельщиков собрались у стадиона.",
    "Учёные обнаружили воду на далёкой планете.",
]


def build_package(
    tmp_dir: Path,
    source: str = "en",
    target: str = "ru",
    *,
    realistic: bool = False,
    seed: int = 0,
    package_version: str = "0.1",
) -> Path:
    """Write ``translate-<source>_<target>-<version>.argosmodel`` into ``tmp_dir`` and return its path.

    Tiny by default (1+1 layers, d_model 32, 2 heads, a few hundred pieces: built in well under a second).
    ``realistic=True`` gives the shape of a real Argos model (6+6 layers, d_model 512, 8 heads, ffn 2048,
    about 8000 pieces learned from the development set) for speed benchmarks; it is saved in float32 and
    meant to be quantised to int8 when loaded.
    """
    import ctranslate2

    tmp_dir = Path(tmp_dir)
    name = f"translate-{source}_{target}-{package_version.replace('.', '_')}"
    folder = tmp_dir / name
    (folder / "model").mkdir(parents=True)
    rng = np.random.default_rng(seed)

    if realistic:
        lines, vocab_size = _development_lines(), 8000
        layers, d_model, heads, ffn = 6, 512, 8, 2048
    else:
        lines, vocab_size = TRAINING_LINES, 300
        layers, d_model, heads, ffn = 1, 32, 2, 64

    pieces = _train_sentencepiece(folder / "sentencepiece.model", lines, vocab_size)
    spec = ctranslate2.specs.TransformerSpec.from_config(layers, heads)
    _fill_random(spec, vocab=len(pieces), d_model=d_model, ffn=ffn, eos=pieces.index("</s>"), rng=rng)
    spec.register_source_vocabulary(pieces)
    spec.register_target_vocabulary(pieces)
    spec.validate()
    spec.save(str(folder / "model"))

    metadata = {
        "package_version": package_version,
        "argos_version": "1.11.0",
        "type": "translate",
        "code": f"translate-{source}_{target}",
        "from_code": source,
        "from_name": LANGUAGE_NAMES.get(source, source),
        "to_code": target,
        "to_name": LANGUAGE_NAMES.get(target, target),
        "links": [],
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (folder / "README.md").write_text("Random weights, built for Sverka's tests. Translates nothing.\n")
    # Real packages carry Stanza data for Argos's own sentence splitter; we must leave it alone.
    (folder / "stanza").mkdir()
    (folder / "stanza" / "README").write_text("placeholder: Sverka never loads this\n")

    archive = tmp_dir / f"{name}.argosmodel"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_STORED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(tmp_dir).as_posix())
    return archive


def _development_lines() -> list[str]:
    files = sorted(DEV_DATA.glob("*/en.txt")) + sorted(DEV_DATA.glob("*/ru.txt"))
    if not files:
        raise FileNotFoundError(f"development data not found under {DEV_DATA}")
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]


def _train_sentencepiece(path: Path, lines: list[str], vocab_size: int) -> list[str]:
    """Train a unigram model on ``lines``, save it at ``path`` and return its pieces in id order."""
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines),
        model_writer=model,
        vocab_size=vocab_size,
        hard_vocab_limit=False,  # a small corpus may not support the full size; take what it gives
        character_coverage=1.0,
        model_type="unigram",
        minloglevel=2,
        num_threads=1,
    )
    path.write_bytes(model.getvalue())
    processor = spm.SentencePieceProcessor(model_proto=model.getvalue())
    return [processor.id_to_piece(i) for i in range(processor.get_piece_size())]


def _fill_random(spec, *, vocab: int, d_model: int, ffn: int, eos: int, rng: np.random.Generator) -> None:
    """Give every weight of a pre-norm Transformer spec a random value of the right shape."""

    def linear(layer, out_dim, in_dim):
        layer.weight = rng.normal(0.0, in_dim**-0.5, (out_dim, in_dim)).astype(np.float32)
        layer.bias = np.zeros(out_dim, dtype=np.float32)

    def norm(layer):
        layer.gamma = np.ones(d_model, dtype=np.float32)
        layer.beta = np.zeros(d_model, dtype=np.float32)

    def embeddings(layer):
        layer.weight = rng.normal(0.0, d_model**-0.5, (vocab, d_model)).astype(np.float32)

    def attention(layer, fused_qkv):
        norm(layer.layer_norm)
        if fused_qkv:  # self-attention: one projection for queries, keys and values
            linear(layer.linear[0], 3 * d_model, d_model)
        else:  # encoder attention: queries from the decoder, keys and values from the encoder
            linear(layer.linear[0], d_model, d_model)
            linear(layer.linear[1], 2 * d_model, d_model)
        linear(layer.linear[-1], d_model, d_model)

    def feed_forward(layer):
        norm(layer.layer_norm)
        linear(layer.linear_0, ffn, d_model)
        linear(layer.linear_1, d_model, ffn)

    encoder, decoder = spec.encoder, spec.decoder
    embeddings(encoder.embeddings[0])
    norm(encoder.layer_norm)
    for layer in encoder.layer:
        attention(layer.self_attention, fused_qkv=True)
        feed_forward(layer.ffn)
    embeddings(decoder.embeddings)
    norm(decoder.layer_norm)
    for layer in decoder.layer:
        attention(layer.self_attention, fused_qkv=True)
        attention(layer.attention, fused_qkv=False)
        feed_forward(layer.ffn)
    linear(decoder.projection, vocab, d_model)
    decoder.projection.bias[eos] = -1e4  # never stop early: see the module docstring


_ARGOS_HOME_VARIABLES = ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME")


def import_argos_away_from_home(root: Path) -> None:
    """Import argostranslate with its data, config and cache folders under ``root``.

    Importing ``argostranslate.settings`` creates folders under the user's home, read from the environment
    once, at import. Pointing the XDG variables at ``root`` for the import alone keeps a test run from
    touching the home folder without leaking the variables into other tests.
    """
    if "argostranslate.settings" in sys.modules:
        return
    saved = {name: os.environ.get(name) for name in _ARGOS_HOME_VARIABLES}
    try:
        for name in _ARGOS_HOME_VARIABLES:
            os.environ[name] = str(root / name.lower())
        import argostranslate.settings  # noqa: F401
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@functools.cache
def _tiny_packages(root: Path) -> dict[tuple[str, str], Path]:
    # Cached on the session's temporary root, so the modules that import the fixture share one build.
    built = {}
    for source, target in (("en", "ru"), ("ru", "en")):
        folder = root / f"tiny-{source}-{target}"
        folder.mkdir()
        built[source, target] = build_package(folder, source, target, seed=len(built))
    return built


@pytest.fixture(scope="session")
def tiny_packages(tmp_path_factory) -> dict[tuple[str, str], Path]:
    """The two tiny ``.argosmodel`` files, en→ru and ru→en, keyed by direction. Built once per session."""
    return _tiny_packages(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def argos_home(tmp_path_factory) -> None:
    """argostranslate imported with its folders in a temporary place, never the home folder."""
    import_argos_away_from_home(tmp_path_factory.getbasetemp() / "argos-home")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a network connection fails at once, as on a machine with no network."""
    import socket

    def refuse(*args, **kwargs):
        raise OSError("network access is disabled in the tests")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
