"""Sharing follows a subject merge (as cases/merging.py does for case roles): the subjects a
named-subject grant covers, consent records and access requests move to the subject kept,
and back on unmerge. Registered as the "sharing" re-pointer in `SharingConfig.ready`."""

from __future__ import annotations

from .models import AccessRequest, Consent, GrantSubject


def _move(model, keep, absorbed) -> dict:
    rows = model.objects.filter(subject=absorbed)
    own = list(rows.filter(merged_from__isnull=True).values_list("pk", flat=True))
    carried = list(rows.filter(merged_from__isnull=False).values_list("pk", flat=True))
    model.objects.filter(pk__in=own).update(subject=keep, merged_from=absorbed)
    model.objects.filter(pk__in=carried).update(subject=keep)
    return {"own": own, "carried": carried}


def _back(model, keep, absorbed, moved: dict) -> None:
    model.objects.filter(pk__in=moved.get("own", []), subject=keep).update(
        subject=absorbed, merged_from=None
    )
    model.objects.filter(pk__in=moved.get("carried", []), subject=keep).update(subject=absorbed)


def repoint_subject(keep, absorbed) -> dict:
    requests = list(AccessRequest.objects.filter(subject=absorbed).values_list("pk", flat=True))
    AccessRequest.objects.filter(pk__in=requests).update(subject=keep)
    return {
        "grant_subjects": _move(GrantSubject, keep, absorbed),
        "consents": _move(Consent, keep, absorbed),
        "access_requests": requests,
    }


def restore_subject(keep, absorbed, moved: dict) -> None:
    _back(GrantSubject, keep, absorbed, moved.get("grant_subjects", {}))
    _back(Consent, keep, absorbed, moved.get("consents", {}))
    AccessRequest.objects.filter(pk__in=moved.get("access_requests", []), subject=keep).update(
        subject=absorbed
    )


def register() -> None:
    from ..subjects.hooks import register_repointer

    register_repointer("sharing", repoint=repoint_subject, restore=restore_subject)
