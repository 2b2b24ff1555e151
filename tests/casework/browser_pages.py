"""The casework pages for the browser tests' list of every page (tests/browser/pages.py),
with the roles of the demo that may open each, and the casework URLs that are not pages.

Plain data, so tests/browser/pages.py can take them in without an import cycle:
`Page(**page)` for each of PAGES; FLOWS and NOT_PAGES merge into theirs. The ids come from
`saferhub.casework.demo.samples()` (keys start "cw_"), read in the demo site's environment.
"""

from __future__ import annotations

ADMIN, PRACTITIONER, DPO = "admin", "practitioner", "dpo"
PRACTITIONERS = frozenset({PRACTITIONER})
CASEWORK = frozenset({PRACTITIONER, ADMIN, DPO})
SEARCHERS = frozenset({PRACTITIONER, DPO})
NOBODY: frozenset[str] = frozenset()


def _case(name: str, roles=PRACTITIONERS, key: str = "cw_case_led", variant: str = "", **parts):
    return {
        "name": f"casework:{name}",
        "roles": roles,
        "kwargs": lambda s, key=key, parts=parts: {
            "pk": s[key],
            **{k: s[v] for k, v in parts.items()},
        },
        "variant": variant,
    }


def _page(name: str, roles, kwargs=None, variant: str = "", query: str = ""):
    return {
        "name": f"casework:{name}",
        "roles": roles,
        "kwargs": kwargs or (lambda s: {}),
        "variant": variant,
        "query": query,
    }


PAGES = [
    _page("index", CASEWORK),
    _page("search", SEARCHERS),
    _page("search", SEARCHERS, query="?q=Demoford", variant="a name"),
    _page("search", SEARCHERS, query="?q=Quarryman", variant="a locked subject"),
    _page("subject-new", PRACTITIONERS, lambda s: {"kind": "person"}, variant="person"),
    _page("subject-new", PRACTITIONERS, lambda s: {"kind": "place"}, variant="place"),
    _page("subject-new", PRACTITIONERS, lambda s: {"kind": "vehicle"}, variant="vehicle"),
    _page("subject-new", PRACTITIONERS, lambda s: {"kind": "group"}, variant="group"),
    _page("subject", SEARCHERS, lambda s: {"pk": s["cw_subject"]}, variant="seen"),
    _page("subject", SEARCHERS, lambda s: {"pk": s["cw_subject_locked"]}, variant="locked"),
    _page("subject", SEARCHERS, lambda s: {"pk": s["cw_place"]}, variant="a place"),
    _page("subject-edit", PRACTITIONERS, lambda s: {"pk": s["cw_subject"]}),
    _page("subject-add", PRACTITIONERS, lambda s: {"pk": s["cw_subject"], "part": "flag"}),
    _page("subject-special-category", PRACTITIONERS, lambda s: {"pk": s["cw_subject"]}),
    _page(
        "subject-detail-end",
        PRACTITIONERS,
        lambda s: {"pk": s["cw_subject"], "part": "address", "row": s["cw_address"]},
    ),
    _page(
        "subject-detail-remove",
        PRACTITIONERS,
        lambda s: {"pk": s["cw_subject"], "part": "address", "row": s["cw_address"]},
    ),
    _page(
        "subject-name-correct",
        PRACTITIONERS,
        lambda s: {"pk": s["cw_subject"], "row": s["cw_name"]},
    ),
    _page("subject-relocate", PRACTITIONERS, lambda s: {"pk": s["cw_place"]}),
    _page("subject-merge", PRACTITIONERS, lambda s: {"pk": s["cw_subject"]}),
    _page("merges", frozenset({ADMIN})),
    _page("unmerge", frozenset({ADMIN}), lambda s: {"pk": s["cw_merge"]}),
    _page("cases", PRACTITIONERS),
    _page("case-new", PRACTITIONERS),
    _page("case-new", PRACTITIONERS, query="?area=ASB", variant="ASB"),
    _case("case", variant="led"),
    _case("case", key="cw_case_shared", variant="shared: chronology and tasks"),
    _case("case", NOBODY, key="cw_case_locked", variant="not shared"),
    _case("case", NOBODY, key="cw_case_expired", variant="grant expired"),
    _case("case-edit"),
    _case("case-status"),
    _case("case-subject-add"),
    _case("case-subject-remove", part="cw_row"),
    _case("consent", part="cw_row"),
    _case("entry-add"),
    _case("entry-correct", part="cw_entry"),
    _case("task-add"),
    _case("task-edit", part="cw_task"),
    _case("document-upload"),
    _case("grant-add"),
    _case("grant-revoke", part="cw_grant"),
    _page("my-tasks", PRACTITIONERS),
    _case("request-access", key="cw_case_expired"),
    _case("break-glass", key="cw_case_expired"),
    _page("access-requests", PRACTITIONERS),
    _page("access-request", PRACTITIONERS, lambda s: {"pk": s["cw_access_request"]}),
    _page("reviews", frozenset({DPO})),
    _page("review", frozenset({DPO}), lambda s: {"pk": s["cw_break_glass"]}),
    _page("agreements", CASEWORK),
    _page("agreement-new", frozenset({ADMIN, DPO})),
    _page("agreement-edit", frozenset({ADMIN, DPO}), lambda s: {"pk": s["cw_agreement"]}),
]

FLOWS: dict[str, str] = {}

NOT_PAGES = {
    "casework:document-download": "a file download (test_casework downloads one)",
}
