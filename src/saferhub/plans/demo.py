"""A fictional delivery plan for the demo partnership, dated around today so that every part
of the plan pages, the health check and the board report has something to show."""

from __future__ import annotations

from datetime import date, timedelta

from .draft import Action, Disposition, Lead, Measure, Objective, Plan, Rag, Update, plan_year
from .review import parse_review_point

POLICE = "Demo Police (fictional)"
COUNCIL = "Demo Borough Council (fictional)"
PROBATION = "Demo Probation Service (fictional)"
YOS = "Demo Youth Offending Service (fictional)"
HOUSING = "Demo Housing Association (fictional)"


def financial_year(today: date) -> tuple[date, date]:
    first = today.year if today.month >= 4 else today.year - 1
    return date(first, 4, 1), date(first + 1, 3, 31)


def demo_plan(today: date, *, lead_person: str = "Demo practitioner") -> Plan:
    starts, ends = financial_year(today)
    year = plan_year(starts, ends)
    recent, earlier = today - timedelta(days=10), today - timedelta(days=100)

    def action(text, *, leads, review, updates=(), measure=0, disposition=None, tags=()):
        return Action(
            text=text,
            measure=measure,
            leads=list(leads),
            review=parse_review_point(review),
            updates=list(updates),
            disposition=disposition,
            tags=list(tags),
            plan_year=year,
        )

    police_lead = Lead(person=lead_person, agency=POLICE)
    return Plan(
        title=f"Demo Community Safety Delivery Plan {year} (fictional)",
        starts=starts,
        ends=ends,
        objectives=[
            Objective(
                code="SO1",
                title="Burglary",
                aim="Fewer burglaries, and residents who feel safer at home.",
                group="High volume crime",
                measures=[
                    Measure(
                        "Burglaries fall compared with the same period of the last 12 months",
                        indicator="Residential burglary, rolling 12 months",
                    ),
                ],
                actions=[
                    action(
                        "Run a winter crime-prevention campaign in the three wards with most "
                        "burglaries",
                        leads=[police_lead],
                        review=f"March {ends.year}",
                        updates=[
                            Update(
                                earlier,
                                "Campaign plan agreed; hotspot wards chosen.",
                                Rag.GREEN,
                                lead_person,
                            ),
                            Update(
                                recent,
                                "Leaflets delivered to 4,000 homes; two street surgeries held.",
                                Rag.GREEN,
                                lead_person,
                            ),
                        ],
                        disposition=Disposition.CONTINUE,
                    ),
                    action(
                        "Offer free door and window locks to repeat victims",
                        leads=[Lead(agency=HOUSING)],
                        review="Quarterly",
                        updates=[
                            Update(
                                earlier, "Supplier delayed; 12 of 40 homes fitted.", Rag.AMBER, ""
                            )
                        ],
                        disposition=Disposition.CONTINUE,
                    ),
                ],
            ),
            Objective(
                code="SO2",
                title="Anti-social behaviour",
                aim="Fewer ASB incidents and victims who get the support they need.",
                group="High volume crime",
                measures=[
                    Measure("Repeat ASB callers fall", indicator="ASB-REPEAT"),
                    Measure("Victims surveyed within 28 days"),
                ],
                actions=[
                    action(
                        "Hold a monthly ASB action group on the top ten locations",
                        leads=[Lead(agency=COUNCIL)],
                        review="Ongoing",
                        updates=[
                            Update(recent, "Four locations closed this quarter.", Rag.GREEN, "")
                        ],
                        disposition=Disposition.CONTINUE,
                    ),
                    action(
                        "Train housing officers in the ASB case review",
                        leads=[],
                        review=f"June {starts.year}",
                        updates=[Update(earlier, "Trainer not yet found.", Rag.RED, "")],
                    ),
                ],
            ),
            Objective(
                code="SO3",
                title="Youth violence and exploitation",
                aim="Fewer young people carrying weapons or drawn into exploitation.",
                group="High harm crime",
                measures=[
                    Measure(
                        "Young people carrying weapons down 10% a year", indicator="WEAPONS-12M"
                    ),
                ],
                actions=[
                    action(
                        "Place youth workers in the emergency department on weekend nights",
                        leads=[Lead(agency=YOS), police_lead],
                        review=f"Q3 {year}",
                        updates=[
                            Update(
                                recent,
                                "Funding confirmed; recruitment under way.",
                                Rag.AMBER,
                                lead_person,
                            )
                        ],
                        tags=["NEW ACTION"],
                    ),
                    action(
                        "Deliver knife-crime workshops in every secondary school",
                        leads=[Lead(agency=YOS)],
                        review=f"December {starts.year - 1}",
                        updates=[Update(earlier, "All 9 schools done.", Rag.AMBER, "")],
                        disposition=Disposition.COMPLETE,
                    ),
                ],
            ),
            Objective(
                code="SO4",
                title="Reducing reoffending",
                aim="Less drug- and alcohol-related reoffending after release from prison.",
                group="High harm crime",
                measures=[Measure("Prison leavers in treatment within 3 weeks of release")],
                actions=[
                    action(
                        "Meet every prison leaver with a substance misuse need at the gate",
                        leads=[Lead(agency=PROBATION)],
                        review="",
                        updates=[],
                    ),
                ],
            ),
        ],
    )
