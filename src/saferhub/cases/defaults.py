"""The business areas every partnership starts with, as plain data.

Loaded by migration 0002 and by `services.load_defaults()` (which adds only what is missing,
so a partnership's own changes are kept). The codes prefix case references (ASB-2026-000123);
the fields and closure reasons follow `schema.py`.
"""

from __future__ import annotations

COMMON_CLOSURES = ["Moved out of the area", "No further action", "Transferred to another agency"]


def _choice(name: str, label: str, choices: list[str], required: bool = False) -> dict:
    return {
        "name": name,
        "label": label,
        "type": "choice",
        "required": required,
        "choices": choices,
    }


def _field(name: str, label: str, type_: str, required: bool = False) -> dict:
    return {"name": name, "label": label, "type": type_, "required": required}


DEFAULTS: list[dict] = [
    {
        "code": "ASB",
        "name": "Anti-social behaviour",
        "description": "Personal, nuisance and environmental anti-social behaviour.",
        "fields": [
            _choice(
                "asb_category", "ASB category", ["Personal", "Nuisance", "Environmental"], True
            ),
            _field("incidents_reported", "Incidents reported", "number"),
            _field("community_trigger", "ASB case review (community trigger)", "bool"),
            _field("warning_issued_on", "Community Protection Warning issued on", "date"),
        ],
        "closure_reasons": [
            "Behaviour stopped",
            "Civil injunction obtained",
            "Community Protection Notice complied with",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "DA",
        "name": "Domestic abuse (MARAC)",
        "description": "High-risk domestic abuse cases heard at the MARAC.",
        "fields": [
            _field("dash_score", "DASH risk checklist score", "number"),
            _choice("risk_level", "Risk level", ["Standard", "Medium", "High"], True),
            _field("marac_date", "MARAC date", "date"),
            _field("idva_allocated", "IDVA allocated", "bool"),
        ],
        "closure_reasons": [
            "Risk reduced",
            "Victim declined support",
            "Perpetrator in custody",
            "Referred to another area's MARAC",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "IOM",
        "name": "Integrated Offender Management",
        "description": "Offenders managed jointly by police, probation and partners.",
        "fields": [
            _choice("cohort", "IOM cohort", ["Fixed", "Flex", "Free"], True),
            _field("release_date", "Release date", "date"),
        ],
        "closure_reasons": [
            "Deselected: risk reduced",
            "Order or licence completed",
            "Returned to custody",
            "Deceased",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "EXV",
        "name": "Exploitation / violence",
        "description": "Serious violence and criminal or sexual exploitation.",
        "fields": [
            _choice(
                "exploitation_type",
                "Type of exploitation",
                ["Criminal", "Sexual", "County lines", "Other"],
            ),
            _field("weapon_involved", "Weapon involved", "bool"),
        ],
        "closure_reasons": [
            "Risk reduced",
            "Safeguarding plan in place",
            "Custody",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "VE",
        "name": "Vulnerability and exploitation",
        "description": "Adults at risk: cuckooing, financial abuse, self-neglect.",
        "fields": [
            _choice(
                "vulnerability",
                "Main vulnerability",
                ["Mental health", "Substance use", "Learning disability", "Financial", "Other"],
            ),
            _field("care_act_referral", "Care Act section 42 enquiry referred", "bool"),
        ],
        "closure_reasons": [
            "Risk reduced",
            "Support in place",
            "Declined support",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "MS",
        "name": "Modern slavery",
        "description": "Victims and suspected exploitation of modern slavery and trafficking.",
        "fields": [
            _choice(
                "exploitation_type",
                "Type of exploitation",
                ["Labour", "Sexual", "Criminal", "Domestic servitude", "Other"],
            ),
            _field("nrm_referred_on", "National Referral Mechanism referral on", "date"),
        ],
        "closure_reasons": [
            "Conclusive grounds decision: support in place",
            "Support accepted",
            "Declined support",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "HATE",
        "name": "Hate crime",
        "description": "Hate crimes and incidents, for victim support and repeat locations.",
        "fields": [
            _choice(
                "strand",
                "Hate crime strand",
                ["Race", "Religion", "Sexual orientation", "Disability", "Transgender identity"],
                True,
            ),
            _field("repeat_victim", "Repeat victim", "bool"),
        ],
        "closure_reasons": [
            "Resolved",
            "Charged or prosecuted",
            "Victim declined further action",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "PREV",
        "name": "Prevent / Channel",
        "description": "Referrals considered by the Channel panel.",
        "fields": [
            _field("panel_date", "Channel panel date", "date"),
            _field("vaf_completed", "Vulnerability assessment completed", "bool"),
        ],
        "closure_reasons": [
            "Channel support completed",
            "Not suitable for Channel: other support given",
            "Declined Channel support",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "YTH",
        "name": "Youth",
        "description": "Children and young people at risk of offending or harm.",
        "fields": [
            _field("age_at_referral", "Age at referral", "number"),
            _field("school_or_college", "School or college", "text"),
        ],
        "closure_reasons": [
            "Outcomes met",
            "Declined",
            "Turned 18: passed to adult services",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "RS",
        "name": "Rough sleeping",
        "description": "People sleeping rough and the places they sleep.",
        "fields": [
            _field("sleeping_site", "Where they sleep", "text"),
            _field("accommodation_offered", "Accommodation offered", "bool"),
        ],
        "closure_reasons": [
            "Accommodated",
            "Reconnected to another area",
            "Declined support",
            "Deceased",
            *COMMON_CLOSURES,
        ],
    },
    {
        "code": "PP",
        "name": "Problem place",
        "description": "Premises and locations that draw repeated crime or ASB.",
        "fields": [
            _choice(
                "place_type",
                "Type of place",
                ["Licensed premises", "Shop", "Dwelling", "Park or open space", "Street"],
                True,
            ),
            _field("closure_order_on", "Closure order granted on", "date"),
        ],
        "closure_reasons": [
            "Problem resolved",
            "Closure order obtained",
            "Licence reviewed",
            "Premises changed hands",
            *COMMON_CLOSURES,
        ],
    },
]
