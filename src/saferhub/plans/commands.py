"""`saferhub plan …`: import, list, export, health check, board report and rollover from the
command line. Each command configures Django itself and writes the audit log like the site
(the actor is recorded as the command line)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from django.utils import timezone

from ..commandline import django_setup as _django
from ..commandline import fail as _fail
from ..commandline import write_output as _write


def _strategy(pk: int):
    from .convert import strategy_queryset

    strategy = strategy_queryset().filter(pk=pk).first()
    if strategy is None:
        _fail(f"no plan with id {pk}: `saferhub plan list` shows the plans")
    return strategy


def _audit(action: str, strategy, **changes) -> None:
    """Reads and exports from the command line are recorded like the site's, by "cli"."""
    from ..audit.log import record

    record(action=action, obj=strategy, changes={**changes, "by": "cli"})


@click.group()
def plan() -> None:
    """Strategies and delivery plans."""


@plan.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", help="The plan's title (default: the file's title).")
@click.option("--starts", type=click.DateTime(["%Y-%m-%d"]), help="First day, YYYY-MM-DD.")
@click.option("--ends", type=click.DateTime(["%Y-%m-%d"]), help="Last day, YYYY-MM-DD.")
@click.option("--dry-run", is_flag=True, help="Show what would be imported; store nothing.")
def import_(path: Path, title, starts, ends, dry_run: bool) -> None:
    """Import a plan from Word (.docx), Excel (.xlsx) or CSV. Any unreadable row stops the
    import, and every such row is listed."""
    _django()
    from . import convert, importing, services
    from .directory import Directory

    directory = Directory.load()
    agencies = directory.agency_names()
    starts, ends = (starts.date() if starts else None), (ends.date() if ends else None)
    for name, day in (("--starts", starts), ("--ends", ends)):
        years = importing.PERIOD_YEARS
        if day and day.year not in years:
            _fail(f"{name}: expected a day in the years {years[0]} to {years[-1]}; found {day}")
    try:
        plan, problems = importing.read_plan(
            path, agencies=agencies, title=title, starts=starts, ends=ends
        )
    except importing.PlanFileError as exc:
        _fail(str(exc))
    plan.starts = starts or plan.starts
    plan.ends = ends or plan.ends
    plan.warnings += directory.relink(plan, path.name)
    problems += convert.size_problems(plan, path.name)
    problems += convert.length_problems(plan, path.name)
    problems += importing.missing_period(plan, path.name, "give --starts and --ends")
    for warning in plan.warnings:
        click.echo(f"note: {warning}", err=True)
    for problem in problems:
        click.echo(f"cannot read {problem}", err=True)
    if problems:
        _fail(f"{len(problems)} problems in {path.name}: nothing imported")
    click.echo(
        f"{plan.title}: {len(plan.objectives)} objectives, "
        f"{sum(len(o.measures) for o in plan.objectives)} measures, "
        f"{len(plan.actions())} actions, "
        f"{sum(len(a.updates) for _, a in plan.actions())} updates"
    )
    if dry_run:
        click.echo("dry run: nothing stored")
        return
    try:
        strategy = services.import_plan(plan, source=path.name)
    except services.PlanError as exc:
        _fail(f"{exc}: give --starts and --ends")
    click.echo(f"imported as plan {strategy.pk}")


@plan.command("list")
def list_() -> None:
    """The stored plans."""
    _django()
    from .models import Strategy

    for s in Strategy.objects.all():
        click.echo(f"{s.pk}\t{s.title}\t{s.starts} to {s.ends}\t{s.get_status_display()}")


@plan.command()
@click.argument("pk", type=int)
@click.option(
    "--output",
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.docx, FILE.xlsx or FILE.csv.",
)
def export(pk: int, output: Path) -> None:
    """Write the plan in the layout partners edit."""
    _django()
    from . import convert, exporting

    fmt = output.suffix.lower()[1:]
    if fmt not in exporting.FORMATS:
        _fail(f"{output}: the file must end .docx, .xlsx or .csv")
    strategy = _strategy(pk)
    _write(output, exporting.FORMATS[fmt][0](convert.to_draft(strategy)))
    _audit("export", strategy, format=output.suffix[1:])


@plan.command()
@click.argument("pk", type=int)
@click.option(
    "--as-at",
    type=click.DateTime(["%Y-%m-%d"]),
    help="Check as at (default today, or the plan's last day once its year has ended).",
)
def health(pk: int, as_at) -> None:
    """List the plan health check's findings; exit 1 when there are any."""
    _django()
    from . import convert
    from . import health as checks

    strategy = _strategy(pk)
    plan = convert.to_draft(strategy)
    when, findings = checks.check_as_at(
        plan, today=timezone.localdate(), asked=as_at.date() if as_at else None
    )
    _audit("view", strategy, health_check=len(findings))
    click.echo(f"{plan.title}: {when.sentence}")
    for f in findings:
        click.echo(f"{f.title}\t{f.objective}\t{f.text[:70]}\t{f.detail}")
    click.echo(f"{len(findings)} findings")
    sys.exit(1 if findings else 0)


@plan.command()
@click.argument("pk", type=int)
@click.option(
    "--output",
    "outputs",
    required=True,
    multiple=True,
    type=click.Path(path_type=Path),
    help="FILE.html or FILE.pdf; may be repeated.",
)
@click.option("--as-at", type=click.DateTime(["%Y-%m-%d"]), help="Report as at (default today).")
def report(pk: int, outputs: tuple[Path, ...], as_at) -> None:
    """The quarterly board report on the plan, as HTML and/or PDF."""
    _django()
    from ..indicators.status import active_statuses
    from ..reports.board_report import render_board_html, render_board_pdf
    from . import board, convert

    bad = [o for o in outputs if o.suffix.lower() not in (".html", ".pdf")]
    if bad:
        _fail(f"{bad[0]}: the board report is written as .html or .pdf")
    strategy = _strategy(pk)
    day = as_at.date() if as_at else timezone.localdate()
    built = board.build(
        convert.to_draft(strategy), as_at=day, indicators=active_statuses(as_at=day)
    )
    for output in outputs:
        if output.suffix.lower() == ".pdf":
            _write(output, render_board_pdf(built))
        else:
            _write(output, render_board_html(built).encode("utf-8"))
        _audit("export", strategy, board_report=output.suffix[1:])


@plan.command()
@click.argument("pk", type=int)
def rollover(pk: int) -> None:
    """Create next year's plan from this one's year-end dispositions."""
    _django()
    from . import services

    try:
        new = services.rollover(_strategy(pk))
    except services.PlanError as exc:
        _fail(str(exc))
    click.echo(f"rolled over to plan {new.pk}: {new.title}")
