"""Benchmark: a 5,000-action plan imported (parse, store) the old way (a query per row) and the
new way (bulk inserts), then its page rendered.

Builds the fictional plan of `bench_plans.py` (10 objectives, 4 dated updates an action), writes
it as CSV, then on a fresh SQLite site database (a temporary file, WAL, as the site runs):
parses it; stores it once row by row (the old `save_plan`: an INSERT per action, its leads and
its updates) and once in bulk (`convert.save_plan` now), each inside one transaction, which is
how long the site's write lock is held; renders the plan page (first page of actions) and the
health check.

    .venv/bin/python bench/bench_plan_import.py [--actions 5000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def timed(label: str, fn, *args, **kwargs):
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    seconds = time.perf_counter() - start
    print(f"{label:<44}{seconds * 1000:>10.0f} ms")
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--actions", type=int, default=5000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="bench-plan-import-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        SAFERHUB_SECRET_KEY="bench-only",
        SAFERHUB_STORE=str(folder / "evidence.duckdb"),
        DJANGO_SETTINGS_MODULE="saferhub.web.settings",
    )
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.test import RequestFactory

    from bench_plans import AS_AT, synthetic_plan
    from saferhub.accounts.models import Agency, AgencyType, User
    from saferhub.plans import convert, health, views
    from saferhub.plans.directory import Directory
    from saferhub.plans.exporting import plan_to_csv
    from saferhub.plans.importing import read_plan
    from saferhub.plans.models import Measure, Objective, Strategy

    call_command("migrate", verbosity=0)
    plan = synthetic_plan(args.actions)
    n = len(plan.actions())
    print(f"plan: {len(plan.objectives)} objectives, {n} actions, {4 * n} updates")
    path = folder / "plan-2026-27.csv"
    path.write_bytes(plan_to_csv(plan))
    (parsed, problems), _ = timed("parse the CSV (preview)", read_plan, path)
    assert not problems, problems[:3]
    directory = Directory.load()

    def per_row() -> Strategy:
        """The old save_plan: a query per objective, measure and action (and its leads and
        updates)."""
        strategy = Strategy.objects.create(
            title=parsed.title, starts=parsed.starts, ends=parsed.ends, rag_definitions={}
        )
        for o_order, item in enumerate(parsed.objectives):
            objective = Objective.objects.create(
                strategy=strategy, group=item.group, code=item.code, title=item.title, order=o_order
            )
            measures = [
                Measure.objects.create(objective=objective, text=m.text, order=i)
                for i, m in enumerate(item.measures)
            ]
            for a_order, action in enumerate(item.actions):
                convert.save_action(objective, action, measures, a_order, directory)
        return strategy

    def bulk() -> Strategy:
        return convert.save_plan(parsed, directory=directory)

    for label, store in (
        ("store row by row (old), one transaction", per_row),
        ("store in bulk (new), one transaction", bulk),
    ):

        def run(store=store):
            with transaction.atomic():
                return store()

        strategy, _ = timed(label, run)
    user = User.objects.create_user(
        "bench@eastmere.example",
        "bench password only",
        full_name="Bench",
        role="coordinator",
        agency=Agency.objects.create(name="Eastmere Council", type=AgencyType.COUNCIL),
    )
    factory = RequestFactory()

    def page(number: int):
        request = factory.get(f"/plans/{strategy.pk}/?page={number}")
        request.user = user
        from django.contrib.sessions.backends.db import SessionStore

        request.session = SessionStore()
        response = views.strategy_detail(request, pk=strategy.pk)
        assert response.status_code == 200
        return response

    whole = convert.to_draft(convert.strategy_queryset().get(pk=strategy.pk))
    timed(
        "read the whole stored plan (to_draft)",
        convert.to_draft,
        convert.strategy_queryset().get(pk=strategy.pk),
    )
    timed("health check (all rules)", health.check, whole, today=AS_AT)
    timed(f"plan page 1 ({views.ACTIONS_PER_PAGE} actions)", page, 1)
    timed("plan page 30", page, 30)
    if os.environ.get("BENCH_PROFILE"):
        import cProfile

        cProfile.runctx("page(30)", globals(), locals(), sort="cumtime")


if __name__ == "__main__":
    main()
