"""Every sentence carries its furniture key (alignment.pipeline.recurring.furniture_key), so that a collection counts
its recurring lines in SQL, by key, rather than reading all of its sentences into Python. The sentences saved
before get theirs here."""

from django.db import migrations, models

from alignment.pipeline.recurring import furniture_key

BATCH = 2000


def fill(apps, schema_editor):
    Sentence = apps.get_model("alignment", "Sentence")
    last = 0
    # Batch by batch, by primary key: no cursor stays open over the rows being written (SQLite has no isolation
    # between the two on one connection).
    while batch := list(Sentence.objects.filter(pk__gt=last).only("pk", "text").order_by("pk")[:BATCH]):
        for sentence in batch:
            sentence.key = furniture_key(sentence.text)
        Sentence.objects.bulk_update(batch, ["key"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("alignment", "0016_share_links")]
    operations = [
        migrations.AddField(
            model_name="sentence",
            name="key",
            field=models.CharField(blank=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
