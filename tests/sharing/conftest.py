"""The casework world of tests/cases, an information-sharing agreement between its agencies,
and one helper to put a case into each sharing state."""

from __future__ import annotations

from datetime import timedelta

import pytest

from saferhub.sharing import services
from saferhub.sharing.lawful import Art6, Art9, DpaCondition
from saferhub.sharing.models import InformationSharingAgreement
from tests.cases.conftest import AT, OPENED, TODAY, World, _documents_in_tmp, _on_a_fixed_day, world

__all__ = ["AT", "OPENED", "TODAY", "World", "_documents_in_tmp", "_on_a_fixed_day", "world"]


@pytest.fixture
def agreement(world) -> InformationSharingAgreement:
    return services.save_agreement(
        InformationSharingAgreement(),
        values={
            "title": "Eastmere community safety sharing (fictional)",
            "purpose": "Reducing anti-social behaviour and protecting victims",
            "data_items": "Names, addresses, incidents, risk, actions",
            "legal_gateway": "Crime and Disorder Act 1998 s115",
            "retention": "Six years after the case closes",
            "review_on": TODAY + timedelta(days=200),
            "lawful_basis": Art6.PUBLIC_TASK,
            "special_category_condition": Art9.SUBSTANTIAL_PUBLIC_INTEREST,
            "dpa_condition": DpaCondition.SAFEGUARDING,
            "criminal_offence_data": True,
        },
        parties=[world.police, world.council, world.housing],
        user=world.admin,
        at=AT - timedelta(days=60),
    )


def give(
    world,
    agreement,
    scope: str,
    *,
    agency=None,
    start_days=-10,
    end_days=30,
    special=False,
    subjects=(),
    purpose="Joint problem-solving on Alder Court",
):
    """A grant to the council (by default) from `start_days` to `end_days` around AT."""
    return services.grant_access(
        world.lead,
        world.case,
        agency=agency or world.council,
        scope=scope,
        agreement=agreement,
        purpose=purpose,
        starts_at=AT + timedelta(days=start_days),
        expires_at=AT + timedelta(days=end_days),
        include_special_category=special,
        subjects=subjects,
        at=AT + timedelta(days=min(start_days, -1)),
    )
