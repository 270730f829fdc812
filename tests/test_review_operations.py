"""The review tests live in tests/review/ now. tests/test_views_cache.py still takes these fixtures from here: it
moves with the views (to tests/web/), and this file goes once that move imports them from tests.review."""

from tests.review.test_review_operations import HTMX, owner_client, pair, story, url  # noqa: F401 (fixtures)
