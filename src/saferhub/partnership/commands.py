"""`saferhub site`: show or set the partnership's area and comparators, as an admin does on
the site (checked against the evidence store, written with its audit entry; actor: the
command line)."""

from __future__ import annotations

from pathlib import Path

import click

from ..commandline import django_setup, fail

DEMO_AREAS = {  # the demo's area and comparators: published London data, or the synthetic one
    "published": ("Croydon", ("Bromley", "Lambeth", "Merton", "Sutton")),
    "synthetic": ("Northbrook", ("Eastmere", "Southvale", "Westford")),
}


def describe(setting) -> str:
    if setting is None:
        return "The partnership's area is not set: set it with saferhub site --area NAME."
    comparators = ", ".join(setting.comparators) or "none (London only)"
    code = f" ({setting.area_type} {setting.area_code})" if setting.area_code else ""
    whose = f"agency: {setting.agency.name}\n" if setting.agency_id else ""
    return (
        f"{whose}area: {setting.area_name}{code}\n"
        f"comparators: {comparators}\n"
        f"changed: {setting.changed_at:%Y-%m-%d %H:%M} by {setting.changed_by_label}"
    )


def store_areas(store_path: Path, taxonomy_path: Path | None) -> list:
    from ..evidence import Evidence, EvidenceError, Store, load_taxonomy

    if not store_path.exists():
        fail(
            f"no evidence store at {store_path}: the area is checked against the loaded data, "
            "so load it first with saferhub ingest"
        )
    try:
        with Store(store_path, read_only=True) as store:
            return list(Evidence(store, load_taxonomy(taxonomy_path)).areas)
    except EvidenceError as exc:
        fail(str(exc))
    return []


def set_from_names(
    store_path: Path, taxonomy_path: Path | None, area: str, compare: list[str], agency=None
):
    from ..evidence import EvidenceError
    from .areas import check, first_unknown
    from .services import set_area

    areas = store_areas(store_path, taxonomy_path)
    unknown = first_unknown(areas, area, compare)
    if unknown is not None:
        offered = ", ".join(c.query for c in unknown.candidates)
        fail(unknown.message + (f" Did you mean: {offered}?" if offered else ""))
    try:
        choice = check(areas, area, compare)
    except EvidenceError as exc:
        fail(str(exc))
    return set_area(choice, via="cli", agency=agency)


@click.command()
@click.option("--area", help="A borough or ward name or GSS code, or London.")
@click.option("--compare", default=None, help="Comparator boroughs, comma-separated ('' for none).")
@click.option(
    "--agency",
    default=None,
    help="An agency's own partnership area (its people open on it), not the site's default.",
)
@click.pass_obj
def site(obj: dict, area: str | None, compare: str | None, agency: str | None) -> None:
    """Show the partnership's area (no options), or set it: the area the evidence page opens
    on, and its comparator boroughs. With --agency, that agency's own (a deployment serving
    several partnerships); agencies without one use the site's default."""
    django_setup()
    from .areas import split_names
    from .services import agencies_with_their_own, current

    chosen = _agency(agency) if agency is not None else None
    if chosen is None:
        setting = current()
    else:
        setting = chosen.partnership_setting if hasattr(chosen, "partnership_setting") else None
    if area is None and compare is None:
        click.echo(describe(setting if chosen is not None or setting else None))
        if chosen is None:
            for own in agencies_with_their_own():
                click.echo("\n" + describe(own))
        return
    if area is None:
        if setting is None:
            fail("the partnership's area is not set yet: give --area as well")
        area = setting.area_code or setting.area_name
    if compare is None:
        comparators = list(setting.comparators) if setting else []
    else:
        comparators = split_names(compare)
    saved = set_from_names(obj["store"], obj["taxonomy"], area, comparators, agency=chosen)
    click.echo(describe(saved))


def _agency(name: str):
    """The agency named (case as typed or not), or a clear failure listing the agencies."""
    from ..accounts.models import Agency

    found = Agency.objects.filter(name__iexact=name.strip()).first()
    if found is None:
        names = ", ".join(Agency.objects.order_by("name").values_list("name", flat=True)[:20])
        fail(f"no agency called {name.strip()!r}; the agencies are: {names or 'none yet'}")
    return found


def set_demo_area(obj: dict, *, published: bool) -> None:
    """`saferhub demo`: the demo's area as the partnership's, unless one is set already."""
    from .services import current

    if current() is None:
        area, comparators = DEMO_AREAS["published" if published else "synthetic"]
        set_from_names(obj["store"], obj["taxonomy"], area, list(comparators))
