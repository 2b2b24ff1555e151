"""`saferhub casework import FILE --as EMAIL [--map ...] [--default ...] [--dry-run]`.

The command line does what the import page does, for the practitioner named by `--as` (the
cases are led by their agency, and every record and audit entry is theirs, with "via": "cli"
on the import's entries): read the file, print the column map, every problem by row and
column, the similar records with the choice proposed for each row, and what would be made;
then, unless `--dry-run` or a problem, import it all in one transaction.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ...commandline import django_setup as _django
from ...commandline import fail as _fail

CHUNK = 500


def policy_sight(user):
    """The sharing policy's answer for a preview's similar records: which the user sees in
    full and may use (put on a case: `sharing.holding.attachable`, which the import's
    `add_subject` asks again), and the locked view of the others (name, business areas,
    agencies). A record seen through a narrow grant is neither: offered as usable, the
    import would refuse it at the confirmation."""
    from ...sharing import holding, policy

    def sight(subjects):
        visible: set[int] = set()
        locked: dict = {}
        for start in range(0, len(subjects), CHUNK):
            part = subjects[start : start + CHUNK]
            seen = set(
                policy.visible_subjects(user)
                .filter(pk__in=[s.pk for s in part])
                .values_list("pk", flat=True)
            )
            visible |= {s.pk for s in part if s.pk in seen and holding.attachable(user, s)}
            locked |= {k: x for k, x in policy.locked_views(user, part).items() if x is not None}
        return visible, locked

    return sight


def _pairs(text: str, what: str) -> dict[str, str]:
    out = {}
    for part in (p for p in text.split(",") if p.strip()):
        name, sep, value = part.partition("=")
        if not sep:
            _fail(f"{what}: write each as name=value (found “{part.strip()}”)")
        out[name.strip()] = value.strip()
    return out


def describe_choice(choice: str) -> str:
    kind, _, value = choice.partition(":")
    if kind == "existing":
        return f"use record {value}"
    if kind == "row":
        return f"the same record as row {value}"
    return "a new record"


@click.group()
def casework() -> None:
    """Casework: people, places, vehicles, groups and cases."""


@casework.command("import")
@click.argument("path", type=click.Path(path_type=Path))
@click.option(
    "--as",
    "email",
    required=True,
    help="The practitioner importing, by email: the cases are led by their agency.",
)
@click.option(
    "--map",
    "mapping",
    default="",
    help="Heading=field pairs, comma separated (e.g. 'Nominal=name,Cohort=IOM cohort,Ward=');"
    " an empty field leaves the column out.",
)
@click.option(
    "--default",
    "defaults",
    default="",
    help="For rows that give none: business_area=CODE and/or role=ROLE "
    "(e.g. 'business_area=IOM,role=perpetrator').",
)
@click.option(
    "--choose",
    default="",
    help="Row=choice pairs overriding the proposed ones: new, existing:ID or row:N "
    "(e.g. '7=new,9=existing:12').",
)
@click.option("--dry-run", is_flag=True, help="Show what would be imported; store nothing.")
def import_(path: Path, email: str, mapping: str, defaults: str, choose: str, dry_run: bool):
    """Import people, places, vehicles, groups and cases from a CSV or Excel (.xlsx) file
    as partners keep them. Any problem stops the import, and every one is listed."""
    _django()
    from ...accounts.models import User
    from .. import permissions as perms
    from . import apply, columns, files, plan

    user = User.objects.select_related("agency").filter(email__iexact=email.strip()).first()
    if user is None or not user.is_active:
        _fail(f"--as: no active user has the email address {email}")
    if not perms.allowed(user, perms.CREATE_CASE, user.agency):
        perms.refused(user, perms.CREATE_CASE, user.agency)
        _fail(f"--as: {email} may not import: only a practitioner of an agency opens its cases")
    if not path.is_file():
        _fail(f"{path}: no such file")
    try:
        explicit = {} if not mapping else _pairs(mapping, "--map")
        chosen = {int(k): x for k, x in _pairs(choose, "--choose").items()}
    except ValueError:
        _fail("--choose: each row must be a row number, as in '7=new'")
    try:
        preview = plan.preview(
            path.read_bytes(),
            path.name,
            user=user,
            sight=policy_sight(user),
            mapping=explicit,
            defaults=_pairs(defaults, "--default"),
            via="cli",
        )
    except files.ImportFileError as exc:
        _fail(str(exc))
    _print_preview(preview, columns)
    if preview.problems:
        for problem in preview.problems:
            click.echo(f"cannot import {preview.filename}: {problem}", err=True)
        count = len(preview.problems)
        _fail(f"{count} problem{'s' if count > 1 else ''} in {preview.filename}: nothing imported")
    if not preview.ok:
        _fail(f"{preview.filename}: nothing to import")
    try:
        counts = preview.counts(chosen)
    except plan.ChoiceError as exc:
        _fail(f"--choose: {exc}")
    _print_plan(preview, chosen, counts)
    if dry_run:
        click.echo("dry run: nothing stored")
        return
    try:
        result = apply.apply(preview, chosen, user=user, via="cli")
    except apply.ImportFailed as exc:
        _fail(f"{preview.filename}: {exc}: nothing imported")
    made = ", ".join(
        f"{ref}" + (f" (theirs {theirs})" if theirs else "") for _, ref, theirs in result.cases
    )
    click.echo(f"imported: {len(result.cases)} cases{': ' + made if made else ''}")
    click.echo(f"audit entry {result.entry_id}")


def _print_preview(preview, columns) -> None:
    where = f", sheet {preview.sheet}" if preview.sheet else ""
    click.echo(f"{preview.filename} ({preview.kind}{where}): {preview.data_rows} rows to read")
    for note in preview.notes:
        click.echo(f"note: {note}")
    if preview.columns is not None:
        click.echo("columns:")
        for column in preview.columns.columns:
            if not column.heading:
                continue
            if column.field:
                label = columns.label_of(column.field, preview.columns.extras)
                how = "chosen" if column.chosen else "recognised"
                click.echo(f"  {column.heading} → {label} ({column.field}, {how})")
            else:
                click.echo(f"  {column.heading} → not imported")
    if preview.blank_rows:
        click.echo(f"note: {preview.blank_rows} blank rows skipped")
    for warning in preview.warnings:
        click.echo(f"warning: {warning}", err=True)


def _print_plan(preview, chosen, counts) -> None:
    rows = preview.with_matches
    if rows:
        click.echo("similar records:")
    for row in rows:
        click.echo(f"  row {row.row}: {row.subject.label}")
        for offer in row.offers:
            if offer.visible:
                seen = f"record {offer.subject_id} {offer.label}"
            else:
                where = "; ".join([*offer.business_areas, *offer.agencies])
                seen = f"record {offer.subject_id} {offer.label}, locked ({where})"
            click.echo(f"    {seen}: {offer.strength}, {', '.join(offer.reasons)}")
        for earlier in row.earlier:
            click.echo(
                f"    row {earlier.row} {earlier.label}: {earlier.strength}, "
                f"{', '.join(earlier.reasons)}"
            )
        choice = chosen.get(row.row) or row.proposed
        click.echo(f"    → {describe_choice(choice)}")
    made = [
        f"{counts[k]} {label}"
        for k, label in (
            ("person", "people"),
            ("place", "places"),
            ("vehicle", "vehicles"),
            ("group", "groups"),
        )
        if counts[k]
    ]
    areas = ", ".join(f"{name} {count}" for name, count in preview.by_area())
    line = f"would create: {', '.join(made) or 'no new records'}"
    line += f"; {counts['cases']} cases" + (f" ({areas})" if areas else "")
    line += f"; {counts['notes']} notes" if counts["notes"] else ""
    if counts["existing"]:
        line += f"; use {counts['existing']} existing records"
    if counts["same"]:
        line += f"; {counts['same']} rows are the same record as an earlier row"
    click.echo(line)
    sys.stdout.flush()
