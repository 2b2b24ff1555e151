"""Plain renderings of an assessment for the command line: a text table, JSON and CSV.

They read the assessment dictionary only; no figure is computed here.
"""

from __future__ import annotations

import csv
import io
import json
import os
from pathlib import Path

from .errors import EvidenceError

CSV_FIELDS = (
    "table",
    "area_code",
    "area_name",
    "category",
    "count",
    "previous",
    "change",
    "change_pct",
    "rate",
    "previous_rate",
    "rate_change",
    "london_rank_by_count",
    "london_rank_by_rate",
    "rank_by_count",
)


def fmt(value: object, places: int | None = None) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and places is not None:
        return f"{value:,.{places}f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def signed(value: int | float | None, places: int = 0, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:+,.{places}f}{suffix}"


def _grid(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [
        max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)
    ]
    line = "  ".join(
        h.ljust(w) if i == 0 else h.rjust(w)
        for i, (h, w) in enumerate(zip(headers, widths, strict=True))
    )
    out = [line, "-" * len(line)]
    for row in rows:
        out.append(
            "  ".join(
                c.ljust(w) if i == 0 else c.rjust(w)
                for i, (c, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return out


def render_table(a: dict) -> str:
    area, period, prev = a["area"], a["period"], a["previous_period"]
    lines = [
        f"Strategic assessment: {area['name']} ({area['code'] or area['type']})",
        f"Period {period['label']} ({period['start']}..{period['end']})"
        + (f" against {prev['start']}..{prev['end']}" if prev else ""),
        f"Population {fmt(a['population']['value'])} ({a['population']['year']}); "
        f"rates {a['rate_basis']}",
        "",
    ]
    rank_n = a["ranked_boroughs"]
    lines += _grid(
        [
            "Category",
            "Count",
            "Previous",
            "Change",
            "Change %",
            "Rate",
            "Prev rate",
            f"Rank/{rank_n} count",
            f"Rank/{rank_n} rate",
        ],
        [
            [
                c["label"],
                fmt(c["count"]),
                fmt(c["previous"]),
                signed(c["change"]),
                signed(c["change_pct"], 1, "%"),
                fmt(c["rate"], 2),
                fmt(c["previous_rate"], 2),
                fmt(c["london_rank_by_count"]),
                fmt(c["london_rank_by_rate"]),
            ]
            for c in a["categories"]
        ],
    )
    lines += ["", "Rank 1 = lowest in London.", ""]
    total = a["categories"][0]["key"]
    lines.append(f"Comparators: {a['categories'][0]['label']}")
    lines += _grid(
        ["Area", "Count", "Previous", "Change %", "Rate", "Prev rate", "Rate change"],
        [
            [
                c["name"],
                fmt(c["categories"][total]["count"]),
                fmt(c["categories"][total]["previous"]),
                signed(c["categories"][total]["change_pct"], 1, "%"),
                fmt(c["categories"][total]["rate"], 2),
                fmt(c["categories"][total]["previous_rate"], 2),
                signed(c["categories"][total]["rate_change"], 2),
            ]
            for c in a["comparators"]
        ],
    )
    for table, title in (("wards", "Wards"), ("lsoas", "LSOAs")):
        rows = a.get(table) or []
        if not rows:
            continue
        names = {w["code"]: w for w in rows}
        marks = a[f"{table[:-1]}_highlights"][total]
        lines += ["", f"{title} ({len(rows)}): {a['categories'][0]['label']}"]
        for heading, field in (
            ("Highest", "highest"),
            ("Lowest", "lowest"),
            ("Biggest rises", "rises"),
            ("Biggest falls", "falls"),
        ):
            items = ", ".join(
                f"{names[code]['name']} {fmt(names[code]['categories'][total]['count'])}"
                f" ({signed(names[code]['categories'][total]['change'])})"
                for code in marks[field]
            )
            lines.append(f"  {heading}: {items or 'none'}")
    first = a["categories"][0]
    lines += [
        "",
        f"Monthly {first['label']}: average {fmt(first['monthly_average'], 1)}; "
        f"above average in {', '.join(first['months_above_average']) or 'no month'}",
    ]
    for note in a["notes"]:
        lines.append(f"Note: {note}")
    return "\n".join(lines) + "\n"


def render_json(a: dict) -> str:
    return json.dumps(a, indent=2, ensure_ascii=False) + "\n"


def render_csv(a: dict) -> str:
    """One tidy table: the subject's categories, the comparator, ward and LSOA tables."""
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_FIELDS, extrasaction="ignore", lineterminator="\n"
    )
    writer.writeheader()
    for c in a["categories"]:
        writer.writerow(
            {
                "table": "area",
                "area_code": a["area"]["code"],
                "area_name": a["area"]["name"],
                "category": c["key"],
                **c,
            }
        )
    for comp in a["comparators"]:
        for key, figures in comp["categories"].items():
            writer.writerow(
                {
                    "table": "comparator",
                    "area_code": comp["code"],
                    "area_name": comp["name"],
                    "category": key,
                    **figures,
                }
            )
    for table, rows in (("ward", a["wards"]), ("lsoa", a.get("lsoas") or [])):
        for row in rows:
            for key, figures in row["categories"].items():
                writer.writerow(
                    {
                        "table": table,
                        "area_code": row["code"],
                        "area_name": row["name"],
                        "category": key,
                        **figures,
                    }
                )
    return buffer.getvalue()


RENDERERS = {"table": render_table, "json": render_json, "csv": render_csv}


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write the whole file or nothing: a failed write never leaves half a report behind."""
    import tempfile  # only when writing a file

    data = content.encode("utf-8") if isinstance(content, str) else content
    directory = path.parent if str(path.parent) else Path(".")
    try:
        handle, tmp = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise EvidenceError(f"cannot write {path}: {exc.strerror}") from exc
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; give the file normal permissions
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EvidenceError(f"cannot write {path}: {exc.strerror}") from exc
