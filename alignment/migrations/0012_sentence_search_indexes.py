"""A collection's search (alignment.corpus.search) reads the sentences through PostgreSQL's to_tsvector, in the
configuration of each one's language. These GIN indexes hold that very expression, one per language, so that a
search reads only the sentences that match. PostgreSQL only: SQLite's word search is a scan whatever its indexes."""

from django.db import migrations

CONFIGS = (("en", "english"), ("ru", "russian"))  # as alignment.corpus.search


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, config in CONFIGS:
        # Exactly what SearchVector("text", config=...) compiles to, or the planner would not use it.
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS sentence_search_{language} ON alignment_sentence "
            f"USING gin (to_tsvector('{config}'::regconfig, COALESCE(text, ''::text))) WHERE language = '{language}'"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for language, _ in CONFIGS:
        schema_editor.execute(f"DROP INDEX IF EXISTS sentence_search_{language}")


class Migration(migrations.Migration):
    dependencies = [("alignment", "0011_collections")]
    operations = [migrations.RunPython(create, drop, elidable=False)]
