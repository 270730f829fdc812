"""The JSON API: the same services as the pages, JSON in and out. Its routes are in ``alignment.api.urls``."""
