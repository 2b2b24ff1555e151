"""PostgreSQL only: the pg_trgm extension and trigram indexes on folded names and addresses.

With them the similar-subject check and name search also find names that no phonetic key
shares ("Smiht" for "Smith"), by trigram similarity, from an index. Elsewhere (SQLite) this
migration does nothing; so it does on a PostgreSQL whose user may not create the extension:
the phonetic keys still work, and `trigram.available()` reports the extension is missing.
"""

from django.db import migrations

INDEXES = (
    ("subjects_personname_search_trgm", "subjects_personname", "search_name"),
    ("subjects_place_address_trgm", "subjects_place", "address_key"),
    ("subjects_personaddress_address_trgm", "subjects_personaddress", "address_key"),
    ("subjects_group_name_trgm", "subjects_group", "name"),
)


def create(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    from django.db import DatabaseError, transaction

    try:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DatabaseError:
        return  # not allowed to: the checks run on the phonetic keys alone
    with connection.cursor() as cursor:
        for name, table, column in INDEXES:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for name, _table, _column in INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("subjects", "0002_details")]

    operations = [migrations.RunPython(create, drop)]
