"""What every ingest test needs: an upload limit, and the error a refused upload raises."""

import pytest

from alignment.ingest import IngestError, read_upload

LIMIT = 2 * 1024 * 1024


def refused(name: str, data: bytes, limit: int = LIMIT) -> IngestError:
    with pytest.raises(IngestError) as caught:
        read_upload(name, data, limit)
    return caught.value
