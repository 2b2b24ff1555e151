"""Trigram similarity on PostgreSQL (pg_trgm), when the extension is there (migration 0003).

Phonetic keys find names that sound alike; trigrams find the misspellings no key shares
("Smiht" for "Smith"), from a GIN index. On SQLite, or a PostgreSQL without the extension,
`available()` is False and the callers rely on the keys alone.

Person names are matched on `DistinctName` (each folded name once, migration 0004), not on
every name row: a million people carry about half as many distinct names, so the index hands
fewer rows to be rechecked, and the people are then found by equality on `search_name`.
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
    if column == NAME:
        return _similar_names(value, limit, using)
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


# Names are matched on their distinct folded values (`DistinctName`: at a million people half
# as many rows, fewer in each trigram's posting list), then the people carrying them found by
# equality on `search_name`'s own index. One statement gives every matching name with its
# score (subject NULL) and the carriers of the best `FIRST_BATCH` of them, ties included
# (score NULL): on all but the commonest names that is the whole answer, in one round trip.
DISTINCT_SQL = """
WITH m AS MATERIALIZED (
    SELECT text, similarity(text, %s) AS score FROM subjects_distinctname WHERE text %% %s
), r AS MATERIALIZED (SELECT text, score, rank() OVER (ORDER BY score DESC) AS k FROM m)
SELECT text, score, NULL::bigint FROM r
UNION ALL
SELECT p.search_name, NULL, p.subject_id
FROM r JOIN subjects_personname p ON p.search_name = r.text WHERE r.k <= %s
"""
CARRIERS_SQL = "SELECT search_name, subject_id FROM subjects_personname WHERE search_name = ANY(%s)"
FIRST_BATCH = 20


def _similar_names(value: str, limit: int, using: str) -> list[tuple[int, float]]:
    """`similar` for person names, with the same answer as matching `search_name` itself
    (subjects by their best name's score, ties by id), stepped the same way."""
    connection = connections[using]
    params = [value, value, FIRST_BATCH]
    with connection.cursor() as cursor:
        base = _base_threshold(connection, cursor)
        for threshold in [t for t in STEPS if t > base]:
            rows = _at_threshold(cursor, DISTINCT_SQL, params, threshold, base)
            found = _carriers(cursor, rows, limit)
            if len(found) >= limit:
                return found
        cursor.execute(DISTINCT_SQL, params)
        return _carriers(cursor, cursor.fetchall(), limit)


def _carriers(cursor, rows: list, limit: int) -> list[tuple[int, float]]:
    """The best `limit` (subject id, score) among the people carrying the names `rows` holds
    (`DISTINCT_SQL`'s answer), the names after the first batch looked up a batch at a time,
    each twice the last and ending where a tie in score does, until `limit` subjects are
    found. Exact: a subject first met in a batch scores there its best (its better names came
    earlier), and every name not yet looked up scores below every one that was."""
    names = sorted(((t, float(s)) for t, s, pk in rows if pk is None), key=lambda r: (-r[1], r[0]))
    carriers = [(t, pk) for t, s, pk in rows if pk is not None]
    best: dict[int, float] = {}
    start, size = 0, FIRST_BATCH
    while start < len(names) and len(best) < limit:
        end = _tie_end(names, min(start + size, len(names)))
        score_of = dict(names[start:end])
        if start:
            cursor.execute(CARRIERS_SQL, [list(score_of)])
            carriers = cursor.fetchall()
        for text, subject in carriers:
            score = score_of[text]
            if best.get(int(subject), -1.0) < score:
                best[int(subject)] = score
        start, size = end, size * 2
    return sorted(best.items(), key=lambda item: (-item[1], item[0]))[:limit]


def _tie_end(names: list[tuple[str, float]], end: int) -> int:
    """`end` moved past any names tied in score with the one before it."""
    while 0 < end < len(names) and names[end][1] == names[end - 1][1]:
        end += 1
    return end


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
