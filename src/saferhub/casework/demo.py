"""Fictional casework for `saferhub demo`: people, places, vehicles and a group, cases in
several business areas led by different agencies, and every sharing state to be seen.

Everything is written through the services (so it has its audit entries) and dated from
`today`. The demo practitioner (Demo Police) leads an ASB case shared with the council and
holding an overdue task, works a MARAC case a colleague leads, sees a probation IOM case
through a chronology-and-tasks grant, finds a youth case's subject locked (the grant expired)
and an exploitation case's subject locked (never shared), has an access request from the
housing association waiting, and a near-duplicate person to find. A break glass waits for the
data protection officer; one merge waits for an admin who might undo it. Every person, place
and vehicle is invented; the names say so where a name can.

Run again, it adds nothing: the first case's title marks the demo as loaded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from ..accounts.models import Agency, Role, User
from ..cases import services as cases
from ..cases.models import BusinessArea, Case, EntryType
from ..cases.models import Role as CaseRole
from ..sharing import services as sharing
from ..sharing.lawful import Art6, Art9, DpaCondition
from ..sharing.models import InformationSharingAgreement, Scope
from ..subjects import services as subjects
from ..subjects.entries import (
    AddressEntry,
    FlagEntry,
    GroupDetails,
    IdentifierEntry,
    LinkEntry,
    NameEntry,
    PersonDetails,
    PlaceDetails,
    SpecialCategoryEntry,
    VehicleDetails,
)
from ..subjects.vocabulary import (
    Ethnicity,
    FlagType,
    Gender,
    GroupType,
    IdentifierType,
    LinkType,
    NameType,
    PlaceType,
    Religion,
)

MARK = "Noise and intimidation at Larkspur Court (fictional)"
DOMAIN = "casework.demo.saferhub.invalid"

# (email local part, name, agency name): practitioners who are authors and owners in the
# demo; they cannot sign in (no password), so the demo's sign-in list stays as it is.
PEOPLE = {
    "colleague": ("police.colleague", "Demo police colleague", "Demo Police (fictional)"),
    "council": ("council.officer", "Demo council ASB officer", "Demo Borough Council (fictional)"),
    "housing": ("housing.officer", "Demo housing officer", "Demo Housing Association (fictional)"),
    "probation": (
        "probation.officer",
        "Demo probation officer",
        "Demo Probation Service (fictional)",
    ),
    "youth": ("youth.worker", "Demo youth worker", "Demo Youth Offending Service (fictional)"),
}


@dataclass
class Loaded:
    """What the demo made, by name (the browser tests open these)."""

    cases: dict
    subjects: dict


def _moment(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


DPO = ("data.protection", "Demo data protection officer", "Demo Borough Council (fictional)")


def _people(practitioner: User) -> dict[str, User]:
    out = {"practitioner": practitioner}
    for key, (local, name, agency) in PEOPLE.items():
        email = f"{local}@{DOMAIN}"
        out[key] = User.objects.filter(email=email).first() or User.objects.create_user(
            email,
            None,
            full_name=name,
            agency=Agency.objects.get(name=agency),
            role=Role.PRACTITIONER,
        )
    # The data protection officer, who reviews the demo's break glass (a board member's
    # account: the DPO reads no case, ADR 11).
    local, name, agency = DPO
    out["dpo"] = User.objects.filter(email=f"{local}@{DOMAIN}").first() or (
        User.objects.create_user(
            f"{local}@{DOMAIN}",
            None,
            full_name=name,
            agency=Agency.objects.get(name=agency),
            role=Role.BOARD,
            is_data_protection_officer=True,
        )
    )
    return out


def people_emails() -> list[str]:
    """The casework demo's own users (the other agencies' practitioners and the DPO), whom
    `saferhub demo` gives the demo password and lists."""
    locals_ = [local for local, _, _ in PEOPLE.values()] + [DPO[0]]
    return [f"{local}@{DOMAIN}" for local in locals_]


def _agreement(admin: User, today: date) -> InformationSharingAgreement:
    agreement = sharing.save_agreement(
        InformationSharingAgreement(),
        values={
            "title": "Demo community safety information-sharing agreement (fictional)",
            "purpose": "Preventing and reducing crime, disorder and anti-social behaviour, and "
            "protecting victims and vulnerable people, in the demo partnership's area",
            "data_items": "Names, dates of birth, addresses, identifiers, incidents, risk, "
            "actions, and special category data where a case needs it",
            "legal_gateway": "Crime and Disorder Act 1998 s115; Children Act 2004 s11",
            "retention": "Six years after the case closes, then deleted",
            "review_on": today + timedelta(days=200),
            "signed_on": today - timedelta(days=160),
            "lawful_basis": Art6.PUBLIC_TASK,
            "special_category_condition": Art9.SUBSTANTIAL_PUBLIC_INTEREST,
            "dpa_condition": DpaCondition.SAFEGUARDING,
            "criminal_offence_data": True,
        },
        parties=list(Agency.objects.filter(name__startswith="Demo ")),
        user=admin,
        at=_moment(today - timedelta(days=160)),
    )
    sharing.attach_signed_document(
        agreement,
        b"%PDF-1.4\n% Demo agreement, signed by every (fictional) party\n%%EOF\n",
        filename="demo-agreement-signed.pdf",
        user=admin,
        at=_moment(today - timedelta(days=160)),
    )
    return agreement


def _person(by, given, family, *, born=None, age=None, today, gender="", **more):
    return subjects.create_person(
        name=NameEntry(given, family),
        details=PersonDetails(
            date_of_birth=born,
            estimated_age=age,
            age_estimated_on=today if age is not None else None,
            gender=gender,
        ),
        by=by,
        **more,
    )


def _subjects(p: dict, today: date) -> dict:
    police, council = p["practitioner"], p["council"]
    s: dict = {}
    s["larkspur"] = subjects.create_place(
        PlaceDetails(
            place_type=PlaceType.DWELLING,
            name="Larkspur Court (fictional)",
            line_1="1-24 Larkspur Court",
            town="Northbrook",
            postcode="NB1 4AA",
        ),
        by=police,
    )
    s["shops"] = subjects.create_place(
        PlaceDetails(
            place_type=PlaceType.SHOP,
            name="Mill Lane shops (fictional)",
            line_1="2-10 Mill Lane",
            town="Northbrook",
            postcode="NB2 7QT",
        ),
        by=council,
    )
    s["casey"] = _person(
        police,
        "Casey",
        "Samplewood",
        born=date(1987, 9, 21),
        gender=Gender.FEMALE,
        today=today,
        addresses=[AddressEntry(place_id=s["larkspur"].pk, lived_from=date(2019, 4, 1))],
    )
    subjects.set_special_category(
        s["casey"],
        SpecialCategoryEntry(ethnicity=Ethnicity.MIXED_WHITE_ASIAN, religion=Religion.NONE),
        by=police,
    )
    s["jordan"] = _person(
        police,
        "Jordan",
        "Demoford",
        born=date(1998, 5, 14),
        gender=Gender.MALE,
        today=today,
        other_names=[NameEntry("Jay", "Demoford", NameType.NICKNAME)],
        addresses=[AddressEntry(place_id=s["larkspur"].pk, lived_from=date(2023, 1, 9))],
        identifiers=[IdentifierEntry(IdentifierType.PNC, "19/0012345G")],
        flags=[FlagEntry(FlagType.VIOLENT_TO_STAFF, "Threatened a housing officer, 2025")],
    )
    # Probation's own record of him for its IOM case: the police's record is not probation's
    # to put on a case (a share of a police case would not make it so; ADR 11).
    s["jordan_probation"] = _person(
        p["probation"],
        "Jordan",
        "Demoford",
        born=date(1998, 5, 14),
        gender=Gender.MALE,
        today=today,
        identifiers=[IdentifierEntry(IdentifierType.PNC, "19/0012345G")],
    )
    # The same man entered again by a colleague, surname misspelt: the demo's duplicate.
    s["jordon"] = _person(p["colleague"], "Jordon", "Demforde", born=date(1998, 5, 14), today=today)
    s["van"] = subjects.create_vehicle(
        VehicleDetails("FK24 DMO", make="Ford", model="Transit", colour="White"), by=police
    )
    s["riley"] = _person(
        p["colleague"],
        "Riley",
        "Fictonby",
        born=date(1993, 2, 2),
        gender=Gender.FEMALE,
        today=today,
    )
    s["sam"] = _person(p["colleague"], "Sam", "Fictonby", age=41, gender=Gender.MALE, today=today)
    s["taylor"] = _person(p["youth"], "Taylor", "Byfield", born=date(2010, 11, 30), today=today)
    s["alex"] = _person(council, "Alex", "Quarryman", age=19, today=today)
    s["crew"] = subjects.create_group(
        GroupDetails(
            GroupType.GANG,
            "The Quarry Lane crew (fictional)",
            "A street group linked to drug dealing near the quarry (fictional)",
        ),
        by=council,
    )
    s["morgan"] = _person(council, "Morgan", "Placeholder", born=date(1979, 7, 7), today=today)
    for a, b, kind in [
        ("jordan", "crew", LinkType.MEMBER_OF),
        ("alex", "crew", LinkType.MEMBER_OF),
        ("jordan", "alex", LinkType.ASSOCIATE_OF),
        ("jordan", "van", LinkType.KEEPER_OF),
        ("jordan", "larkspur", LinkType.LIVES_AT),
        ("casey", "larkspur", LinkType.LIVES_AT),
        ("sam", "riley", LinkType.PARTNER_OF),
    ]:
        # Each link is added by the agency that recorded the person it is from (who may change
        # that record).
        entry = LinkEntry(kind, started_on=date(2024, 6, 1))
        subjects.add_link(s[a], s[b], entry, by=s[a].created_by)
    # A record entered twice and merged, so an admin can see (and undo) a merge.
    twice = _person(police, "Casey", "Samplewod", born=date(1987, 9, 21), today=today)
    subjects.merge(s["casey"], twice, by=police, reason="Same woman: surname mistyped at entry")
    s["casey"].refresh_from_db()
    return s


def _case(user, code, title, opened, extra):
    return cases.create_case(
        user,
        business_area=BusinessArea.objects.get(code=code),
        title=title,
        opened_on=opened,
        extra=extra,
        at=_moment(opened),
    )


def _on(user, case, pairs, at):
    for subject, role in pairs:
        cases.add_subject(user, case, subject, role, at=at)


def _entries(user, case, rows, today):
    for days_ago, kind, text, sensitive in rows:
        day = today - timedelta(days=days_ago)
        cases.add_entry(
            user,
            case,
            type=kind,
            text=text,
            event_date=day,
            sensitive=sensitive,
            at=_moment(day, 15),
        )


def _cases(p: dict, s: dict, agreement, today: date) -> dict:
    police, colleague = p["practitioner"], p["colleague"]
    c: dict = {}
    start = today - timedelta(days=40)

    # 1. ASB, led by the demo practitioner, shared whole with the council.
    c["asb"] = asb = _case(
        police, "ASB", MARK, start, {"asb_category": "Personal", "incidents_reported": "6"}
    )
    _on(
        police,
        asb,
        [
            (s["casey"], CaseRole.VICTIM),
            (s["jordan"], CaseRole.PERPETRATOR),
            (s["larkspur"], CaseRole.LOCATION),
            (s["van"], CaseRole.VEHICLE),
        ],
        _moment(start),
    )
    _entries(
        police,
        asb,
        [
            (
                38,
                EntryType.INCIDENT,
                "Loud music and shouting from flat 12 after midnight; the "
                "neighbour in flat 14 says she was threatened on the stairs.",
                False,
            ),
            (
                35,
                EntryType.CONTACT,
                "Visited the victim with the housing officer. She keeps a diary of incidents.",
                False,
            ),
            (
                30,
                EntryType.NOTE,
                "The victim is staying with her sister at a refuge address: do not "
                "share the address.",
                True,
            ),
            (
                21,
                EntryType.DECISION,
                "Community Protection Warning to be served on the perpetrator.",
                False,
            ),
            (
                9,
                EntryType.INCIDENT,
                "Further report of a white van blocking the victim's parking space.",
                False,
            ),
        ],
        today,
    )
    cases.add_task(
        police,
        asb,
        description="Serve the Community Protection Warning",
        due_on=today - timedelta(days=3),
        owner_user=police,
        at=_moment(today - timedelta(days=21)),
    )
    cases.add_task(
        police,
        asb,
        description="Review the victim's incident diary",
        due_on=today + timedelta(days=6),
        owner_user=police,
        at=_moment(today - timedelta(days=9)),
    )
    sharing.grant_access(
        police,
        asb,
        agency=p["council"].agency,
        scope=Scope.WHOLE,
        agreement=agreement,
        purpose="Joint ASB case management with the council's ASB team",
        starts_at=_moment(start),
        expires_at=_moment(today + timedelta(days=60)),
        at=_moment(start),
    )
    cases.add_task(
        police,
        asb,
        description="Council to check the tenancy conditions",
        due_on=today + timedelta(days=10),
        owner_agency=p["council"].agency,
        at=_moment(start + timedelta(days=1)),
    )
    sharing.record_consent(
        police,
        asb,
        s["casey"],
        status="given",
        recorded_on=start + timedelta(days=5),
        at=_moment(start + timedelta(days=5)),
    )
    sharing.record_consent(
        police,
        asb,
        s["jordan"],
        status="not_sought",
        lawful_basis=Art6.PUBLIC_TASK,
        recorded_on=start + timedelta(days=5),
        at=_moment(start + timedelta(days=5)),
    )
    cases.upload_document(
        police,
        asb,
        ContentFile(
            b"date,what\n"
            + b"\n".join(
                f"{today - timedelta(days=d):%Y-%m-%d},Noise after midnight (fictional)".encode()
                for d in (38, 31, 24, 9)
            )
            + b"\n",
            name="incident-diary.csv",
        ),
        description="The victim's incident diary, typed up (fictional)",
        at=_moment(today - timedelta(days=8)),
    )
    # The housing association asks for access, and waits for the demo practitioner.
    sharing.request_access(
        p["housing"],
        asb,
        subject=s["jordan"],
        reason="Mr Demoford is our tenant at Larkspur Court: we are considering a tenancy "
        "warning and need to know what the police hold.",
        at=_moment(today - timedelta(days=1)),
    )

    # 2. MARAC, led by a police colleague; the housing association sees the victim only.
    c["marac"] = marac = _case(
        colleague,
        "DA",
        "High-risk domestic abuse, Elm Row (fictional)",
        today - timedelta(days=25),
        {"risk_level": "High", "dash_score": "16", "idva_allocated": True},
    )
    _on(
        colleague,
        marac,
        [(s["riley"], CaseRole.VICTIM), (s["sam"], CaseRole.PERPETRATOR)],
        _moment(today - timedelta(days=25)),
    )
    _entries(
        colleague,
        marac,
        [
            (25, EntryType.REFERRAL, "Referred to MARAC after a DASH score of 16.", False),
            (
                18,
                EntryType.DECISION,
                "MARAC: IDVA to make contact; housing to fit extra locks.",
                False,
            ),
        ],
        today,
    )
    cases.add_task(
        colleague,
        marac,
        description="Confirm the locks are fitted",
        due_on=today + timedelta(days=2),
        owner_user=police,
        at=_moment(today - timedelta(days=18)),
    )
    sharing.grant_access(
        colleague,
        marac,
        agency=p["housing"].agency,
        scope=Scope.NAMED_SUBJECTS,
        agreement=agreement,
        subjects=[s["riley"]],
        purpose="Target hardening at the victim's home",
        starts_at=_moment(today - timedelta(days=18)),
        expires_at=_moment(today + timedelta(days=30)),
        at=_moment(today - timedelta(days=18)),
    )
    # The probation officer broke the glass two days ago: the DPO has it to review.
    sharing.break_glass(
        p["probation"],
        marac,
        reason="Perpetrator reported at the victim's address tonight; the MARAC lead is "
        "unreachable and we must check the safety plan before a home visit.",
        at=_moment(today - timedelta(days=2), 22),
    )

    # 3. IOM, led by probation, shared with the police as chronology and tasks.
    c["iom"] = iom = _case(
        p["probation"],
        "IOM",
        "IOM: Jordan Demoford (fictional)",
        today - timedelta(days=90),
        {"cohort": "Fixed"},
    )
    _on(
        p["probation"],
        iom,
        [(s["jordan_probation"], CaseRole.PERPETRATOR)],
        _moment(today - timedelta(days=90)),
    )
    _entries(
        p["probation"],
        iom,
        [
            (88, EntryType.DECISION, "Selected for the fixed IOM cohort.", False),
            (
                12,
                EntryType.CONTACT,
                "Attended his appointment; says he has work with a friend.",
                False,
            ),
        ],
        today,
    )
    sharing.grant_access(
        p["probation"],
        iom,
        agency=police.agency,
        scope=Scope.CHRONOLOGY_AND_TASKS,
        agreement=agreement,
        purpose="IOM joint management with the police IOM team",
        starts_at=_moment(today - timedelta(days=88)),
        expires_at=_moment(today + timedelta(days=200)),
        at=_moment(today - timedelta(days=88)),
    )
    cases.add_task(
        p["probation"],
        iom,
        description="Police to check the van's insurance",
        due_on=today + timedelta(days=4),
        owner_agency=police.agency,
        at=_moment(today - timedelta(days=12)),
    )

    # 4. Youth, led by the youth offending service; the police grant has expired.
    c["youth"] = youth = _case(
        p["youth"],
        "YTH",
        "Youth: Taylor Byfield (fictional)",
        today - timedelta(days=120),
        {"age_at_referral": "15", "school_or_college": "Northbrook Academy (fictional)"},
    )
    _on(p["youth"], youth, [(s["taylor"], CaseRole.VICTIM)], _moment(today - timedelta(days=120)))
    sharing.grant_access(
        p["youth"],
        youth,
        agency=police.agency,
        scope=Scope.WHOLE,
        agreement=agreement,
        purpose="Missing-episode return interviews",
        starts_at=_moment(today - timedelta(days=100)),
        expires_at=_moment(today - timedelta(days=10)),
        at=_moment(today - timedelta(days=100)),
    )

    # 5. Exploitation, led by the council, never shared: its people are locked to the police.
    c["exploitation"] = exv = _case(
        p["council"],
        "EXV",
        "Exploitation: The Quarry Lane crew (fictional)",
        today - timedelta(days=30),
        {"exploitation_type": "County lines"},
    )
    _on(
        p["council"],
        exv,
        [(s["crew"], CaseRole.ASSOCIATE), (s["alex"], CaseRole.VICTIM)],
        _moment(today - timedelta(days=30)),
    )
    _entries(
        p["council"],
        exv,
        [
            (
                29,
                EntryType.REFERRAL,
                "Referral from the youth club: a young man seen carrying "
                "packages for older members.",
                False,
            ),
        ],
        today,
    )

    # 6. Hate crime, led by the council, shared whole with the police.
    c["hate"] = hate = _case(
        p["council"],
        "HATE",
        "Graffiti at the Mill Lane shops (fictional)",
        today - timedelta(days=14),
        {"strand": "Religion"},
    )
    _on(
        p["council"],
        hate,
        [(s["shops"], CaseRole.LOCATION), (s["morgan"], CaseRole.VICTIM)],
        _moment(today - timedelta(days=14)),
    )
    sharing.grant_access(
        p["council"],
        hate,
        agency=police.agency,
        scope=Scope.WHOLE,
        agreement=agreement,
        purpose="Joint response to repeat hate incidents at the shops",
        starts_at=_moment(today - timedelta(days=13)),
        expires_at=_moment(today + timedelta(days=90)),
        at=_moment(today - timedelta(days=13)),
    )

    # 7. A closed ASB case of the demo practitioner's.
    c["closed"] = closed = _case(
        police,
        "ASB",
        "Fly-tipping behind Larkspur Court (fictional)",
        today - timedelta(days=150),
        {"asb_category": "Environmental"},
    )
    _on(police, closed, [(s["larkspur"], CaseRole.LOCATION)], _moment(today - timedelta(days=150)))
    cases.set_status(
        police,
        closed,
        version=closed.version,
        status="closed",
        reason="Behaviour stopped",
        on=today - timedelta(days=60),
        at=_moment(today - timedelta(days=60)),
    )
    return c


def load(today: date | None = None) -> Loaded | None:
    """Add the demo's casework (once). None when it is there already, or when the demo's
    practitioner and admin are not (run after `saferhub demo` has made its users)."""
    today = today or timezone.localdate()
    if Case.objects.filter(title=MARK).exists():
        return None
    practitioner = User.objects.filter(email="practitioner@demo.saferhub.invalid").first()
    admin = User.objects.filter(email="admin@demo.saferhub.invalid").first()
    if practitioner is None or admin is None:
        return None
    with transaction.atomic():
        people = _people(practitioner)
        agreement = _agreement(admin, today)
        found = _subjects(people, today)
        made = _cases(people, found, agreement, today)
    return Loaded(cases=made, subjects=found)


def samples() -> dict[str, int]:
    """The ids of the demo's casework objects, found by what the demo named them: what the
    browser tests put into casework URLs (`tests/casework/browser_pages.py`)."""
    from ..cases.models import CaseSubject, ChronologyEntry, Document, Task
    from ..sharing.models import AccessRequest, BreakGlass, Grant
    from ..subjects.models import MergeRecord, PersonAddress, PersonName, Subject

    def case(title: str) -> Case:
        return Case.objects.get(title=title)

    asb = case(MARK)
    marac = case("High-risk domestic abuse, Elm Row (fictional)")
    casey = Subject.objects.get(display_name="Casey Samplewood", merged_into__isnull=True)
    return {
        "cw_case_led": asb.pk,
        "cw_case_shared": case("IOM: Jordan Demoford (fictional)").pk,
        "cw_case_expired": case("Youth: Taylor Byfield (fictional)").pk,
        "cw_case_locked": case("Exploitation: The Quarry Lane crew (fictional)").pk,
        "cw_subject": casey.pk,
        "cw_subject_locked": Subject.objects.get(display_name="Alex Quarryman").pk,
        "cw_row": CaseSubject.objects.get(case=asb, subject=casey).pk,
        "cw_entry": ChronologyEntry.objects.filter(case=asb).order_by("pk").first().pk,
        "cw_task": Task.objects.filter(case=asb).order_by("due_on").first().pk,
        "cw_document": Document.objects.filter(case=asb).first().pk,
        "cw_grant": Grant.objects.filter(case=asb).order_by("pk").first().pk,
        "cw_access_request": AccessRequest.objects.get(case=asb, status="pending").pk,
        "cw_break_glass": BreakGlass.objects.get(case=marac).pk,
        "cw_merge": MergeRecord.objects.order_by("pk").first().pk,
        "cw_name": PersonName.objects.get(subject=casey, type="main").pk,
        "cw_address": PersonAddress.objects.filter(subject=casey).order_by("pk").first().pk,
        "cw_place": Subject.objects.get(display_name__startswith="Larkspur Court").pk,
        "cw_agreement": InformationSharingAgreement.objects.order_by("pk").first().pk,
    }
