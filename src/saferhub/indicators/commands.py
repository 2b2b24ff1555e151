"""`saferhub indicators …`: list, refresh from the evidence store, import a youth justice
extract, and export. Each command writes the audit log like the site (actor: the command
line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click

from ..commandline import django_setup, fail, write_output


@click.group()
def indicators() -> None:
    """Indicators and targets."""


@indicators.command("list")
@click.option("--as-at", type=click.DateTime(["%Y-%m-%d"]), help="As it stood that day.")
def list_(as_at) -> None:
    """Every active indicator's latest value, target and RAG, tab-separated."""
    django_setup()
    from .status import active_statuses
    from .targets import describe, display

    for s in active_statuses(as_at=as_at.date() if as_at else None):
        i, p = s.indicator, s.latest
        click.echo(
            "\t".join(
                [
                    i.code,
                    i.name,
                    p.period if p else "no value yet",
                    display(p.value, i.unit) if p else "–",
                    display(p.target, i.unit)
                    if p and p.target is not None
                    else describe(i.target_spec),
                    (p.rag or "Not rated") if p else "Not rated",
                    "provisional" if p and p.provisional else "",
                ]
            )
        )


@indicators.command()
@click.pass_obj
def refresh(obj: dict) -> None:
    """Recompute the evidence indicators from the evidence store."""
    from ..evidence import Evidence, EvidenceError, Store, load_taxonomy

    django_setup()
    from .services import refresh_evidence

    try:
        with Store(obj["store"], read_only=True) as store:
            result = refresh_evidence(Evidence(store, load_taxonomy(obj["taxonomy"])))
    except EvidenceError as exc:
        fail(str(exc))
    click.echo(
        f"refreshed {result.indicators} evidence indicators "
        f"({result.values_changed} values changed)"
    )
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)


@indicators.command("import-youth-justice")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--area", default="", help="The service's area name or GSS code (populations).")
@click.option(
    "--population",
    "populations",
    multiple=True,
    help="A 10–17 population as YEAR=N (repeatable); wins over the evidence store's.",
)
@click.option("--as-at", type=click.DateTime(["%Y-%m-%d"]), help="The extract's date (today).")
@click.pass_obj
def import_youth_justice(obj: dict, path: Path, area: str, populations, as_at) -> None:
    """Compute the youth justice indicators from a case-level extract (CSV or XLSX). The
    rows are read and discarded; only the figures are kept. Any bad row stops the import
    and every problem is listed."""
    from django.core.exceptions import ValidationError

    django_setup()
    from .extract import ExtractError, read_extract_bytes
    from .forms import parse_populations
    from .services import IndicatorError, import_youth_justice, store_populations

    day = as_at.date() if as_at else date.today()
    try:
        given = parse_populations("\n".join(populations))
    except ValidationError as exc:
        fail(f"--population: {exc.messages[0]}")
    if not path.is_file():
        fail(f"{path}: no such file")
    data = path.read_bytes()
    try:
        outcomes = read_extract_bytes(data, path.name, today=day)
        extract = import_youth_justice(
            outcomes,
            data=data,
            file_name=path.name,
            area=area,
            populations={**store_populations(obj["store"], area), **given},
            as_at=day,
        )
    except ExtractError as exc:
        click.echo(f"error: {path.name}: nothing imported", err=True)
        for problem in exc.listed + exc.summary():
            click.echo(f"  {problem}", err=True)
        raise SystemExit(2) from None
    except IndicatorError as exc:
        fail(str(exc))
    click.echo(
        f"imported {extract.rows} rows ({extract.people} children) from {path.name}; "
        "youth justice indicators recomputed"
    )


@indicators.command()
@click.option("--output", required=True, type=click.Path(path_type=Path), help="FILE.csv/.xlsx")
def export(output: Path) -> None:
    """Every active indicator's latest value against target."""
    django_setup()
    from ..audit.log import record
    from . import exporting
    from .status import active_statuses

    fmt = output.suffix.lower()[1:]
    if fmt not in exporting.CONTENT_TYPES:
        fail(f"{output}: the file must end .csv or .xlsx")
    rows = exporting.dashboard_rows(active_statuses())
    write_output(output, exporting.render(fmt, "Indicators", exporting.DASHBOARD_COLUMNS, rows))
    record(
        action="export", object_type="indicators.dashboard", changes={"format": fmt, "by": "cli"}
    )


def refresh_after_ingest(store_path: Path, taxonomy_path: Path | None) -> None:
    """Evidence indicators follow the data: after a load into the site's own store, recompute
    them, when the site's database holds any. A load into another store changes nothing."""
    from ..evidence import Evidence, Store, default_store_path, load_taxonomy

    if Path(store_path).resolve() != default_store_path().resolve():
        return
    django_setup()
    from django.conf import settings
    from django.db import connection

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not Path(database["NAME"]).exists():
        return
    if "indicators_indicator" not in connection.introspection.table_names():
        return
    from .services import refresh_evidence

    with Store(store_path, read_only=True) as store:
        result = refresh_evidence(Evidence(store, load_taxonomy(taxonomy_path)))
    if result.indicators or result.problems:
        click.echo(
            f"refreshed {result.indicators} evidence indicators "
            f"({result.values_changed} values changed)"
        )
    for problem in result.problems:
        click.echo(f"warning: {problem}", err=True)
