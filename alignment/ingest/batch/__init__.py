"""Many stories at once: a zip of file pairs (zips.py) or a manifest of rows (manifest.py, whose docstring holds
the manifest's contract), read into one Batch of good items and bad ones with their reasons.

Pure reading, like the rest of ingest: no models and no database. A side is read as an upload of its own
(``read_upload``, with every check an upload gets), or, a page or a .docx, checked as far as is cheap and left for
a worker to read (``read_later``), or left as an address for a worker to fetch. The caps on a
whole batch come from the settings SVERKA_BATCH_MAX_FILES and SVERKA_BATCH_MAX_BYTES.
"""

from .items import Batch, BatchError, BatchItem, Side, canonical, content, fingerprint
from .manifest import read_manifest
from .zips import read_zip

__all__ = [
    "Batch", "BatchError", "BatchItem", "Side", "canonical", "content", "fingerprint", "read_manifest", "read_zip",
]
