"""Sharing a case: grants (scope, agreement, lawful basis, purpose, expiry) and revoking them,
consent per subject, and the information-sharing agreements grants rest on. Every write is a
`sharing.services` call (policy asked again, audit entry in its transaction)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ...accounts.models import Agency
from ...cases import permissions as verbs
from ...cases.errors import StaleEdit
from ...cases.files import check_document
from ...cases.models import CaseSubject
from ...cases.services import read_bounded
from ...paging import paged
from ...sharing import services
from ...sharing.models import Consent, Grant, InformationSharingAgreement, Scope
from ...subjects.models import Subject
from .. import access as gate
from ..forms.cases import ConsentForm
from ..forms.sharing import AgreementEditForm, AgreementForm, GrantForm, RevokeForm
from ..problems import REFUSALS, moved_on, onto
from .common import end_of, form_page, posted, today

AGREEMENTS_PER_PAGE = 25


def grant_subjects(case) -> list[tuple[int, str]]:
    rows = CaseSubject.objects.filter(case=case).select_related("subject").order_by("role", "id")
    return [
        (r.subject_id, f"{r.subject.display_name} ({r.get_role_display().lower()})") for r in rows
    ]


def grant_values(form, case) -> dict:
    """The grant's fields from a grant or decision form, as `sharing.services` takes them."""
    named = form.cleaned_data.get("scope") == Scope.NAMED_SUBJECTS
    chosen = (form.cleaned_data.get("subjects") or []) if named else []
    return {
        "scope": form.cleaned_data.get("scope") or "",
        "agreement": InformationSharingAgreement.objects.filter(
            pk=form.cleaned_data.get("agreement")
        ).first(),
        "purpose": form.cleaned_data.get("purpose") or "",
        "expires_at": end_of(form.cleaned_data["expires_on"])
        if form.cleaned_data.get("expires_on")
        else None,
        "include_special_category": bool(form.cleaned_data.get("include_special_category")),
        "subjects": list(Subject.objects.filter(pk__in=chosen, case_roles__case=case).distinct()),
        "basis": form.basis(),
    }


GRANT_ALIASES = {"expires_at": "expires_on", "grant": None}


@gate.case(verbs.GRANT)
def add_grant(request, on: gate.OnCase):
    case = on.case
    form = GrantForm(
        posted(request),
        agencies=Agency.objects.exclude(pk=case.lead_agency_id).order_by("name"),
        agreements=InformationSharingAgreement.objects.filter(parties=case.lead_agency).order_by(
            "title"
        ),
        subjects=grant_subjects(case),
    )
    if request.method == "POST" and form.is_valid():
        values = grant_values(form, case)
        if values["agreement"] is None:
            form.add_error("agreement", "Choose an agreement")
        else:
            try:
                services.grant_access(
                    request.user,
                    case,
                    agency=Agency.objects.get(pk=form.cleaned_data["agency"]),
                    request=request,
                    **values,
                )
            except REFUSALS as exc:
                onto(form, exc, aliases=GRANT_ALIASES)
            else:
                messages.success(request, "Case shared: the agency's practitioners are told")
                return redirect("casework:case", pk=case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Share the case with another agency",
            "intro": "A grant lets one agency's practitioners see the case, in the scope you "
            "choose, for the purpose you give, until it expires (at most a year). It rests on "
            "an information-sharing agreement both agencies are party to.",
            "form": form,
            "submit": "Share the case",
        },
        on=on,
        page="grant",
    )


@gate.case_part("grant", verbs.GRANT)
def revoke_grant(request, on: gate.OnCase, grant: Grant, allowed):
    form = RevokeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_grant(
                request.user, grant, reason=form.cleaned_data["reason"], request=request
            )
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, f"Grant to {grant.agency.name} revoked")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": f"Revoke the grant to {grant.agency.name}",
            "intro": f"{grant.get_scope_display()}, until {grant.expires_at:%d %B %Y}. "
            "Revoking ends it now.",
            "form": form,
            "submit": "Revoke",
            "warning": True,
        },
        on=on,
        page="revoke grant",
    )


@gate.case_part("row", verbs.RECORD_CONSENT)
def consent(request, on: gate.OnCase, row: CaseSubject, allowed):
    current = Consent.objects.filter(
        case=on.case, subject=row.subject, merged_from__isnull=True
    ).first()
    initial = {"recorded_on": today()}
    if current is not None:
        initial |= {
            "status": current.status,
            "lawful_basis": current.lawful_basis,
            "notes": current.notes,
            "version": current.version,
        }
    form = ConsentForm(posted(request), initial=initial)
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            services.record_consent(
                request.user,
                on.case,
                row.subject,
                status=form.cleaned_data["status"],
                recorded_on=form.cleaned_data["recorded_on"],
                lawful_basis=form.cleaned_data.get("lawful_basis") or "",
                notes=form.cleaned_data.get("notes") or "",
                version=form.cleaned_data.get("version"),
                request=request,
            )
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc)
        else:
            messages.success(request, "Consent recorded")
            return redirect("casework:case", pk=on.case.pk)
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Consent to sharing",
            "caption": f"{row.subject.display_name}, {row.get_role_display().lower()}",
            "form": form,
            "others": others,
        },
        on=on,
        page="consent",
    )


# --- information-sharing agreements ------------------------------------------------------------


@gate.page("agreements")
def agreements(request):
    paging = paged(
        request,
        InformationSharingAgreement.objects.prefetch_related("parties").order_by("title", "id"),
        AGREEMENTS_PER_PAGE,
    )
    shown = list(paging["page"].object_list)
    return render(
        request,
        "casework/agreements.html",
        {
            **paging,
            "agreements": shown,
            "can_add": gate.keeps_agreements(request.user),
            "day": today(),
        },
    )


def _agreement_values(form) -> dict:
    """The agreement's fields from its form, as `sharing.services.save_agreement` takes them."""
    values = {k: form.cleaned_data.get(k) for k in sorted(services.AGREEMENT_FIELDS)}
    for key in ("legal_gateway", "special_category_condition", "dpa_condition"):
        values[key] = values[key] or ""
    return values


def _signed_copy(upload) -> bytes | None:
    """The signed copy read and checked before anything is saved: a refused file stores
    nothing, and the agreement is not changed either."""
    if not upload:
        return None
    data = read_bounded(upload, upload.name)
    check_document(data, upload.name)
    return data


def _parties(form) -> list[Agency]:
    return list(Agency.objects.filter(pk__in=form.cleaned_data["parties"]))


@gate.page("keep_agreements")
def add_agreement(request):
    form = AgreementForm(
        posted(request),
        request.FILES or None,
        agencies=Agency.objects.order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            data = _signed_copy(upload)
            with transaction.atomic():
                agreement = services.save_agreement(
                    InformationSharingAgreement(),
                    values=_agreement_values(form),
                    parties=_parties(form),
                    user=request.user,
                    request=request,
                )
                if data is not None:
                    services.attach_signed_document(
                        agreement, data, filename=upload.name, user=request.user, request=request
                    )
        except REFUSALS as exc:
            onto(form, exc, file_field="document")
        else:
            messages.success(request, f"Agreement “{agreement.title}” saved")
            return redirect("casework:agreements")
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Add an information-sharing agreement",
            "intro": "As the ICO's data sharing code describes one: the parties, the purpose, "
            "the data items, the lawful basis, retention and the review date.",
            "form": form,
            "multipart": True,
        },
    )


@gate.page("keep_agreements")
def edit_agreement(request, pk: int):
    agreement = get_object_or_404(InformationSharingAgreement, pk=pk)
    initial = {k: getattr(agreement, k) for k in sorted(services.AGREEMENT_FIELDS)}
    initial |= {
        "parties": list(agreement.parties.values_list("pk", flat=True)),
        "version": agreement.version,
    }
    form = AgreementEditForm(
        posted(request),
        request.FILES or None,
        agencies=Agency.objects.order_by("name"),
        initial=initial,
    )
    others: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("document")
        try:
            data = _signed_copy(upload)
            with transaction.atomic():
                saved = services.save_agreement(
                    agreement,
                    values=_agreement_values(form),
                    parties=_parties(form),
                    version=form.cleaned_data["version"],
                    user=request.user,
                    request=request,
                )
                if data is not None:
                    services.attach_signed_document(
                        saved, data, filename=upload.name, user=request.user, request=request
                    )
        except StaleEdit as exc:
            others = moved_on(form, exc)
        except REFUSALS as exc:
            onto(form, exc, file_field="document")
        else:
            messages.success(request, f"Agreement “{saved.title}” saved")
            return redirect(reverse("casework:agreements") + f"#agreement-{agreement.pk}")
    return form_page(
        request,
        "casework/form.html",
        {
            "title": "Change the information-sharing agreement",
            "caption": agreement.title,
            "intro": "Grants already made under it follow the agreement as changed. Every "
            "change is recorded, with what it was before.",
            "form": form,
            "others": others,
            "multipart": True,
            "back_href": reverse("casework:agreements") + f"#agreement-{agreement.pk}",
            "back_label": "Back to the agreements",
        },
    )
