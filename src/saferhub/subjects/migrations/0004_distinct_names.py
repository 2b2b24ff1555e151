"""Distinct folded names, for trigram matching on far fewer rows than the names themselves.

`DistinctName` holds each distinct `PersonName.search_name` once; `trigram.similar` matches
on it, then finds the names by equality on `search_name`'s own index. The backfill is one
set-based INSERT ... SELECT DISTINCT (it skips values already there, so running it twice is
harmless); on PostgreSQL with pg_trgm (migration 0003) the GIN trigram index is made after
it, which is quicker than keeping the index up to date row by row.
"""

from django.db import migrations, models

INDEX = "subjects_distinctname_text_trgm"


def backfill(apps, schema_editor):
    connection = schema_editor.connection
    insert = "INSERT OR IGNORE INTO" if connection.vendor == "sqlite" else "INSERT INTO"
    conflict = " ON CONFLICT (text) DO NOTHING" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"{insert} subjects_distinctname (text) "
            f"SELECT DISTINCT search_name FROM subjects_personname{conflict}"
        )
        if connection.vendor != "postgresql":
            return
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        if cursor.fetchone() is None:
            return  # no pg_trgm: the checks run on the phonetic keys alone
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON subjects_distinctname "
            "USING gin (text gin_trgm_ops)"
        )


def drop_index(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0003_trigram_indexes")]

    operations = [
        migrations.CreateModel(
            name="DistinctName",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("text", models.CharField(max_length=210, unique=True)),
            ],
        ),
        migrations.RunPython(backfill, drop_index),
    ]
