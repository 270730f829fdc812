"""The similarity map: a small picture of how every English sentence compares with every Russian one.

Cosine similarity of the sentence embeddings (``en_vecs @ ru_vecs.T``), max-pooled over blocks of sentences so
that neither side has more than ``max_cells`` cells, and quantised to one byte per cell. Max-pooling keeps a
block as bright as its most similar pair, so a sentence's counterpart never fades out of a long story's map.

The full matrix of a long story would not fit in memory (10,000 x 10,000 sentences are 400 MB of float32), so
it is computed tile by tile, each tile a whole number of blocks of at most ``tile_cells`` similarities.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .types import SimilarityMap

MAX_CELLS = 600  # cells a side, at most
# The similarities the byte range spans: 0 .. 255 over [LOW, HIGH], clipped. Unrelated sentences score near 0
# with the multilingual encoders, translations well above 0.5.
LOW, HIGH = 0.0, 1.0
TILE_CELLS = 4_000_000  # similarities computed at once: 16 MB of float32


def similarity_map(
    en_vecs: np.ndarray, ru_vecs: np.ndarray, max_cells: int = MAX_CELLS, tile_cells: int = TILE_CELLS
) -> SimilarityMap:
    """The map of ``en_vecs`` (n, d) against ``ru_vecs`` (m, d), both L2-normalised: rows over English, columns
    over Russian, each cell the highest similarity in its block of ``en_block`` x ``ru_block`` sentences."""
    n, m = len(en_vecs), len(ru_vecs)
    en_block, ru_block = block_size(n, max_cells), block_size(m, max_cells)
    rows, cols = -(-n // en_block), -(-m // ru_block)
    pooled = np.empty((rows, cols), dtype=np.float32)
    for en_span, ru_span in tiles(n, m, en_block, ru_block, tile_cells):
        (en_start, en_end), (ru_start, ru_end) = en_span, ru_span
        sims = en_vecs[en_start:en_end] @ ru_vecs[ru_start:ru_end].T
        pooled[en_start // en_block : -(-en_end // en_block), ru_start // ru_block : -(-ru_end // ru_block)] = (
            max_pool(sims, en_block, ru_block)
        )
    return SimilarityMap(rows=rows, cols=cols, en_block=en_block, ru_block=ru_block, cells=quantise(pooled).tobytes())


def block_size(count: int, max_cells: int = MAX_CELLS) -> int:
    """Sentences per cell so that ``count`` sentences take at most ``max_cells`` cells."""
    return max(1, -(-count // max_cells))


def tiles(
    n: int, m: int, en_block: int, ru_block: int, tile_cells: int = TILE_CELLS
) -> Iterator[tuple[tuple[int, int], tuple[int, int]]]:
    """((en_start, en_end), (ru_start, ru_end)) tiles covering n x m, each starting on a block boundary and
    holding whole blocks (the last ones may be cut by the edge), and at most ``tile_cells`` similarities unless
    one block alone is bigger."""
    ru_step = max(1, m) if m <= tile_cells else max(ru_block, tile_cells // ru_block * ru_block)
    en_step = max(en_block, tile_cells // ru_step // en_block * en_block)
    for en_start in range(0, n, en_step):
        for ru_start in range(0, m, ru_step):
            yield (en_start, min(n, en_start + en_step)), (ru_start, min(m, ru_start + ru_step))


def max_pool(values: np.ndarray, en_block: int, ru_block: int) -> np.ndarray:
    """The maximum of each en_block x ru_block block of ``values`` (the last row and column of blocks may be
    smaller)."""
    if en_block > 1:
        values = np.maximum.reduceat(values, np.arange(0, values.shape[0], en_block), axis=0)
    if ru_block > 1:
        values = np.maximum.reduceat(values, np.arange(0, values.shape[1], ru_block), axis=1)
    return values


def quantise(similarities: np.ndarray) -> np.ndarray:
    """Similarities as bytes: LOW and below is 0, HIGH and above 255, linear in between."""
    scaled = (np.asarray(similarities, dtype=np.float32) - LOW) * (255 / (HIGH - LOW))
    return np.rint(np.clip(scaled, 0, 255)).astype(np.uint8)

