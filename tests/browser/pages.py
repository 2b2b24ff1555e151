"""Every page of the site, who may open it, and the URL names that are not pages.

The browser tests visit each page as each role: a role in `roles` must get the page (and it
must pass axe-core); any other role must get the site's 403 page. `test_every_url_is_covered`
fails when a named URL exists that is in none of these lists, so a new page cannot go
unvisited: add it to PAGES (with the roles that may open it), to FLOWS with the test that
opens it on the way through the site, or to NOT_PAGES with the reason it is not a page (or, for
now, to NOT_VISITED with the reason the tests cannot open it yet).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.casework import browser_pages as casework_pages

ADMIN, ANALYST, COORDINATOR, PRACTITIONER, BOARD = (
    "admin",
    "analyst",
    "coordinator",
    "practitioner",
    "board",
)
# A board member who is also the partnership's data protection officer: the tests add this
# user through the admin's "Add a user" form (the demo has none).
DPO = "dpo"
ROLES = (ADMIN, ANALYST, COORDINATOR, PRACTITIONER, BOARD, DPO)

EVERYONE = frozenset(ROLES)
WHOLE_PLAN = EVERYONE - {PRACTITIONER}  # read every action; also who reads the evidence
MANAGE_PLANS = frozenset({ADMIN, COORDINATOR})
MANAGE_INDICATORS = frozenset({ADMIN, ANALYST, COORDINATOR})
ADMINS = frozenset({ADMIN})
AUDIT = frozenset({ADMIN, DPO})
# Casework is for practitioners; the data protection officer searches and reviews break
# glass; agreements are kept by admins and the DPO (casework/access.py, sharing/policy.py).
CASEWORKERS = frozenset({PRACTITIONER})
CASEWORK = frozenset({ADMIN, PRACTITIONER, DPO})

Samples = dict[str, int]


@dataclass(frozen=True)
class Page:
    name: str  # the URL name, with its namespace
    roles: frozenset[str]
    kwargs: Callable[[Samples], dict] = field(default=lambda s: {})
    query: str = ""
    variant: str = ""  # tells two visits to one URL name apart

    @property
    def label(self) -> str:
        return f"{self.name} ({self.variant})" if self.variant else self.name

    @property
    def slug(self) -> str:
        return self.label.replace(":", "-").replace(" ", "-").strip("()").replace("(", "")

    def path(self, samples: Samples) -> str:
        return reverse(self.name, kwargs=self.kwargs(samples)) + self.query


ASSESSMENT = "?area=Northbrook&period=2023&compare=Eastmere%2CWestford"

# Pages a signed-in user opens, by role.
PAGES = [
    Page("home", EVERYONE),
    Page("evidence", WHOLE_PLAN),
    Page("evidence", WHOLE_PLAN, query=ASSESSMENT, variant="an assessment"),
    Page("accounts:agencies", ADMINS),
    Page("accounts:agency-add", ADMINS),
    Page("accounts:agency-edit", ADMINS, lambda s: {"pk": s["agency"]}),
    Page("accounts:users", ADMINS),
    Page("accounts:user-add", ADMINS),
    Page("accounts:user-edit", ADMINS, lambda s: {"pk": s["user"]}),
    Page("audit:list", AUDIT),
    Page("partnership:settings", ADMINS),
    Page("jobs:mine", EVERYONE),
    Page("plans:list", EVERYONE),
    Page("plans:mine", EVERYONE),
    Page("plans:import", MANAGE_PLANS),
    Page("plans:detail", EVERYONE, lambda s: {"pk": s["strategy"]}),
    Page("plans:health", WHOLE_PLAN, lambda s: {"pk": s["strategy"]}),
    Page(
        "plans:board-report",
        WHOLE_PLAN,
        lambda s: {"pk": s["strategy"], "fmt": "html"},
        variant="HTML",
    ),
    Page("plans:rollover", MANAGE_PLANS, lambda s: {"pk": s["strategy"]}),
    Page("plans:objective-edit", MANAGE_PLANS, lambda s: {"pk": s["objective"]}),
    Page("plans:action-add", MANAGE_PLANS, lambda s: {"objective_pk": s["objective"]}),
    Page("plans:measure-add", MANAGE_PLANS, lambda s: {"objective_pk": s["objective"]}),
    Page("plans:measure-edit", MANAGE_PLANS, lambda s: {"pk": s["measure"]}),
    Page("plans:action", EVERYONE, lambda s: {"pk": s["action_led"]}, variant="led"),
    Page("plans:action", WHOLE_PLAN, lambda s: {"pk": s["action_not_led"]}, variant="not led"),
    Page("plans:action-edit", MANAGE_PLANS, lambda s: {"pk": s["action_led"]}),
    Page("indicators:dashboard", EVERYONE),
    Page("indicators:new", MANAGE_INDICATORS),
    Page("indicators:youth-justice", MANAGE_INDICATORS),
    *(
        Page("indicators:detail", EVERYONE, lambda s, k=k: {"pk": s[f"indicator_{k}"]}, variant=k)
        for k in ("evidence", "manual", "youth_justice")
    ),
    Page("indicators:edit", MANAGE_INDICATORS, lambda s: {"pk": s["indicator_manual"]}),
    # The demo's manual indicators belong to the council: the police practitioner may not.
    Page("indicators:enter", MANAGE_INDICATORS, lambda s: {"pk": s["indicator_manual"]}),
]
# Casework's own pages, with the demo's ids (tests/casework/browser_pages.py).
PAGES += [Page(**page) for page in casework_pages.PAGES]
PAGES.append(Page("casework:import", CASEWORKERS))

# Problems the tests find in files outside tests/browser and the templates they look after,
# reported to those files' owners: (page label, start of the problem) → the file and the fix.
# The tests warn about these rather than fail, and fail once one no longer happens.
KNOWN: dict = {}

# Pages before sign-in (test_signed_out_pages).
SIGNED_OUT = {
    "accounts:sign-in",
    "accounts:password-reset",
    "accounts:password-reset-sent",
    "accounts:password-reset-confirm",
    "accounts:password-reset-done",
}

# Pages reached only along a way through the site, each opened by the test named.
FLOWS = {
    "accounts:two-factor": "every sign-in (Accounts.sign_in), test_signing_in_pages",
    "accounts:new-password": "test_signing_in_pages: a user whose password an admin set",
    "evidence-download": "test_a_report_is_made_as_a_job: it queues a job, then its page",
    "jobs:detail": "test_a_report_is_made_as_a_job: a job's page shows only to its owner",
    **casework_pages.FLOWS,
    "casework:import-preview": (
        "tests/casework/test_import_pages.py::test_the_import_pages_in_chromium: after an upload"
    ),
    "casework:import-done": (
        "tests/casework/test_import_pages.py::test_the_import_pages_in_chromium: after a confirm"
    ),
}

# Named URLs that are not pages, each with the reason the browser tests do not open it.
NOT_PAGES = {
    "accounts:sign-out": "POST only: the header's Sign out button",
    "audit:export": "a CSV download",
    "plans:export": "a file download (Word, Excel or CSV) of the plan",
    "indicators:export": "a file download (CSV or Excel) of the dashboard",
    "indicators:export-one": "a file download (CSV or Excel) of one indicator's history",
    "indicators:refresh": "POST only: the dashboard's Refresh button",
    "jobs:progress": "JSON that the job page's script reads",
    "jobs:download": "a job's file (test_a_report_is_made_as_a_job downloads one)",
    **casework_pages.NOT_PAGES,
}

# Pages the browser tests cannot open yet, and why: listed here so that the gap is explicit.
NOT_VISITED: dict[str, str] = {}

# URL namespaces that are no part of the site: Django's admin exists only with DEBUG on.
OTHER_NAMESPACES = {"admin"}


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """Every named URL under the site's urlconf, with its namespace (`plans:detail`)."""
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in OTHER_NAMESPACES:
                continue
            inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def covered() -> set[str]:
    return {p.name for p in PAGES} | SIGNED_OUT | set(FLOWS) | set(NOT_PAGES) | set(NOT_VISITED)
