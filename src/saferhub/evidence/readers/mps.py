"""MPS "Recorded Crime: Geographic Breakdown": wide files, one integer column per month.

Borough, ward and LSOA files differ only in their identifying columns, which publishers
spell differently from one release to the next; they are matched by role, not position.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..errors import EvidenceError
from ..formats import MONTH_COLUMN, read_csv_header
from ..gazetteer import Gazetteer
from ..names import header_key, name_key
from . import Staged

ROLES: dict[str, tuple[str, ...]] = {
    "major": ("majortext", "majorcategory", "major"),
    "minor": ("minortext", "minorcategory", "minor"),
    "borough": ("boroughname", "borough", "lookupboroughname"),
    "borough_code": ("boroughcode", "lookupboroughcode", "boroughgsscode"),
    "ward_name": ("wardname",),
    "ward_code": ("wardcode",),
    "lsoa_code": ("lsoacode",),
    "lsoa_name": ("lsoaname",),
}
REQUIRED = ("major", "minor")
LABELS = {
    "major": "major category",
    "minor": "minor category",
    "borough": "borough",
    "borough_code": "borough code",
    "ward_code": "ward code",
    "lsoa_code": "LSOA code",
}


def q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def match_columns(header: list[str], path: Path) -> tuple[dict[str, str], list[str]]:
    """Map roles to the file's column names and list the month columns, or explain why not."""
    roles: dict[str, str] = {}
    months: list[str] = []
    for column in header:
        name = column.strip()
        if MONTH_COLUMN.match(name):
            if not 1 <= int(name[4:]) <= 12:
                raise EvidenceError(f"{path}: column {name!r} is not a month (expected YYYYMM)")
            if name in months:
                raise EvidenceError(f"{path}: month column {name} appears twice")
            months.append(column)
            continue
        key = header_key(name)
        for role, synonyms in ROLES.items():
            if key in synonyms:
                if role == "borough" and role in roles and "borough_2" not in roles:
                    # "Borough" beside "Borough Name": which holds codes is read from the data.
                    roles["borough_2"] = column
                    continue
                if role in roles:
                    raise EvidenceError(
                        f"{path}: columns {roles[role]!r} and {column!r} both look like the "
                        f"{role.replace('_', ' ')} column; keep one"
                    )
                roles[role] = column
    missing = [r for r in REQUIRED if r not in roles]
    if "borough" not in roles and "borough_code" not in roles:
        missing.append("borough")
    if missing:
        wanted = "; ".join(
            f"{r}: one of {', '.join(ROLES[r] + (ROLES['borough_code'] if r == 'borough' else ()))}"
            for r in missing
        )
        raise EvidenceError(f"{path}: missing column(s) ({wanted}); found {', '.join(header)}")
    if not months:
        raise EvidenceError(f"{path}: no month columns named YYYYMM")
    return roles, months


def _source_relation(path: Path, parquet: bool, text_columns: list[str] | None) -> str:
    """SQL reading the file. CSV month columns are typed by scanning the whole file, so a
    clean file needs no per-cell text checks; `text_columns=None` reads every column as text
    (the fallback when typing fails)."""
    literal = "'" + str(path).replace("'", "''") + "'"
    if parquet:
        return f"read_parquet({literal})"
    options = (
        "header = true, delim = ',', quote = '\"', escape = '\"', strict_mode = true, "
        "null_padding = false"
    )
    if text_columns is None:
        return f"read_csv({literal}, {options}, all_varchar = true)"
    types = ", ".join(f"{_sql_string(c)}: 'VARCHAR'" for c in text_columns)
    return f"read_csv({literal}, {options}, sample_size = -1, types = {{{types}}})"


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def stage(con: duckdb.DuckDBPyConnection, path: Path) -> Staged:
    parquet = path.open("rb").read(4) == b"PAR1"
    try:
        if parquet:
            relation = _source_relation(path, parquet, [])
            header = [r[0] for r in con.execute(f"describe select * from {relation}").fetchall()]
        else:
            header = read_csv_header(path)
        roles, months = match_columns(header, path)
    except duckdb.Error as exc:
        raise EvidenceError(f"{path}: cannot read as MPS recorded crime: {exc}") from exc
    # Row numbers as a person counts them in the file: the header is row 1 in a CSV.
    first_row = 1 if parquet else 2
    ids = ", ".join(f"trim(cast({q(col)} as varchar)) as {role}" for role, col in roles.items())
    counts = ", ".join(f"{q(m)} as {q('m' + m.strip())}" for m in months)
    text_columns = [c for c in header if c not in months]
    for attempt in (text_columns, None):
        relation = _source_relation(path, parquet, attempt)
        try:
            con.execute(
                f"""create or replace temp table mps_raw as
                    select row_number() over () + {first_row - 1} as _row, {ids}, {counts}
                    from {relation}"""
            )
            break
        except duckdb.Error as exc:
            if attempt is None or parquet:
                raise EvidenceError(f"{path}: cannot read as MPS recorded crime: {exc}") from exc

    if "borough_2" in roles:
        _split_borough_columns(con, path, roles)
    level = "ward" if "ward_code" in roles else "lsoa" if "lsoa_code" in roles else "borough"
    month_cols = ["m" + m.strip() for m in months]
    types = dict(con.execute("select column_name, column_type from (describe mps_raw)").fetchall())
    as_int = {c: _as_bigint(c, types[c]) for c in month_cols}
    # A GSS code column, when there is one, identifies the borough; its name is only shown.
    key = "borough_code" if "borough_code" in roles else "borough"
    _validate(con, path, level, as_int, roles, key)
    gazetteer = Gazetteer.load(con)
    if key == "borough_code" and "borough" in roles:
        pairs = con.execute(
            "select borough_code, any_value(borough) from mps_raw group by 1"
        ).fetchall()
        gazetteer.register_pairs(con, pairs)
    else:
        boroughs = [r[0] for r in con.execute(f"select distinct {key} from mps_raw").fetchall()]
        gazetteer.register_lookup(con, boroughs)
    notes = _lsoas_in_two_boroughs(con, key, "lsoa_name" in roles) if level == "lsoa" else []
    area_code, area_name = {
        "borough": ("g.code", "g.name"),
        "ward": (
            "r.ward_code",
            "coalesce(r.ward_name, r.ward_code)" if "ward_name" in roles else "r.ward_code",
        ),
        "lsoa": (
            "r.lsoa_code",
            "coalesce(r.lsoa_name, r.lsoa_code)" if "lsoa_name" in roles else "r.lsoa_code",
        ),
    }[level]
    con.execute("create or replace temp table mps_months (month_col varchar, month date)")
    con.executemany(
        "insert into mps_months values (?, make_date(?, ?, 1))",
        [(c, int(c[1:5]), int(c[5:7])) for c in month_cols],
    )
    typed = ", ".join(f"cast({as_int[c]} as integer) as {q(c)}" for c in month_cols)
    # Resolve names and cast on the wide table (one row per area and category), then unpivot:
    # string work on thousands of rows instead of millions.
    con.execute(
        f"""create or replace temp view staged_offences as
            select 'mps-{level}' as source, '{level}' as area_type, area_code, area_name,
                   borough_code, borough_name, m.month, major, minor, count
            from (unpivot (select {area_code} as area_code, {area_name} as area_name,
                                  g.code as borough_code, g.name as borough_name,
                                  upper(r.major) as major, upper(r.minor) as minor, {typed}
                           from mps_raw r join borough_lookup g on g.value = r.{key})
                  on {", ".join(q(c) for c in month_cols)}
                  into name month_col value count) l
            join mps_months m using (month_col)"""
    )
    rows = con.execute("select count(*) from mps_raw").fetchone()[0]
    labels = sorted(f"{m.strip()[:4]}-{m.strip()[4:]}" for m in months)
    return Staged(
        kind=f"mps-{level}",
        table="offences",
        rows=rows,
        months=labels,
        replace_on=("source", "borough_name", "month"),
        notes=notes,
    )


def _lsoas_in_two_boroughs(con: duckdb.DuckDBPyConnection, key: str, named: bool) -> list[str]:
    """An LSOA lies in one borough. One listed under two (or more) is kept under one, so no
    borough total counts it twice: the borough its name begins with (LSOA names are the
    borough's name and a number, "Alderby 001A"), else the one it is listed under first.
    Its rows under the others are left out, with a warning naming the LSOA and the boroughs."""
    name = "any_value(r.lsoa_name)" if named else "null"
    rows = con.execute(
        f"""select r.lsoa_code, {name}, r.{key}, any_value(g.name), min(r._row), count(*)
            from mps_raw r join borough_lookup g on g.value = r.{key}
            where r.lsoa_code in (
                select r2.lsoa_code from mps_raw r2 join borough_lookup g2 on g2.value = r2.{key}
                group by 1 having count(distinct coalesce(g2.code, g2.value)) > 1)
            group by r.lsoa_code, r.{key}
            order by r.lsoa_code, min(r._row)"""
    ).fetchall()
    listed: dict[str, list[tuple]] = {}
    for code, lsoa_name, value, borough, first, count in rows:
        listed.setdefault(code, []).append((lsoa_name, value, borough, first, count))
    warnings = []
    for code, entries in listed.items():
        lsoa_name = next((e[0] for e in entries if e[0]), None)
        by_name = [
            e for e in entries if lsoa_name and name_key(lsoa_name).startswith(name_key(e[2]))
        ]
        kept = by_name[0] if len(by_name) == 1 else entries[0]
        why = "its name begins with it" if len(by_name) == 1 else "it is listed there first"
        dropped = [e for e in entries if e[1] != kept[1]]
        con.execute(
            f"delete from mps_raw where lsoa_code = ? and list_contains(?, {key})",
            [code, [e[1] for e in dropped]],
        )
        shown = f"{code} ({lsoa_name})" if lsoa_name else code
        left_out = "; ".join(
            f"{e[4]} row{'s' if e[4] != 1 else ''} under {e[2]} from row {e[3]}" for e in dropped
        )
        warnings.append(
            f"warning: LSOA {shown} is listed under two boroughs, "
            f"{' and '.join(e[2] for e in entries)}: counted in {kept[2]} only ({why}); "
            f"left out: {left_out}"
        )
    return warnings


GSS = "[A-Za-z][0-9]{8}"


def _split_borough_columns(con: duckdb.DuckDBPyConnection, path: Path, roles: dict) -> None:
    """Two columns both named like the borough (e.g. `Borough` and `Borough Name`): the one
    holding nothing but GSS codes becomes the borough code column."""
    coded = [
        role
        for role in ("borough", "borough_2")
        if con.execute(
            f"select count(*) = count(*) filter (where {role} is null or {role} = '' "
            f"or regexp_full_match({role}, '{GSS}')) from mps_raw"
        ).fetchone()[0]
    ]
    if len(coded) != 1 or "borough_code" in roles:
        raise EvidenceError(
            f"{path}: columns {roles['borough']!r} and {roles['borough_2']!r} both look like the "
            "borough column; keep one (or name one BoroughCode, holding GSS codes)"
        )
    name_role = "borough_2" if coded[0] == "borough" else "borough"
    con.execute("alter table mps_raw rename column borough to borough_1")
    code_col, name_col = (
        ("borough_1", "borough_2") if coded[0] == "borough" else ("borough_2", "borough_1")
    )
    con.execute(f"alter table mps_raw rename column {code_col} to borough_code")
    con.execute(f"alter table mps_raw rename column {name_col} to borough")
    columns = {"borough": roles["borough"], "borough_2": roles["borough_2"]}
    roles["borough_code"] = columns[coded[0]]
    roles["borough"] = columns[name_role]
    del roles["borough_2"]


INTEGER_TYPES = {
    "TINYINT",
    "SMALLINT",
    "INTEGER",
    "BIGINT",
    "UTINYINT",
    "USMALLINT",
    "UINTEGER",
    "UBIGINT",
    "HUGEINT",
}


def _as_bigint(column: str, data_type: str) -> str:
    """SQL for a month column as BIGINT, NULL where it is not a whole number.

    Text must be digits only: DuckDB would otherwise round '1.5' to 2 without a word.
    """
    col = q(column)
    if data_type in INTEGER_TYPES:
        return f"cast({col} as bigint)"
    if data_type in ("FLOAT", "DOUBLE") or data_type.startswith("DECIMAL"):
        return f"case when {col} = trunc({col}) then cast({col} as bigint) end"
    text = f"trim(cast({col} as varchar))"
    return f"case when regexp_full_match({text}, '[0-9]{{1,10}}') then cast({text} as bigint) end"


def _validate(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    level: str,
    as_int: dict[str, str],
    roles: dict[str, str],
    key: str,
) -> None:
    """Check every count on the wide table (one pass), then name the first bad cell."""
    checks = [
        f"min(_row) filter (where {v} is null or {v} < 0 or {v} > 2147483647)"
        for v in as_int.values()
    ]
    firsts = con.execute(f"select {', '.join(checks)} from mps_raw").fetchone()
    bad = [(row, column) for row, column in zip(firsts, as_int, strict=True) if row]
    if bad:
        row, column = min(bad)
        raw = con.execute(f"select {q(column)} from mps_raw where _row = ?", [row]).fetchone()[0]
        found = "a blank" if raw is None or not str(raw).strip() else repr(str(raw))
        raise EvidenceError(
            f"{path}: row {row}, column {column[1:]}: expected a whole number of offences "
            f"(0 or more), found {found}"
        )
    area_role = {"borough": [], "ward": ["ward_code"], "lsoa": ["lsoa_code"]}[level]
    needed = ["major", "minor", key, *area_role]
    firsts = con.execute(
        "select "
        + ", ".join(f"min(_row) filter (where coalesce({r}, '') = '')" for r in needed)
        + " from mps_raw"
    ).fetchone()
    blanks = [(row, role) for row, role in zip(firsts, needed, strict=True) if row]
    if blanks:
        row, role = min(blanks)
        expected = {
            "borough_code": "a GSS code such as E09000015",
            "borough": "a borough name or GSS code",
        }.get(role, "a value")
        raise EvidenceError(
            f"{path}: row {row}, column {roles[role]!r}: blank {LABELS[role]}; expected {expected}"
        )
    area = {"borough": key, "ward": f"{key}, ward_code", "lsoa": f"{key}, lsoa_code"}
    dup = con.execute(
        f"""select min(_row), max(_row), concat_ws(' in ', {area[level]}), major, minor
            from mps_raw group by {area[level]}, major, minor having count(*) > 1
            order by 1 limit 1"""
    ).fetchone()
    if dup:
        raise EvidenceError(
            f"{path}: rows {dup[0]} and {dup[1]} both hold {dup[3]} / {dup[4]} for {dup[2]}; "
            "each area and category may appear once"
        )
