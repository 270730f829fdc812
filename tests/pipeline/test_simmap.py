"""The similarity map: cosine similarities of every English sentence with every Russian one, max-pooled to at
most 600 cells a side, one byte a cell, computed in tiles so that a long story never holds its whole matrix."""

import tracemalloc

import numpy as np
import pytest

from alignment.pipeline import align_texts
from alignment.pipeline.simmap import MAX_CELLS, block_size, max_pool, quantise, similarity_map, tiles
from alignment.pipeline.types import SimilarityMap
from tests.conftest import dev_story


def unit(x):
    x = np.asarray(x, dtype=np.float32)
    return x / np.linalg.norm(x, axis=-1, keepdims=True)


def random_side(n, d=32, seed=0):
    return unit(np.random.default_rng(seed).normal(size=(n, d)))


def cells(simmap: SimilarityMap) -> np.ndarray:
    return np.frombuffer(simmap.cells, dtype=np.uint8).reshape(simmap.rows, simmap.cols)


def test_a_short_story_gets_one_cell_per_pair_of_sentences():
    en, ru = random_side(7, seed=1), random_side(5, seed=2)
    simmap = similarity_map(en, ru)
    assert (simmap.rows, simmap.cols, simmap.en_block, simmap.ru_block) == (7, 5, 1, 1)
    assert len(simmap.cells) == 35
    assert np.array_equal(cells(simmap), quantise(en @ ru.T))


def test_quantisation_spans_0_to_1_in_bytes_and_clips_the_rest():
    values = np.array([-0.7, 0.0, 0.2, 0.5, 1.0, 1.0000001, 3.0], dtype=np.float32)
    assert quantise(values).tolist() == [0, 0, 51, 128, 255, 255, 255]
    assert quantise(values).dtype == np.uint8


def test_identical_sentences_are_the_brightest_cells():
    en = random_side(12, seed=3)
    assert np.array_equal(np.diag(cells(similarity_map(en, en))), np.full(12, 255))


def test_a_long_story_is_pooled_to_at_most_600_cells_a_side():
    simmap = similarity_map(random_side(1500, d=8), random_side(601, d=8, seed=1))
    assert (simmap.en_block, simmap.ru_block) == (3, 2)
    assert (simmap.rows, simmap.cols) == (500, 301)  # the last Russian block holds one sentence
    assert simmap.rows <= MAX_CELLS and simmap.cols <= MAX_CELLS
    assert len(simmap.cells) == simmap.rows * simmap.cols


def test_pooling_keeps_the_most_similar_pair_of_each_block():
    en, ru = random_side(1300, d=16, seed=4), random_side(1250, d=16, seed=5)
    ru[777] = en[1000]  # a perfect pair, in block (333, 388) of 3 x 3 sentences
    simmap = similarity_map(en, ru)
    assert (simmap.en_block, simmap.ru_block) == (3, 3)
    full = quantise(en @ ru.T)
    pooled = cells(simmap)
    assert pooled[1000 // 3, 777 // 3] == 255
    for row, col in [(0, 0), (333, 259), (433, 416)]:  # the last block of both sides is smaller
        block = full[row * 3 : row * 3 + 3, col * 3 : col * 3 + 3]
        assert pooled[row, col] == block.max()
    assert np.array_equal(pooled, max_pool(full, 3, 3))


def test_max_pool_takes_the_maximum_of_uneven_blocks():
    values = np.arange(20).reshape(4, 5)
    assert max_pool(values, 3, 2).tolist() == [[11, 13, 14], [16, 18, 19]]


def test_tiles_cover_every_cell_once_in_whole_blocks_and_stay_within_the_budget():
    n, m, en_block, ru_block, budget = 1000, 700, 2, 3, 5000
    seen = np.zeros((n, m), dtype=np.int8)
    for (e0, e1), (r0, r1) in tiles(n, m, en_block, ru_block, budget):
        assert (e1 - e0) * (r1 - r0) <= budget
        assert e0 % en_block == 0 and r0 % ru_block == 0
        assert (e1 - e0) % en_block == 0 or e1 == n
        assert (r1 - r0) % ru_block == 0 or r1 == m
        seen[e0:e1, r0:r1] += 1
    assert (seen == 1).all()


def test_small_tiles_give_the_same_map_as_one_big_one():
    en, ru = random_side(1400, d=8, seed=6), random_side(900, d=8, seed=7)
    assert similarity_map(en, ru, tile_cells=10_000) == similarity_map(en, ru, tile_cells=10**9)


def test_10000_by_10000_sentences_never_hold_the_whole_matrix():
    en, ru = random_side(10_000, d=8, seed=8), random_side(10_000, d=8, seed=9)
    whole_matrix = 10_000 * 10_000 * 4
    tracemalloc.start()
    try:
        simmap = similarity_map(en, ru)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (simmap.rows, simmap.cols) == (589, 589)
    assert peak < whole_matrix / 8  # about 16 MB of tile and its pooled copy, against 400 MB


def test_block_size_fits_the_count_in_the_cells():
    assert [block_size(n) for n in (1, 600, 601, 1200, 1201, 20_000)] == [1, 1, 2, 2, 3, 34]


def test_align_texts_draws_the_map_of_its_sentences_but_keeps_it_out_of_the_json():
    en, ru, gold = dev_story()
    result = align_texts(en, ru)
    simmap = result.similarity_map
    assert (simmap.rows, simmap.cols, simmap.en_block, simmap.ru_block) == (len(en), len(ru), 1, 1)
    grid = cells(simmap)
    aligned = [grid[e, r] for e_run, r_run in gold for e in e_run for r in r_run]
    # Sentences that translate each other stand out from the rest of their row.
    assert np.median(aligned) > np.median(grid) + 40
    assert "similarity_map" not in result.to_dict() and "similarity_map" not in str(result.to_dict())


@pytest.mark.parametrize("n, m, shape", [(1, 1, (1, 1)), (1, 900, (1, 450)), (900, 1, (450, 1))])
def test_a_one_sentence_side_still_makes_a_map(n, m, shape):
    simmap = similarity_map(random_side(n, seed=10), random_side(m, seed=11))
    assert (simmap.rows, simmap.cols) == shape and len(simmap.cells) == shape[0] * shape[1]
