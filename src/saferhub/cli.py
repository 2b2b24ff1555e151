"""The `saferhub` command."""

from __future__ import annotations

import sys
from importlib import import_module
from pathlib import Path

import click

from .commandline import django_setup as _django
from .evidence.errors import EvidenceError
from .evidence.location import default_store_path

# Everything heavier than click (DuckDB, Django, matplotlib, shapely, tqdm) is imported inside
# the command that uses it, so `saferhub assess` starts in the time DuckDB takes to load.
FORMATS = ("csv", "json", "table")  # evidence.output.RENDERERS, without importing it

LARGE_INPUT = 10 * 1024 * 1024  # show a progress bar above this many bytes in one run


def _size(path: Path) -> int:
    return path.stat().st_size


def _fail(exc: EvidenceError) -> None:
    click.echo(f"error: {exc}", err=True)
    sys.exit(2)


class LazyGroup(click.Group):
    """A group whose named subcommand groups are imported only when they are run (or
    listed in --help): `plan` and `indicators` configure Django, which `assess` never needs."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy:
            module, attribute = self.lazy[name].split(":")
            return getattr(import_module(module, __package__), attribute)
        return super().get_command(ctx, name)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except Exception as exc:
            where = _unset_database(exc)
            if where is None:
                raise
            click.echo(
                f"error: The site database at {where} is not set up: run `saferhub init` first.",
                err=True,
            )
            sys.exit(2)


def _unset_database(exc: BaseException) -> str | None:
    """Where the site database is, if `exc` says its tables do not exist (a database never
    migrated: "no such table" on SQLite, "relation … does not exist" on PostgreSQL)."""
    utils = sys.modules.get("django.db.utils")  # Django is imported only by the commands using it
    if utils is None or not isinstance(exc, (utils.OperationalError, utils.ProgrammingError)):
        return None
    text = str(exc)
    if "no such table" not in text and not ("relation" in text and "does not exist" in text):
        return None
    from django.db import connection

    db = connection.settings_dict
    if "sqlite" in db.get("ENGINE", ""):
        return str(db.get("NAME"))
    host = db.get("HOST") or "localhost"
    port = f":{db['PORT']}" if db.get("PORT") else ""
    return f"{host}{port}/{db.get('NAME')}"


@click.group(
    cls=LazyGroup,
    lazy={
        "plan": ".plans.commands:plan",
        "indicators": ".indicators.commands:indicators",
        "site": ".partnership.commands:site",
        "casework": ".cases.importing.command:casework",
    },
)
@click.option(
    "--store",
    "store_path",
    type=click.Path(path_type=Path),
    envvar="SAFERHUB_STORE",
    help="The DuckDB evidence store (env SAFERHUB_STORE; default var/evidence.duckdb).",
)
@click.option(
    "--taxonomy",
    "taxonomy_path",
    type=click.Path(path_type=Path),
    envvar="SAFERHUB_TAXONOMY",
    help="A taxonomy TOML file (default: the shipped taxonomy).",
)
@click.version_option(package_name="saferhub")
@click.pass_context
def main(ctx: click.Context, store_path: Path | None, taxonomy_path: Path | None) -> None:
    """Safer Hub: evidence, assessment and delivery for Community Safety Partnerships."""
    ctx.obj = {"store": store_path or default_store_path(), "taxonomy": taxonomy_path}


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.pass_obj
def ingest(obj: dict, paths: tuple[Path, ...]) -> None:
    """Load police, population and boundary files (format detected from content).

    Each file is one transaction: a bad file changes nothing and stops the run.
    """
    from tqdm import tqdm

    from .evidence import Store, load_taxonomy
    from .evidence.ingest import ingest_paths
    from .indicators.commands import refresh_after_ingest

    try:
        taxonomy = load_taxonomy(obj["taxonomy"])
        with Store(obj["store"]) as store:
            total = sum(
                _size(f)
                for p in paths
                if p.exists()
                for f in ([p] if p.is_file() else p.rglob("*.csv"))
            )

            def progress(files):
                if total < LARGE_INPUT:
                    return files
                return tqdm(files, desc="ingest", unit="file", file=sys.stderr, dynamic_ncols=True)

            for result in ingest_paths(store, list(paths), taxonomy, progress):
                click.echo(result.summary())
                for note in result.notes:
                    click.echo(f"  {note}")
        refresh_after_ingest(obj["store"], obj["taxonomy"])
    except EvidenceError as exc:
        _fail(exc)


@main.command()
@click.option("--area", required=True, help="A borough or ward name or GSS code, or London.")
@click.option(
    "--period",
    required=True,
    help="2018, 2018/19, 12m:2019-03, 2018Q3, 2018-01..2018-06, or latest.",
)
@click.option("--compare", default="", help="Comparator boroughs, comma-separated.")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table")
@click.option("--output", type=click.Path(path_type=Path), help="Write to FILE, not stdout.")
@click.pass_obj
def assess(obj: dict, area: str, period: str, compare: str, fmt: str, output: Path | None) -> None:
    """Compute the Strategic Assessment figures for an area and period."""
    from .evidence.assessment import Evidence
    from .evidence.output import RENDERERS, write_atomically
    from .evidence.store import Store
    from .evidence.taxonomy import load_taxonomy

    try:
        with Store(obj["store"], read_only=True) as store:
            evidence = Evidence(store, load_taxonomy(obj["taxonomy"]))
            result = evidence.assess(
                area=area,
                period=period,
                compare=[c.strip() for c in compare.split(",") if c.strip()],
            )
        text = RENDERERS[fmt](result)
        if output:
            write_atomically(output, text)
            click.echo(f"wrote {output}", err=True)
        else:
            click.echo(text, nl=False)
    except EvidenceError as exc:
        _fail(exc)


@main.command()
@click.pass_obj
def sources(obj: dict) -> None:
    """List every file loaded into the store, newest first, with its provenance."""
    from .evidence.ingest import provenance
    from .evidence.store import Store

    try:
        with Store(obj["store"], read_only=True) as store:
            rows = provenance(store)
            if not rows:
                click.echo(f"no files loaded into {obj['store']}: load some with `saferhub ingest`")
            for row in rows:
                months = row["months"] or []
                span = f" {months[0]}..{months[-1]}" if months else ""
                click.echo(
                    f"#{row['id']} {row['ingested_at']:%Y-%m-%d %H:%M} {row['kind']} "
                    f"{row['rows']} rows{span} sha256 {row['sha256'][:12]} {row['file']}"
                )
    except EvidenceError as exc:
        _fail(exc)


@main.group()
def report() -> None:
    """Produce documents: the Strategic Assessment."""


REPORT_FORMATS = (".html", ".pdf", ".docx")


@report.command("assessment")
@click.option("--area", help="Borough or ward name or code (default: the config's area).")
@click.option("--period", required=True, help="As for `assess`, e.g. 2018 or 2018/19.")
@click.option("--compare", default=None, help="Comparator boroughs (default: the config's).")
@click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path),
    help="The partnership config TOML (see examples/partnership.toml).",
)
@click.option(
    "--output",
    "outputs",
    multiple=True,
    required=True,
    type=click.Path(path_type=Path),
    help="FILE.html, FILE.pdf or FILE.docx; repeat.",
)
@click.pass_obj
def report_assessment(
    obj: dict,
    area: str | None,
    period: str,
    compare: str | None,
    config_path: Path | None,
    outputs: tuple[Path, ...],
) -> None:
    """Write the Strategic Assessment as HTML, PDF and/or Word from the evidence store."""
    from .evidence import Evidence, Store, load_taxonomy
    from .evidence.output import write_atomically
    from .reports.config import default_config, load_config
    from .reports.render import render_all

    try:
        bad = [str(o) for o in outputs if o.suffix.lower() not in REPORT_FORMATS]
        if bad:
            raise EvidenceError(
                f"--output {', '.join(bad)}: the format comes from the "
                f"extension, one of {', '.join(REPORT_FORMATS)}"
            )
        taxonomy = load_taxonomy(obj["taxonomy"])
        config = load_config(config_path, taxonomy) if config_path else None
        area = area or (config.area if config else None)
        if not area:
            raise EvidenceError("give --area, or set 'area' in the --config file")
        if compare is None:
            comparators = list(config.comparators) if config else []
        else:
            comparators = [c.strip() for c in compare.split(",") if c.strip()]
        with Store(obj["store"], read_only=True) as store:
            evidence = Evidence(store, taxonomy)
            config = config or default_config(
                evidence.assess(area=area, period=period)["area"]["name"], taxonomy
            )
            documents = render_all(
                evidence,
                area=area,
                period=period,
                compare=comparators,
                config=config,
                formats=[o.suffix.lower().lstrip(".") for o in outputs],
            )
        written: list[Path] = []
        try:
            for output in outputs:
                write_atomically(output, documents[output.suffix.lower().lstrip(".")])
                written.append(output)
        except EvidenceError:
            for path in written:  # all or nothing across the outputs of one run
                path.unlink(missing_ok=True)
            raise
        for output in outputs:
            click.echo(f"wrote {output}")
    except EvidenceError as exc:
        _fail(exc)


def _ensure_secret_key() -> None:
    """Generate the site's secret key once, outside the repository, readable by owner only."""
    import os
    import secrets

    path = default_store_path().parent / "secret_key"
    if os.environ.get("SAFERHUB_SECRET_KEY") or path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(secrets.token_urlsafe(50))


@main.command()
@click.option(
    "--noinput",
    is_flag=True,
    help="Read the admin from SAFERHUB_ADMIN_EMAIL and SAFERHUB_ADMIN_PASSWORD.",
)
def init(noinput: bool) -> None:
    """Create the site database (SQLite, or DATABASE_URL) and a first partnership admin."""
    import os

    _ensure_secret_key()
    _django()
    from django.core.management import call_command

    from .accounts.models import Agency, AgencyType, User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if noinput:
        email = os.environ.get("SAFERHUB_ADMIN_EMAIL", "")
        password = os.environ.get("SAFERHUB_ADMIN_PASSWORD", "")
        if not email or not password:
            click.echo(
                "error: set SAFERHUB_ADMIN_EMAIL and SAFERHUB_ADMIN_PASSWORD (at least "
                "12 characters) for --noinput",
                err=True,
            )
            sys.exit(2)
    else:
        email = click.prompt("Admin email")
        password = click.prompt(
            "Admin password (12+ characters)", hide_input=True, confirmation_prompt=True
        )
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        click.echo(f"database ready; admin {email} already exists")
        return
    from django.db import transaction

    from .audit.log import record
    from .audit.models import Action

    _check_password(password, User(email=email, full_name="Partnership admin"))
    with transaction.atomic():
        agency, _ = Agency.objects.get_or_create(
            name=os.environ.get("SAFERHUB_ADMIN_AGENCY", "Partnership team"),
            defaults={"type": AgencyType.COUNCIL},
        )
        admin = User.objects.create_superuser(
            email, password, full_name="Partnership admin", agency=agency
        )
        # The first account, like every other, is on the record.
        record(action=Action.CREATE, obj=admin, changes={"role": admin.role, "by": "init"})
    click.echo(f"database ready; created admin {email} (sign in and enrol an authenticator)")


def _check_password(password: str, user) -> None:
    """The site's password rules (settings.AUTH_PASSWORD_VALIDATORS) for a password a command
    sets: exit 2 with what is wrong, never echoing the password."""
    from django.contrib.auth import password_validation
    from django.core.exceptions import ValidationError

    try:
        password_validation.validate_password(password, user)
    except ValidationError as error:
        click.echo(f"error: the password is refused: {' '.join(error.messages)}", err=True)
        sys.exit(2)


DEMO_AGENCIES = (
    ("Demo Police (fictional)", "police"),
    ("Demo Borough Council (fictional)", "council"),
    ("Demo Probation Service (fictional)", "probation"),
    ("Demo Youth Offending Service (fictional)", "youth_offending"),
    ("Demo Housing Association (fictional)", "housing"),
)
DEMO_USERS = (  # (role, agency index)
    ("admin", 1),
    ("analyst", 1),
    ("coordinator", 1),
    ("practitioner", 0),
    ("board", 2),
)


@main.command()
@click.option(
    "--data",
    type=click.Path(path_type=Path),
    envvar="SAFERHUB_DATA",
    help="Published data folder (default ../shared/data when present).",
)
@click.pass_obj
def demo(obj: dict, data: Path | None) -> None:
    """Load a demo partnership: fictional agencies and users, and evidence (published data
    when present, otherwise a synthetic, clearly fictional area)."""
    import os
    import secrets
    from datetime import date

    from .evidence import Evidence, Store, load_taxonomy
    from .evidence.ingest import ingest_paths
    from .evidence.synthetic import write_demo

    _ensure_secret_key()
    _django()
    from django.core.management import call_command

    from .accounts.models import Agency, User

    call_command("migrate", interactive=False, verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    agencies = [
        Agency.objects.get_or_create(name=name, defaults={"type": kind})[0]
        for name, kind in DEMO_AGENCIES
    ]
    password = os.environ.get("SAFERHUB_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    for role, _ in DEMO_USERS:
        _check_password(password, User(email=f"{role}@demo.saferhub.invalid", full_name=role))
    from django.conf import settings

    # A demo site: password-reset mail goes to files in var/demo-mail/ (web.settings).
    (settings.VAR / "demo-site").write_text(
        "written by `saferhub demo`: this site's users and data are fictional\n"
    )
    for role, index in DEMO_USERS:
        email = f"{role}@demo.saferhub.invalid"
        user = User.objects.filter(email=email).first() or User.objects.create_user(
            email,
            full_name=f"Demo {role}",
            agency=agencies[index],
            role=role,
            is_staff=role == "admin",
        )
        user.set_password(password)
        user.save(update_fields=["password"])

    data = data or Path(__file__).resolve().parents[3] / "shared" / "data"
    if (data / "mps").is_dir():
        paths = [
            data / "population" / "london-borough-population.csv",
            data / "boundaries" / "london-boroughs.geojson",
            data / "boundaries" / "london-wards-2022-bgc.geojson",
            data / "mps" / "recorded-crime-borough-historical.parquet",
            data / "mps" / "recorded-crime-ward-historical.parquet",
        ]
        source = f"published data from {data}"
    else:
        folder = obj["store"].parent / "demo"
        paths = [p for p in write_demo(folder) if p.parent == folder] + [folder / "policeuk"]
        source = "a synthetic, fictional area (Northbrook, Eastmere, Southvale, Westford)"
    with Store(obj["store"]) as store:
        for _ in ingest_paths(store, paths, load_taxonomy(obj["taxonomy"])):
            pass
    from .plans.demo import demo_plan
    from .plans.models import Strategy
    from .plans.services import import_plan

    if not Strategy.objects.exists():
        import_plan(demo_plan(date.today()), source="saferhub demo")
    from .indicators.demo import load_demo_indicators
    from .indicators.services import refresh_evidence

    load_demo_indicators(
        area="Croydon" if (data / "mps").is_dir() else "Northbrook",
        today=date.today(),
        user=User.objects.get(email="coordinator@demo.saferhub.invalid"),
    )
    with Store(obj["store"], read_only=True) as store:
        refresh_evidence(Evidence(store, load_taxonomy(obj["taxonomy"])))
    from .partnership.commands import set_demo_area

    set_demo_area(obj, published=(data / "mps").is_dir())
    from .casework.demo import load as load_demo_casework

    load_demo_casework(date.today())
    from .casework.demo import people_emails

    casework_people = list(User.objects.filter(email__in=people_emails()).order_by("email"))
    for user in casework_people:
        user.set_password(password)
        user.save(update_fields=["password"])
    click.echo(f"Demo partnership loaded with {source}, a fictional delivery plan and indicators.")
    click.echo(
        "Sign in as any of: " + ", ".join(f"{r}@demo.saferhub.invalid" for r, _ in DEMO_USERS)
    )
    click.echo(
        "Casework, other agencies' practitioners and the data protection officer: "
        + ", ".join(u.email for u in casework_people)
    )
    click.echo(f"Demo password: {password}")
    click.echo("At first sign-in each user enrols an authenticator app (the page shows the key).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True)
@click.option("--workers", default=2, show_default=True)
@click.option(
    "--jobs-worker/--no-jobs-worker",
    default=True,
    show_default=True,
    help="Run a background-job worker (reports, imports) beside the web server; turn it off "
    "where workers run on their own (python -m django jobs_worker).",
)
def serve(host: str, port: int, workers: int, jobs_worker: bool) -> None:
    """Run the site with gunicorn (a production WSGI server) and a background-job worker."""
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saferhub.web.settings")
    # The workers' memory limit is on address space: glibc's default of up to 8 malloc
    # arenas a core reserves address space per thread (DuckDB runs one a core), so fewer.
    os.environ.setdefault("MALLOC_ARENA_MAX", "2")
    # Timeouts, worker recycling, the per-worker memory limit and the safe access log are
    # in saferhub.web.gunicorn_conf; the command line adds only where and how many.
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "python:saferhub.web.gunicorn_conf",
        "saferhub.web.wsgi:application",
        "--bind",
        f"{host}:{port}",
        "--workers",
        str(workers),
    ]
    click.echo(f"Safer Hub at http://{host}:{port}/")
    if jobs_worker:  # this process becomes the one that runs gunicorn and the worker together
        args = [sys.executable, "-m", "saferhub.jobs.serving", *args[1:]]
    os.execv(sys.executable, args)


@main.group()
def audit() -> None:
    """The tamper-evident audit log."""


@audit.command("verify")
def audit_verify() -> None:
    """Recompute the keyed hash chain and check it against the checkpoints written outside
    the database; exit 1 and list the problems if any entry was altered, removed or forged."""
    _django()
    from .audit.log import verify

    result = verify()
    for note in result.notes():
        click.echo(f"note: {note}")
    if result.ok:
        checked = "" if result.checkpoints is None else f", {result.checkpoints} checkpoints"
        click.echo(f"audit log intact: {result.entries} entries{checked}")
        return
    for problem in result.problems:
        click.echo(f"TAMPERED: {problem}", err=True)
    sys.exit(1)


@main.command("demo-data")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--seed", default=7, show_default=True, help="Random seed.")
def demo_data(folder: Path, seed: int) -> None:
    """Write a synthetic, clearly fictional data set (boroughs, wards, population)."""
    from .evidence.synthetic import write_demo

    for path in write_demo(folder, seed=seed):
        click.echo(str(path))


if __name__ == "__main__":
    main()
