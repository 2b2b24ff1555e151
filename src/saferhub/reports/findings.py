"""Key findings: sentences generated from the assessment by explicit rules.

Each finding carries the figures it states (`refs`), so a reader — or a test — can trace every
number in a sentence back to the assessment object. Rules never state what the numbers do not
show, and small numbers (fewer than SMALL offences) never become a percentage headline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

SMALL = 10  # fewer offences than this in either period: no percentage headline
RANK_EDGE = 3  # best or worst this many boroughs in London are worth a finding
TOP_WARDS = 3
MAX_LISTED = 5  # categories named in one ranking sentence


@dataclass(frozen=True)
class Finding:
    rule: str
    text: str
    refs: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "text": self.text, "refs": self.refs}


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _ref(key: str, field_name: str, value: object, area: str | None = None) -> dict:
    return {"category": key, "field": field_name, "value": value, "area": area}


def _total_sentence(a: dict, total: dict, period: str, previous: str) -> Finding | None:
    if total["previous"] is None:
        return None
    if total["change"] == 0:
        text = f"{total['label']} was unchanged at {total['count']:,} offences in {period}."
    else:
        verb = "rose" if total["change"] > 0 else "fell"
        pct = ""
        if min(total["count"], total["previous"]) >= SMALL and total["change_pct"] is not None:
            pct = f" by {abs(total['change_pct']):.1f}%"
        text = (
            f"{total['label']} {verb}{pct}, from {total['previous']:,} offences in {previous} "
            f"to {total['count']:,} in {period}."
        )
    return Finding(
        "total_change",
        text,
        [
            _ref(total["key"], "count", total["count"]),
            _ref(total["key"], "previous", total["previous"]),
            _ref(total["key"], "change_pct", total["change_pct"]),
        ],
    )


def _extremes(categories: list[dict], period: str) -> list[Finding]:
    found: list[Finding] = []
    with_change = [c for c in categories if c["change"] is not None and c["key"] != "total"]
    rises = [c for c in with_change if c["change"] > 0]
    falls = [c for c in with_change if c["change"] < 0]
    said: set[tuple[str, str]] = set()
    for direction, group, sign in (("rise", rises, 1), ("fall", falls, -1)):
        if not group:
            continue
        top = max(group, key=lambda c: (sign * c["change"], c["label"]))
        found.append(
            Finding(
                f"largest_{direction}_volume",
                f"The largest {direction} in volume was in {top['label'].lower()}: "
                f"{top['change']:+,} offences ({top['previous']:,} to {top['count']:,}).",
                [
                    _ref(top["key"], "change", top["change"]),
                    _ref(top["key"], "previous", top["previous"]),
                    _ref(top["key"], "count", top["count"]),
                ],
            )
        )
        said.add((direction, top["key"]))
        big_enough = [
            c
            for c in group
            if min(c["count"], c["previous"]) >= SMALL and c["change_pct"] is not None
        ]
        if not big_enough:
            continue
        top_pct = max(big_enough, key=lambda c: (sign * c["change_pct"], c["label"]))
        if (direction, top_pct["key"]) in said:
            continue
        found.append(
            Finding(
                f"largest_{direction}_percentage",
                f"The largest percentage {direction} was in {top_pct['label'].lower()}: "
                f"{top_pct['change_pct']:+.1f}% ({top_pct['previous']:,} to "
                f"{top_pct['count']:,}).",
                [
                    _ref(top_pct["key"], "change_pct", top_pct["change_pct"]),
                    _ref(top_pct["key"], "previous", top_pct["previous"]),
                    _ref(top_pct["key"], "count", top_pct["count"]),
                ],
            )
        )
    return found


def _ranks(a: dict) -> list[Finding]:
    """One sentence for categories near the bottom of London's table, one for the top."""
    n = a["ranked_boroughs"]
    if not n or a["area"]["type"] != "borough":
        return []
    low, high = [], []
    for c in a["categories"]:
        rank = c["london_rank_by_rate"]
        if rank is None or c["count"] < SMALL:
            continue
        if rank <= RANK_EDGE:
            low.append((rank, c))
        elif rank > n - RANK_EDGE:
            high.append((n - rank + 1, c))
    found = []
    for place, group in (("lowest", low), ("highest", high)):
        if not group:
            continue
        group.sort(key=lambda item: (item[0], item[1]["label"]))
        group = group[:MAX_LISTED]
        parts = [
            f"{c['label'].lower()} ({'' if pos == 1 else ordinal(pos) + ' '}{place}, "
            f"{c['rate']:.2f} per 1,000)"
            for pos, c in group
        ]
        listing = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        found.append(
            Finding(
                f"london_rank_{place}",
                f"Of the {n} London boroughs, {a['area']['name']} has among the {place} "
                f"rates of {listing}.",
                [_ref(c["key"], "london_rank_by_rate", c["london_rank_by_rate"]) for _, c in group]
                + [_ref(c["key"], "rate", c["rate"]) for _, c in group],
            )
        )
    return found


def _comparators(a: dict, keys: list[str]) -> list[Finding]:
    group = [c for c in a["comparators"] if c["type"] == "borough"]
    if len(group) < 3:
        return []
    found = []
    for key in keys:
        rates = [(c["categories"][key]["rate"], c["name"]) for c in group if key in c["categories"]]
        if len(rates) < 3 or any(r is None for r, _ in rates):
            continue
        subject = next(c for c in group if c["is_subject"])
        label = next(c["label"] for c in a["categories"] if c["key"] == key)
        own = subject["categories"][key]
        if own["count"] < SMALL:
            continue
        ordered = sorted(rates)
        if ordered[0][1] == subject["name"] and ordered[0][0] < ordered[1][0]:
            place = "lowest"
        elif ordered[-1][1] == subject["name"] and ordered[-1][0] > ordered[-2][0]:
            place = "highest"
        else:
            continue
        found.append(
            Finding(
                "comparator_rank",
                f"Among its {len(group) - 1} comparator boroughs, {subject['name']} has the "
                f"{place} rate of {label.lower()} ({own['rate']:.2f} per 1,000).",
                [_ref(key, "rate", own["rate"], subject["name"])],
            )
        )
    return found


def _ward_concentration(a: dict, keys: list[str]) -> list[Finding]:
    wards = a["wards"]
    if len(wards) < 2 * TOP_WARDS:
        return []
    found = []
    for key in keys:
        category = next((c for c in a["categories"] if c["key"] == key), None)
        if category is None or category["count"] < SMALL:
            continue
        top = sorted(wards, key=lambda w: (-w["categories"][key]["count"], w["name"]))[:TOP_WARDS]
        held = sum(w["categories"][key]["count"] for w in top)
        share = held / category["count"]
        fair = TOP_WARDS / len(wards)
        if share < 1.5 * fair:  # not markedly more than their share of wards
            continue
        names = ", ".join(w["name"] for w in top[:-1]) + f" and {top[-1]['name']}"
        found.append(
            Finding(
                "ward_concentration",
                f"{TOP_WARDS} of the {len(wards)} wards ({names}) account for "
                f"{share * 100:.0f}% of {category['label'].lower()} ({held:,} of "
                f"{category['count']:,}).",
                [_ref(key, "count", w["categories"][key]["count"], w["name"]) for w in top]
                + [_ref(key, "count", category["count"], a["area"]["name"])],
            )
        )
    return found


def key_findings(a: dict, priority_keys: list[str]) -> list[Finding]:
    """The findings for a summary page, in reading order."""
    period = a["period"]["title"]
    prev = a["previous_period"]
    previous = prev["title"] if prev else ""
    total = a["categories"][0]
    keys = ["total", *[k for k in priority_keys if k != "total"]]
    findings = [f for f in [_total_sentence(a, total, period, previous)] if f]
    findings += _extremes(a["categories"], period)
    findings += _ranks(a)
    findings += _comparators(a, keys)
    findings += _ward_concentration(a, keys)
    return findings
