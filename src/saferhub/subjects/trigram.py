"""Trigram similarity on PostgreSQL (pg_trgm), when the extension is there (migration 0003).

Phonetic keys find names that sound alike; trigrams find the misspellings no key shares
("Smiht" for "Smith"), from a GIN index. On SQLite, or a PostgreSQL without the extension,
`available()` is False and the callers rely on the keys alone.
"""

from __future__ import annotations

from django.db import DEFAULT_DB_ALIAS, connections

# The tables and folded columns that carry a trigram index.
NAME = ("subjects_personname", "search_name")
PLACE_ADDRESS = ("subjects_place", "address_key")
PERSON_ADDRESS = ("subjects_personaddress", "address_key")
GROUP_NAME = ("subjects_group", "name")


def available(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether this database can answer trigram queries (checked once per connection)."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    cached = getattr(connection, "_saferhub_pg_trgm", None)
    if cached is None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            cached = cursor.fetchone() is not None
        connection._saferhub_pg_trgm = cached
    return cached


# Stricter thresholds tried first on the large tables: the index scan reads the same posting
# lists but hands far fewer rows to be rechecked (on a million names, 4,000 instead of 44,000
# for a full name).
STEPS = (0.5, 0.4)
STEPPED = {NAME, PLACE_ADDRESS, PERSON_ADDRESS}


def similar(
    column: tuple[str, str], value: str, *, limit: int = 50, using: str = DEFAULT_DB_ALIAS
) -> list[tuple[int, float]]:
    """(subject id, similarity 0..1) for rows whose `column` is trigram-similar to `value`
    (pg_trgm's `%` operator, which the GIN index answers), best first. [] when unavailable.

    On the large tables, asked first at the stricter `STEPS`: once one finds `limit` subjects
    they are the best `limit` at the session's own threshold too (every other subject scores
    lower), so the broad ask, the slow one on common names, is made only when it can add
    something. Ties in score are broken by subject id, so every ask gives the same answer."""
    if not value or not available(using):
        return []
    table, field = column
    key = "subject_id"
    sql = (
        f"SELECT {key}, MAX(similarity({field}, %s)) AS score FROM {table} "
        f"WHERE {field} %% %s GROUP BY {key} ORDER BY score DESC, {key} LIMIT %s"
    )
    connection = connections[using]
    with connection.cursor() as cursor:
        base = _base_threshold(connection, cursor)
        rows: list = []
        for threshold in [t for t in STEPS if t > base] if column in STEPPED else []:
            rows = _at_threshold(cursor, sql, [value, value, limit], threshold, base)
            if len(rows) >= limit:
                break
        if len(rows) < limit:
            cursor.execute(sql, [value, value, limit])
            rows = cursor.fetchall()
        return [(int(row[0]), float(row[1])) for row in rows]


def _base_threshold(connection, cursor) -> float:
    """The session's own threshold (pg_trgm's default unless configured), read once per
    connection: `_at_threshold` always puts it back."""
    cached = getattr(connection, "_saferhub_trgm_limit", None)
    if cached is None:
        cursor.execute("SELECT show_limit()")
        cached = connection._saferhub_trgm_limit = float(cursor.fetchone()[0])
    return cached


def _at_threshold(cursor, sql: str, params: list, threshold: float, base: float) -> list:
    """`sql` run at `threshold`, the session's threshold set and put back in the same round
    trip (three statements, one execute: psycopg's client-side binding allows it). Should the
    query fail, its transaction's rollback undoes the change too."""
    cursor.execute(f"SELECT set_limit(%s); {sql}; SELECT set_limit(%s)", [threshold, *params, base])
    raw = cursor.cursor  # the psycopg cursor under Django's wrapper: the second result
    raw.nextset()
    return raw.fetchall()
