"""Partnership config, map projection, and the report command's bad inputs."""

import itertools
import json

import pytest

from saferhub.evidence import EvidenceError, load_taxonomy
from saferhub.reports.config import load_config
from saferhub.reports.maps import class_breaks, laea, project
from tests.conftest import run_cli as run
from tests.reports.conftest import load

GOOD = """
name = "Alderby Safety Partnership"
area = "Alderby"
comparators = ["Brookfield"]
[[priorities]]
category = "residential_burglary"
heading = "Homes"
[[priorities]]
category = "robbery"
"""


def write(tmp_path, text):
    path = tmp_path / "partnership.toml"
    path.write_text(text)
    return path


def test_config_reads_every_key(tmp_path):
    config = load_config(write(tmp_path, GOOD), load_taxonomy())
    assert config.name == "Alderby Safety Partnership"
    assert [(p.category, p.heading) for p in config.priorities] == [
        ("residential_burglary", "Homes"),
        ("robbery", "Robbery"),
    ]
    assert config.comparators == ("Brookfield",) and config.area == "Alderby"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('area = "Alderby"\n', "missing required key(s): name, priorities"),
        (
            GOOD.replace('category = "robbery"', 'category = "pickpocketing"'),
            "priority 2: unknown category 'pickpocketing'",
        ),
        ('colour = "blue"\n' + GOOD, "'colour' must be a hex colour"),
        ('font = "Comic"\n' + GOOD, "unknown key(s) font"),
        ('logo = "missing.png"\n' + GOOD, "logo file"),
        (GOOD + 'colour = "#000000"\n', "priority 2: unknown key(s) colour"),
        ('name = "X"\npriorities = []\n', "'priorities' must be a list"),
        ("name = \n", "not valid TOML"),
    ],
)
def test_bad_configs_are_explained(tmp_path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(EvidenceError) as error:
        load_config(path, load_taxonomy())
    assert message in str(error.value) and str(path) in str(error.value)


def test_projection_is_equal_area_and_keeps_london_proportions():
    def area(ring):
        return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2)

    def cell(lon, lat):
        return [
            laea(x, y, -0.1, 51.5)
            for x, y in [
                (lon, lat),
                (lon + 0.1, lat),
                (lon + 0.1, lat + 0.1),
                (lon, lat + 0.1),
                (lon, lat),
            ]
        ]

    west, east = area(cell(-0.5, 51.4)), area(cell(0.2, 51.4))
    assert west == pytest.approx(east, rel=1e-4)
    ring = cell(-0.1, 51.5)
    width, height = ring[1][0] - ring[0][0], ring[3][1] - ring[0][1]
    assert width / height == pytest.approx(0.62, abs=0.02)  # cos(51.5°), not 1


def test_project_and_class_breaks():
    geometry = json.dumps(
        {"type": "Polygon", "coordinates": [[[0, 51], [0.1, 51], [0.1, 51.1], [0, 51], [0, 51]]]}
    )
    (ward,) = project({"E1": ("One", geometry)})
    assert ward.code == "E1" and len(ward.rings) == 1
    assert class_breaks([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]) == [1, 3, 5, 7, 9, 10]
    assert class_breaks([4, 4, 4]) == [4, 5]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli-report")
    load(folder).close()
    return folder / "store.duckdb"


def test_report_command_writes_every_format(store_path, tmp_path):
    outputs = [tmp_path / f"a.{ext}" for ext in ("html", "pdf", "docx")]
    result = run(
        store_path,
        "report",
        "assessment",
        "--area",
        "Alderby",
        "--period",
        "2018Q1",
        "--compare",
        "Brookfield",
        *[x for o in outputs for x in ("--output", str(o))],
    )
    assert result.returncode == 0, result.stderr
    assert outputs[1].read_bytes().startswith(b"%PDF")
    assert outputs[2].read_bytes().startswith(b"PK")
    assert "Alderby Community Safety Partnership" in outputs[0].read_text()


def test_unwritable_output_leaves_nothing_behind(store_path, tmp_path):
    good, bad = tmp_path / "ok.html", tmp_path / "no-such-folder" / "a.pdf"
    result = run(
        store_path,
        "report",
        "assessment",
        "--area",
        "Alderby",
        "--period",
        "2018Q1",
        "--output",
        str(good),
        "--output",
        str(bad),
    )
    assert result.returncode == 2
    assert f"cannot write {bad}" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--area", "Alderby", "--output", "x.txt"], "the format comes from the extension"),
        (["--output", "x.html"], "give --area"),
        (["--area", "Nowhere", "--output", "x.html"], "unknown area 'Nowhere'"),
    ],
)
def test_report_bad_arguments(store_path, tmp_path, args, message):
    result = run(store_path, "report", "assessment", "--period", "2018Q1", *args)
    assert result.returncode == 2 and message in result.stderr


def test_report_without_boundaries_says_why_the_map_is_missing(tmp_path):
    load(tmp_path, boundaries=False).close()
    out = tmp_path / "r.html"
    result = run(
        tmp_path / "store.duckdb",
        "report",
        "assessment",
        "--area",
        "Alderby",
        "--period",
        "2018Q1",
        "--output",
        str(out),
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert 'id="map-missing-total"' in html
    assert "No ward boundaries are loaded for Alderby" in html
    assert 'id="wards-total"' in html  # the ward table is still there


def test_asb_as_a_priority_is_not_repeated(tmp_path):
    from saferhub.evidence.synthetic import write_demo

    files = write_demo(tmp_path / "demo")
    store = tmp_path / "demo.duckdb"
    assert (
        run(
            store,
            "ingest",
            *[str(f) for f in files if f.parent.name == "demo"],
            str(tmp_path / "demo" / "policeuk"),
        ).returncode
        == 0
    )
    out = tmp_path / "demo.html"
    result = run(
        store,
        "report",
        "assessment",
        "--area",
        "Northbrook",
        "--period",
        "2023",
        "--output",
        str(out),
    )  # the default priorities include ASB
    assert result.returncode == 0, result.stderr
    html = out.read_text()
    assert 'id="priority-asb"' in html and 'id="asb"' not in html
    assert html.count(">Anti-social behaviour</a>") == 1
