"""The migrations run forward over a database holding the last release's data.

The last release is the schema at 0001_initial (every migration after it came since). The test goes back
to it, fills it with the historical models as that release would have, migrates forward to the latest, and
checks that every row came through, that each field added since stands at its default, and that today's code
reads the old rows.
"""

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from alignment.results import load_results
from alignment.models import AuditEntry, Divergence, Document, Edit, Job, Pair, Sentence, Story
from alignment.pipeline.recurring import furniture_key

RELEASED = [("alignment", "0001_initial")]
# The models the release had, as they are today.
CURRENT = {m.__name__: m for m in (Story, Document, Job, Pair, Sentence, Divergence)}
# Fields added since that a migration computes from the old rows, rather than leaving at their default.
COMPUTED = {"Sentence": {"key": lambda sentence: furniture_key(sentence.text)}}


def migrate(targets):
    """Migrate the test database to ``targets``; the app registry of the models as they were there."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()  # it has changed what is applied
    return executor.loader.project_state(targets).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes("alignment")


def fill(old_apps) -> dict:
    """One story of the released schema, with every model of it; returns what was stored, by model."""
    User = old_apps.get_model("auth", "User")
    models = {name: old_apps.get_model("alignment", name) for name in CURRENT}
    owner = User.objects.create(username="olga", password="!")
    en, ru = "The talks failed. Both sides left.", "Переговоры провалились."
    story = models["Story"].objects.create(
        code=uuid.uuid4(), owner=owner, title="Released", embedder="use-m3",
        stats={"en_sentences": 2, "ru_sentences": 1, "divergences": {"only_en": 1}},
    )
    docs = {
        lang: models["Document"].objects.create(story=story, language=lang, text=text, file_name=f"{lang}.txt")
        for lang, text in (("en", en), ("ru", ru))
    }
    job = models["Job"].objects.create(story=story, status="done", stage="done", progress=1.0, attempts=1)
    pairs = [
        models["Pair"].objects.create(story=story, order=0, score=0.9, similarity=0.8),
        models["Pair"].objects.create(story=story, order=1, kinds="only_en"),
    ]
    sentences = [
        models["Sentence"].objects.create(
            document=docs[lang], pair=pair, language=lang, index=index, text=text[start:end], start=start, end=end
        )
        for lang, text, pair, index, start, end in (
            ("en", en, pairs[0], 0, 0, 17), ("en", en, pairs[1], 1, 18, len(en)), ("ru", ru, pairs[0], 0, 0, len(ru)),
        )
    ]
    divergence = models["Divergence"].objects.create(
        pair=pairs[1], kind="only_en", severity=0.6, reason="Only in English", en_spans=[[18, len(en)]],
        verdict="confirmed", note="Cut for space",
    )
    return {
        "Story": [story], "Document": list(docs.values()), "Job": [job], "Pair": pairs, "Sentence": sentences,
        "Divergence": [divergence],
    }


@pytest.mark.django_db(transaction=True)
def test_the_last_release_data_survives_every_migration_since():
    try:
        stored = fill(migrate(RELEASED))
    finally:
        migrate(latest())  # and should filling fail, the other tests still get today's schema

    for name, rows in stored.items():
        model = CURRENT[name]
        released = {f.attname for f in rows[0]._meta.concrete_fields}
        added = [f for f in model._meta.concrete_fields if f.attname not in released]
        for old in rows:
            new = model.objects.get(pk=old.pk)
            # What the release stored is unchanged ...
            assert {a: getattr(new, a) for a in released} == {a: getattr(old, a) for a in released}, name
            # ... and what came since stands at its default, or at what the migration computed from the row.
            computed = COMPUTED.get(name, {})
            defaults = {f.attname: computed[f.attname](new) if f.attname in computed else f.get_default()
                        for f in added}
            assert {a: getattr(new, a) for a in defaults} == defaults, name

    story = Story.objects.get()
    assert (story.translator, story.translation_skipped) == ("", "")
    assert set(Sentence.objects.values_list("translation", flat=True)) == {""}
    assert not Pair.objects.filter(manual=True).exists()
    divergence = Divergence.objects.get()
    assert (divergence.verdict, divergence.note) == ("confirmed", "Cut for space")
    assert (divergence.category, divergence.reviewed_by, divergence.reviewed_at) == ("", None, None)
    assert not Edit.objects.exists() and not AuditEntry.objects.exists()

    # Today's code reads the old rows: the API's alignment, as the release's pages showed it.
    alignment = load_results(story).alignment.to_dict()
    assert [(p["en"], p["ru"]) for p in alignment["pairs"]] == [([0], [0]), ([1], [])]
    assert alignment["pairs"][1]["divergences"][0]["spans"] == {"en": [[18, 34]], "ru": []}
    assert "translation" not in alignment["sentences"]["en"][0]


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # exits non-zero when one is missing
