"""Decision rules of the partnership's panels, as pure functions of plain values.

The panels (MARAC, the ASB case review or "community trigger", and Integrated Offender
Management) each apply a few rules that must give the same answer wherever they are asked:
on a case page, in a quarterly return, in the annual publication. Keeping them here, with no
Django and no database, means they can be read by a panel chair, tested exhaustively, and
called by the services with values they have already loaded.

Every bad input raises `RuleError`, which names the field (and, for lists, the row) so a form
or an import can point at the thing to correct.

Dates follow one convention throughout: "within N months before a date" is measured in
calendar months, and the boundary day itself is inside the window. A month or year earlier
than a day that does not exist in the earlier month falls on that month's last day
(31 May minus 3 months is 28 or 29 February; 29 February minus a year is 28 February).
"""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

__all__ = [
    "AGE_BANDS",
    "EXPECTED_PER_10K_WOMEN_A_YEAR",
    "NOT_KNOWN",
    "REPEAT_RATE_RANGE",
    "Candidate",
    "Complaint",
    "ReferralRecord",
    "Return",
    "ReviewRecord",
    "RuleError",
    "Selection",
    "ThresholdResult",
    "Timescales",
    "annual_figures",
    "expected_referrals",
    "months_before",
    "overdue",
    "quarter_bounds",
    "quarter_of",
    "repeat_of",
    "review_timescales",
    "safelives_return",
    "select_cohort",
    "threshold_test",
    "volume_per_10k",
]


class RuleError(ValueError):
    """A panel rule was given input it cannot decide on.

    `field` names the input at fault so the caller can attach the message to the right form
    field or import column instead of showing a generic failure.
    """

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


def _require_int(value: object, field: str) -> int:
    """Reject non-integers (and bools, which Python treats as ints) with a named error."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise RuleError(f"{field} must be a whole number, not {value!r}", field)
    return value


def _require_date(value: object, field: str) -> date:
    """Reject anything that is not a date; a string date would compare wrongly or crash later."""
    if not isinstance(value, date):
        raise RuleError(f"{field} must be a date, not {value!r}", field)
    return value


def _check_period(start: date, end: date) -> None:
    """A reporting period must run forwards; a reversed one would silently count nothing."""
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        raise RuleError(f"end {end.isoformat()} is before start {start.isoformat()}", "end")


def months_before(d: date, months: int) -> date:
    """The same day `months` calendar months before `d`, clamped to the end of a short month.

    Calendar months rather than a fixed number of days, because that is how panels and the
    public read "within 12 months" or "in the last 6 months": 1 May back to 1 November.
    """
    total = d.year * 12 + (d.month - 1) - months
    year, month0 = divmod(total, 12)
    month = month0 + 1
    day = min(d.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


# --------------------------------------------------------------------------------------------
# 1. MARAC repeat referrals
# --------------------------------------------------------------------------------------------


def repeat_of(referred_on: date, previous: Sequence[date]) -> date | None:
    """The earlier referral that makes this one a repeat, or None if it is not a repeat.

    SafeLives defines a repeat as a referral of the same victim to the MARAC within 12 months
    of their LAST previous referral, so only the latest earlier referral matters: if that one
    is outside the window, every older one is too.

    "Within 12 months" is calendar-based: the previous referral counts when it falls on or
    after the same day one year earlier (29 February steps back to 28 February). In days that
    is at most 365, or 366 when the year in between contains 29 February; 364 days is always a
    repeat and 366 days across no leap day is not.

    Previous dates on or after `referred_on` are ignored: a later referral cannot make an
    earlier one a repeat, and one on the same day is taken to be the same referral recorded
    twice. Returns the date of the previous referral so the case page can show it.
    """
    _require_date(referred_on, "referred_on")
    for i, d in enumerate(previous, start=1):
        _require_date(d, f"previous {i}")
    earlier = [d for d in previous if d < referred_on]
    if not earlier:
        return None
    last = max(earlier)
    return last if last >= months_before(referred_on, 12) else None


# --------------------------------------------------------------------------------------------
# 2. Community trigger (ASB case review, Anti-social Behaviour, Crime and Policing Act 2014 s104)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Complaint:
    """One complaint about the anti-social behaviour, as counted towards the threshold.

    The statutory guidance expects each complaint to have been made within one month of the
    behaviour it reports; that is a judgement on the evidence, so the caller decides which
    complaints to pass in and this module only counts them by date.
    """

    made_on: date
    agency: str


@dataclass(frozen=True)
class ThresholdResult:
    """Whether an application meets the local threshold, and the complaints that count."""

    met: bool
    qualifying: tuple[Complaint, ...]
    window_start: date
    reason: str


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def threshold_test(
    received_on: date,
    complaints: Sequence[Complaint],
    *,
    complaints_needed: int = 3,
    months: int = 6,
) -> ThresholdResult:
    """Apply the community trigger threshold to an application received on `received_on`.

    Section 104 lets the relevant bodies set the threshold locally; the statutory guidance
    says it should be no higher than three complaints in six months. The defaults are that
    ceiling, and a partnership may lower the count or change the period.

    A complaint qualifies when it was made on or after `window_start` (the same day `months`
    calendar months before `received_on`; the boundary day is inside the window, so a
    complaint made exactly six months earlier counts, the reading most favourable to the
    applicant) and on or before `received_on`. A complaint dated after the application is an
    error, not something to skip: it means the dates were entered wrongly.

    Qualifying complaints are returned in date order so the decision letter can list them.
    """
    _require_date(received_on, "received_on")
    _require_int(complaints_needed, "complaints_needed")
    _require_int(months, "months")
    if complaints_needed < 1:
        raise RuleError(
            f"complaints_needed must be at least 1, not {complaints_needed}", "complaints_needed"
        )
    if not 1 <= months <= 24:
        raise RuleError(f"months must be between 1 and 24, not {months}", "months")
    for i, c in enumerate(complaints, start=1):
        if not isinstance(c, Complaint):
            raise RuleError(f"complaint {i}: expected a Complaint, not {c!r}", "complaints")
        _require_date(c.made_on, f"complaint {i}: made_on")
        if c.made_on > received_on:
            raise RuleError(
                f"complaint {i}: made_on {c.made_on.isoformat()} is after the application date "
                f"{received_on.isoformat()}",
                "complaints",
            )
    window_start = months_before(received_on, months)
    qualifying = tuple(
        sorted((c for c in complaints if c.made_on >= window_start), key=lambda c: c.made_on)
    )
    met = len(qualifying) >= complaints_needed
    reason = (
        f"{_plural(len(qualifying), 'complaint')} in the {_plural(months, 'month')} before "
        f"{received_on.isoformat()} (threshold {complaints_needed}): "
        f"{'threshold met' if met else 'threshold not met'}"
    )
    return ThresholdResult(met=met, qualifying=qualifying, window_start=window_start, reason=reason)


@dataclass(frozen=True)
class Timescales:
    """When the threshold decision and the review itself are due for one application."""

    decision_due: date
    review_due: date


def review_timescales(
    received_on: date, *, decision_days: int = 10, review_days: int = 30
) -> Timescales:
    """Due dates for deciding the threshold and holding the review.

    The Act leaves timescales to local procedures, so both are settings, counted in calendar
    days from the day the application was received (not working days: bank holidays differ
    and a calendar count is what applicants can check for themselves). The defaults are a
    common local choice, not a legal requirement.
    """
    _require_date(received_on, "received_on")
    _require_int(decision_days, "decision_days")
    _require_int(review_days, "review_days")
    if decision_days < 0:
        raise RuleError(f"decision_days must not be negative, not {decision_days}", "decision_days")
    if review_days < decision_days:
        raise RuleError(
            f"review_days ({review_days}) must not be shorter than decision_days "
            f"({decision_days}): the review cannot be due before the decision",
            "review_days",
        )
    return Timescales(
        decision_due=received_on + timedelta(days=decision_days),
        review_due=received_on + timedelta(days=review_days),
    )


def overdue(due: date, done: date | None, on: date) -> bool:
    """Whether a step due on `due` is overdue as seen on `on`.

    Done on or before the due day: not overdue. Done late: overdue (the late completion stays
    on record). Not done, or done after `on` (not yet known on that day): overdue once `on` is
    past the due day; the due day itself is still in time.
    """
    _require_date(due, "due")
    _require_date(on, "on")
    if done is not None:
        _require_date(done, "done")
        if done <= on:
            return done > due
    return on > due


@dataclass(frozen=True)
class ReviewRecord:
    """One community trigger application, reduced to what the annual publication counts.

    `threshold_met` is None while the decision is pending.
    """

    received_on: date
    threshold_met: bool | None
    review_held_on: date | None
    recommendations: bool


def annual_figures(records: Iterable[ReviewRecord], start: date, end: date) -> dict[str, int]:
    """The figures s104(10) requires the relevant bodies to publish for a period.

    Every count is of applications RECEIVED in [start, end] (both days included), followed
    through to their outcome, so the four numbers describe one set of applications and always
    nest: reviews held never exceed applications. Pending threshold decisions count as neither
    met nor not met. A review counts as held when it has a held date; recommendations only
    count for a held review.
    """
    _check_period(start, end)
    figures = {
        "applications": 0,
        "threshold_not_met": 0,
        "reviews_held": 0,
        "reviews_with_recommendations": 0,
    }
    for i, r in enumerate(records, start=1):
        _require_date(r.received_on, f"record {i}: received_on")
        if not start <= r.received_on <= end:
            continue
        figures["applications"] += 1
        if r.threshold_met is False:
            figures["threshold_not_met"] += 1
        if r.review_held_on is not None:
            if r.review_held_on < r.received_on:
                raise RuleError(
                    f"record {i}: review_held_on {r.review_held_on.isoformat()} is before "
                    f"received_on {r.received_on.isoformat()}",
                    "review_held_on",
                )
            figures["reviews_held"] += 1
            if r.recommendations:
                figures["reviews_with_recommendations"] += 1
    return figures


# --------------------------------------------------------------------------------------------
# 3. SafeLives quarterly MARAC data return
# --------------------------------------------------------------------------------------------

#: SafeLives' recommended range for the proportion of MARAC referrals that are repeats. Below
#: it suggests repeats are not being identified; above it, that referrals are not reaching the
#: MARAC early.
REPEAT_RATE_RANGE: tuple[float, float] = (0.28, 0.40)

#: SafeLives' recommended MARAC volume: about 40 cases a year per 10,000 women aged 16 and over.
EXPECTED_PER_10K_WOMEN_A_YEAR: int = 40

NOT_KNOWN = "not known"

#: Age bands of the return, in the order they are reported. MARAC is for victims aged 16 and
#: over, so younger ages get their own band rather than being hidden in "not known".
AGE_BANDS: tuple[str, ...] = (
    "under 16",
    "16-17",
    "18-24",
    "25-34",
    "35-44",
    "45-54",
    "55-64",
    "65+",
    NOT_KNOWN,
)


@dataclass(frozen=True)
class ReferralRecord:
    """One MARAC referral, reduced to the plain values the SafeLives return counts.

    Unknown ages and household children are None; unknown categories may be empty strings.
    """

    referred_on: date
    repeat: bool
    referring_agency: str
    victim_gender: str
    victim_age: int | None
    victim_ethnicity: str
    victim_disability: str
    victim_lgbt: str
    children_in_household: int | None


@dataclass(frozen=True)
class Return:
    """The quarterly (or any period's) MARAC data return.

    Category counts are keyed by the recorded value, with blanks as "not known". `age_band`
    always carries every band in `AGE_BANDS`, zeros included, so the return form has a fixed
    shape. `children` is the total number of children in the victims' households.
    """

    start: date
    end: date
    referrals: int
    repeats: int
    repeat_rate: float | None
    by_agency: dict[str, int]
    gender: dict[str, int]
    age_band: dict[str, int]
    ethnicity: dict[str, int]
    disability: dict[str, int]
    lgbt: dict[str, int]
    children: int


def quarter_of(d: date) -> tuple[int, int]:
    """The calendar quarter (year, 1..4) a date falls in; SafeLives returns use these."""
    _require_date(d, "d")
    return d.year, (d.month - 1) // 3 + 1


def quarter_bounds(year: int, q: int) -> tuple[date, date]:
    """First and last day of calendar quarter `q` of `year`, both inclusive."""
    _require_int(year, "year")
    _require_int(q, "q")
    if not 1 <= q <= 4:
        raise RuleError(f"q must be between 1 and 4, not {q}", "q")
    if not 1 <= year <= 9999:
        raise RuleError(f"year must be between 1 and 9999, not {year}", "year")
    first_month = 3 * (q - 1) + 1
    last_month = first_month + 2
    return (
        date(year, first_month, 1),
        date(year, last_month, calendar.monthrange(year, last_month)[1]),
    )


def _age_band(age: int | None, row: int) -> str:
    if age is None:
        return NOT_KNOWN
    if isinstance(age, bool) or not isinstance(age, int) or not 0 <= age <= 130:
        raise RuleError(f"referral {row}: victim_age {age!r} is not a possible age", "victim_age")
    if age < 16:
        return "under 16"
    if age < 18:
        return "16-17"
    if age < 25:
        return "18-24"
    if age >= 65:
        return "65+"
    low = (age - 25) // 10 * 10 + 25
    return f"{low}-{low + 9}"


def _category(value: str) -> str:
    """Blank or missing means not known; surrounding spaces are typing, not a new category."""
    text = (value or "").strip()
    return text if text else NOT_KNOWN


def _counts(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items()))


def safelives_return(records: Iterable[ReferralRecord], start: date, end: date) -> Return:
    """Count the MARAC referrals made in [start, end] (both days included) for SafeLives.

    The repeat flag is taken as recorded (see `repeat_of` for how it is decided), so the
    return agrees with the case records. The repeat rate is None when there were no
    referrals, because 0% would wrongly suggest repeats are being missed; compare it with
    `REPEAT_RATE_RANGE`.
    """
    _check_period(start, end)
    chosen: list[tuple[int, ReferralRecord]] = []
    for i, r in enumerate(records, start=1):
        _require_date(r.referred_on, f"referral {i}: referred_on")
        if start <= r.referred_on <= end:
            chosen.append((i, r))

    age_band = dict.fromkeys(AGE_BANDS, 0)
    children = 0
    for i, r in chosen:
        age_band[_age_band(r.victim_age, i)] += 1
        n = r.children_in_household
        if n is not None:
            if isinstance(n, bool) or not isinstance(n, int) or n < 0:
                raise RuleError(
                    f"referral {i}: children_in_household {n!r} must be a whole number "
                    "of 0 or more",
                    "children_in_household",
                )
            children += n

    referrals = len(chosen)
    repeats = sum(1 for _, r in chosen if r.repeat)
    return Return(
        start=start,
        end=end,
        referrals=referrals,
        repeats=repeats,
        repeat_rate=repeats / referrals if referrals else None,
        by_agency=_counts(_category(r.referring_agency) for _, r in chosen),
        gender=_counts(_category(r.victim_gender) for _, r in chosen),
        age_band=age_band,
        ethnicity=_counts(_category(r.victim_ethnicity) for _, r in chosen),
        disability=_counts(_category(r.victim_disability) for _, r in chosen),
        lgbt=_counts(_category(r.victim_lgbt) for _, r in chosen),
        children=children,
    )


def _check_population(adult_women: int, days: int) -> None:
    _require_int(adult_women, "adult_women")
    _require_int(days, "days")
    if adult_women <= 0:
        raise RuleError(f"adult_women must be more than 0, not {adult_women}", "adult_women")
    if days <= 0:
        raise RuleError(f"days must be more than 0, not {days}", "days")


def expected_referrals(adult_women: int, days: int) -> float:
    """The number of referrals SafeLives' recommended volume implies for a period.

    40 a year per 10,000 women aged 16+, pro rata by `days / 365` (a plain year: over a
    quarter the leap-day difference is far smaller than the count's own uncertainty, and 365
    makes a 365-day period come out at exactly the annual figure).
    """
    _check_population(adult_women, days)
    return EXPECTED_PER_10K_WOMEN_A_YEAR * adult_women / 10_000 * days / 365


def volume_per_10k(referrals: int, adult_women: int, days: int) -> float:
    """Referrals over `days` as an annual rate per 10,000 women aged 16+.

    Annualised with the same 365-day year as `expected_referrals`, so the result compares
    directly with `EXPECTED_PER_10K_WOMEN_A_YEAR`.
    """
    _require_int(referrals, "referrals")
    if referrals < 0:
        raise RuleError(f"referrals must not be negative, not {referrals}", "referrals")
    _check_population(adult_women, days)
    return referrals / adult_women * 10_000 * 365 / days


# --------------------------------------------------------------------------------------------
# 4. Integrated Offender Management cohort selection
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    """A person considered for the IOM cohort, by key only (no personal details here).

    `pinned` marks someone in the fixed cohort under national criteria (for example a
    statutory requirement); they are in the cohort whatever their local score.
    """

    key: str
    score: int
    pinned: bool = False


@dataclass(frozen=True)
class Selection:
    """The outcome of a cohort selection.

    `selected` lists pinned people first, then the highest-scoring eligible people;
    `waiting` is eligible people left out for lack of places, in the order they would be
    taken; `below` is everyone under the minimum score. `over_capacity` is how many places the
    pinned cohort alone exceeds capacity by (0 when it fits).
    """

    selected: tuple[str, ...]
    waiting: tuple[str, ...]
    below: tuple[str, ...]
    over_capacity: int


def select_cohort(candidates: Iterable[Candidate], *, capacity: int, min_score: int) -> Selection:
    """Choose the IOM cohort for a number of places.

    Pinned candidates take places first and are never dropped, even when they alone exceed
    capacity: national criteria are not a local choice, so the shortfall is reported in
    `over_capacity` for the panel to resource rather than hidden. Remaining places go to
    non-pinned candidates scoring at least `min_score`, highest first, ties broken by key so
    the same inputs always give the same cohort.
    """
    _require_int(capacity, "capacity")
    _require_int(min_score, "min_score")
    if capacity < 0:
        raise RuleError(f"capacity must not be negative, not {capacity}", "capacity")
    seen: set[str] = set()
    pool: list[Candidate] = []
    for i, c in enumerate(candidates, start=1):
        if not isinstance(c.key, str) or not c.key.strip():
            raise RuleError(f"candidate {i}: key must not be blank", "key")
        _require_int(c.score, f"candidate {i}: score")
        if c.key in seen:
            raise RuleError(f"candidate {i}: key {c.key!r} appears more than once", "key")
        seen.add(c.key)
        pool.append(c)

    def order(c: Candidate) -> tuple[int, str]:
        return (-c.score, c.key)

    pinned = sorted((c for c in pool if c.pinned), key=order)
    eligible = sorted((c for c in pool if not c.pinned and c.score >= min_score), key=order)
    below = sorted((c for c in pool if not c.pinned and c.score < min_score), key=order)
    places = max(0, capacity - len(pinned))
    return Selection(
        selected=tuple(c.key for c in pinned + eligible[:places]),
        waiting=tuple(c.key for c in eligible[places:]),
        below=tuple(c.key for c in below),
        over_capacity=max(0, len(pinned) - capacity),
    )
