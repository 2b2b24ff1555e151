"""The law a disclosure rests on, as choices, and the checks that the choices fit together.

Encoded from the texts, not paraphrased: UK GDPR Article 6(1) (a lawful basis for any
personal data), Article 9(2) (a condition for special category data), Article 10 and DPA 2018
section 10 with Schedule 1 (the further condition Article 9(2)(b), (g), (h), (i), (j) and
criminal offence data need), and, for police processing for law enforcement purposes, DPA 2018
Part 3: section 35 and, for sensitive processing, a Schedule 8 condition. Pure: no database.
"""

from __future__ import annotations

from django.db import models


class Art6(models.TextChoices):
    CONSENT = "consent", "UK GDPR Art 6(1)(a): consent"
    CONTRACT = "contract", "UK GDPR Art 6(1)(b): contract"
    LEGAL_OBLIGATION = "legal_obligation", "UK GDPR Art 6(1)(c): legal obligation"
    VITAL_INTERESTS = "vital_interests", "UK GDPR Art 6(1)(d): vital interests"
    PUBLIC_TASK = "public_task", "UK GDPR Art 6(1)(e): public task"
    LEGITIMATE_INTERESTS = "legitimate_interests", "UK GDPR Art 6(1)(f): legitimate interests"
    LAW_ENFORCEMENT = (
        "law_enforcement",
        "DPA 2018 Part 3, s35(2)(b): law enforcement purposes, by or on behalf of a "
        "competent authority",
    )


class Art9(models.TextChoices):
    EXPLICIT_CONSENT = "a", "Art 9(2)(a): explicit consent"
    EMPLOYMENT = "b", "Art 9(2)(b): employment, social security and social protection law"
    VITAL_INTERESTS = "c", "Art 9(2)(c): vital interests (the person cannot consent)"
    NOT_FOR_PROFIT = "d", "Art 9(2)(d): not-for-profit body, its members"
    MADE_PUBLIC = "e", "Art 9(2)(e): made manifestly public by the person"
    LEGAL_CLAIMS = "f", "Art 9(2)(f): legal claims or courts acting judicially"
    SUBSTANTIAL_PUBLIC_INTEREST = "g", "Art 9(2)(g): reasons of substantial public interest"
    HEALTH_SOCIAL_CARE = "h", "Art 9(2)(h): health or social care"
    PUBLIC_HEALTH = "i", "Art 9(2)(i): public health"
    ARCHIVING_RESEARCH = "j", "Art 9(2)(j): archiving, research or statistics"


class DpaCondition(models.TextChoices):
    # Schedule 1 Part 1: conditions for Art 9(2)(b), (h), (i), (j).
    EMPLOYMENT = "s1_1", "DPA 2018 Sch 1 para 1: employment, social security, social protection"
    HEALTH_SOCIAL_CARE = "s1_2", "DPA 2018 Sch 1 para 2: health or social care purposes"
    PUBLIC_HEALTH = "s1_3", "DPA 2018 Sch 1 para 3: public health"
    RESEARCH = "s1_4", "DPA 2018 Sch 1 para 4: research, archiving and statistics"
    # Schedule 1 Part 2: substantial public interest conditions, for Art 9(2)(g).
    STATUTORY = "s1_6", "DPA 2018 Sch 1 para 6: statutory and government purposes"
    UNLAWFUL_ACTS = "s1_10", "DPA 2018 Sch 1 para 10: preventing or detecting unlawful acts"
    PROTECTING_PUBLIC = "s1_11", "DPA 2018 Sch 1 para 11: protecting the public"
    COUNSELLING = "s1_17", "DPA 2018 Sch 1 para 17: counselling"
    SAFEGUARDING = (
        "s1_18",
        "DPA 2018 Sch 1 para 18: safeguarding of children and of individuals at risk",
    )
    ECONOMIC_WELLBEING = (
        "s1_19",
        "DPA 2018 Sch 1 para 19: safeguarding of economic well-being of certain individuals",
    )
    # Schedule 1 Part 3: additional conditions for criminal offence data.
    CONSENT = "s1_29", "DPA 2018 Sch 1 para 29: consent (criminal offence data)"
    VITAL_INTERESTS = "s1_30", "DPA 2018 Sch 1 para 30: vital interests (criminal offence data)"
    # Schedule 8: sensitive processing for law enforcement (Part 3, s35(5)).
    LE_STATUTORY = "s8_1", "DPA 2018 Sch 8 para 1: statutory purposes"
    LE_JUSTICE = "s8_2", "DPA 2018 Sch 8 para 2: administration of justice"
    LE_VITAL_INTERESTS = "s8_3", "DPA 2018 Sch 8 para 3: protecting an individual's vital interests"
    LE_SAFEGUARDING = (
        "s8_4",
        "DPA 2018 Sch 8 para 4: safeguarding of children and of individuals at risk",
    )
    LE_PUBLIC_DOMAIN = "s8_5", "DPA 2018 Sch 8 para 5: personal data already in the public domain"
    LE_LEGAL_CLAIMS = "s8_6", "DPA 2018 Sch 8 para 6: legal claims"
    LE_JUDICIAL = "s8_7", "DPA 2018 Sch 8 para 7: judicial acts"
    LE_FRAUD = "s8_8", "DPA 2018 Sch 8 para 8: preventing fraud"
    LE_ARCHIVING = "s8_9", "DPA 2018 Sch 8 para 9: archiving, research and statistics"


SCHEDULE_1_PART_2 = {"s1_6", "s1_10", "s1_11", "s1_17", "s1_18", "s1_19"}
SCHEDULE_1 = {c.value for c in DpaCondition if c.value.startswith("s1_")}
SCHEDULE_8 = {c.value for c in DpaCondition if c.value.startswith("s8_")}

# Article 9(2) conditions that need a Schedule 1 condition too (DPA 2018 s10(2), (3)).
NEEDS_SCHEDULE_1: dict[str, set[str]] = {
    Art9.EMPLOYMENT: {"s1_1"},
    Art9.SUBSTANTIAL_PUBLIC_INTEREST: SCHEDULE_1_PART_2,
    Art9.HEALTH_SOCIAL_CARE: {"s1_2"},
    Art9.PUBLIC_HEALTH: {"s1_3"},
    Art9.ARCHIVING_RESEARCH: {"s1_4"},
}


def basis_problems(
    *,
    lawful_basis: str,
    special_category_condition: str = "",
    criminal_offence_data: bool = False,
    dpa_condition: str = "",
    special_category: bool = False,
) -> dict[str, str]:
    """What is missing or does not fit, by field name (empty when the basis holds).
    `special_category` says whether special category data is shared under this basis."""
    problems: dict[str, str] = {}
    if lawful_basis not in Art6.values:
        problems["lawful_basis"] = "Choose the lawful basis (UK GDPR Art 6, or DPA 2018 Part 3)"
        return problems
    if special_category_condition and special_category_condition not in Art9.values:
        problems["special_category_condition"] = "Choose an Article 9 condition from the list"
    if dpa_condition and dpa_condition not in DpaCondition.values:
        problems["dpa_condition"] = "Choose a DPA 2018 condition from the list"
    if problems:
        return problems
    if lawful_basis == Art6.LAW_ENFORCEMENT:
        if special_category and dpa_condition not in SCHEDULE_8:
            problems["dpa_condition"] = (
                "Sensitive processing for law enforcement needs a DPA 2018 Schedule 8 condition"
            )
        return problems
    if dpa_condition in SCHEDULE_8:
        problems["dpa_condition"] = (
            "Schedule 8 conditions apply only to law enforcement processing (DPA 2018 Part 3)"
        )
    if special_category and not special_category_condition:
        problems["special_category_condition"] = (
            "Special category data needs an Article 9(2) condition"
        )
    needed = NEEDS_SCHEDULE_1.get(special_category_condition)
    if needed and dpa_condition not in needed:
        problems["dpa_condition"] = (
            f"{Art9(special_category_condition).label} needs one of these DPA 2018 Schedule 1 "
            "conditions: " + "; ".join(DpaCondition(c).label for c in sorted(needed))
        )
    if (
        criminal_offence_data
        and dpa_condition not in SCHEDULE_1
        and "dpa_condition" not in problems
    ):
        problems["dpa_condition"] = (
            "Criminal offence data (Art 10) needs a DPA 2018 Schedule 1 condition"
        )
    return problems
