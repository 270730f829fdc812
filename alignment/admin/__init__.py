"""The admin: every model, linked to its neighbours, with change lists that cost the same few queries
however many rows they show. All user text goes through format_html or the admin's own escaping.

Django's autodiscovery imports this package; importing the modules registers their admins."""

from alignment.admin import corpus, glossary, results, sharing, stories, tokens  # noqa: F401
