"""The gates every casework view passes through, each asking `sharing.policy`.

A casework view is written as `@gate.<kind>(...)`: the decorator signs the visitor in, loads
the object the URL names (404 when there is none), asks the policy whether the user may do
the page's verb on it, and otherwise raises the styled 403 with the refused attempt written
to the audit log (`cases.permissions.refused`). It marks the view with `casework_gate` (what
it asked), and `tests/casework/test_gates.py` fails for any URL in `casework.urls` whose view
carries no mark: a new page cannot skip the policy.

Pages that are not about one case or subject (search, lists, agreements, the DPO's review
list) use `page(...)` with a predicate from the policy (`is_practitioner`, `is_dpo`,
`can(user, SEARCH, None)`) or, for the site-running jobs the policy leaves to roles
(agreements, undoing a merge), from `accounts.permissions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.http import Http404

from ..accounts.permissions import MANAGE_AGREEMENTS, has
from ..cases import permissions as verbs
from ..cases.models import Case, CaseSubject, ChronologyEntry, Document, Task
from ..sharing import holding, policy
from ..sharing.models import AccessRequest, BreakGlass, Grant
from ..subjects.models import Subject

GATE = "casework_gate"


def refuse(request, verb: str, obj=None, *, object_type: str = ""):
    """The audited refusal to raise (the site's 403 page)."""
    return verbs.refused(request.user, verb, obj, request=request, object_type=object_type)


def _signed_in(view: Callable, gate: str) -> Callable:
    """Sign-in first, then the view; the mark the gate test looks for."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return view(request, *args, **kwargs)

    setattr(wrapped, GATE, gate)
    return wrapped


def _get(model_or_queryset, **where):
    rows = getattr(model_or_queryset, "objects", model_or_queryset)
    found = rows.filter(**where).first()
    if found is None:
        raise Http404
    return found


# --- pages that are not about one object -------------------------------------------------------


def opens_casework(user) -> bool:
    """Who has casework pages at all: practitioners (who work cases, as the policy says), the
    data protection officer (search, break-glass review) and those who keep agreements."""
    return policy.is_practitioner(user) or policy.is_dpo(user) or has(user, MANAGE_AGREEMENTS)


def may_search(user) -> bool:
    return policy.can(user, verbs.SEARCH, None)


def keeps_agreements(user) -> bool:
    return has(user, MANAGE_AGREEMENTS)


def reads_agreements(user) -> bool:
    """Agreements are read by those who keep them and by practitioners (who share under
    them)."""
    return keeps_agreements(user) or policy.is_practitioner(user)


def undoes_merges(user) -> bool:
    """Only a partnership admin undoes a merge: the rule `subjects.merging.unmerge` itself
    asks (`sharing.holding.may_unmerge`)."""
    return holding.may_unmerge(user, None)


def opens_cases(user) -> bool:
    return policy.can(user, verbs.CREATE_CASE, user.agency) if user.is_authenticated else False


PREDICATES: dict[str, Callable] = {
    "practitioner": policy.is_practitioner,
    "casework": opens_casework,
    "search": may_search,
    "create_case": opens_cases,
    "dpo": policy.is_dpo,
    "agreements": reads_agreements,
    "keep_agreements": keeps_agreements,
    "unmerge": undoes_merges,
}


def page(name: str) -> Callable:
    """A page not about one object, open to the users `PREDICATES[name]` allows."""
    allowed = PREDICATES[name]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not allowed(request.user):
                raise refuse(request, name, object_type="casework.page")
            return view(request, *args, **kwargs)

        return _signed_in(checked, f"page:{name}")

    return decorator


# --- one case, and the parts of one case -------------------------------------------------------


@dataclass(frozen=True)
class OnCase:
    """A case a view works on, with the user's access to it (one computation a request)."""

    case: Case
    access: policy.Access

    def allows(self, user, verb: str) -> bool:
        return policy.allowed_on_case(user, verb, self.case, self.access)


def load_case(pk: int) -> Case:
    return _get(Case.objects.select_related("business_area", "lead_agency", "lead_officer"), pk=pk)


def case(verb: str) -> Callable:
    """A page about one case (`pk` in the URL): the user must be allowed `verb` on it. The
    view is called as `view(request, on, **rest)` with `on` an `OnCase`."""
    if verb not in verbs.VERBS:
        raise ValueError(f"unknown verb {verb!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, pk: int, **kwargs):
            found = load_case(pk)
            on = OnCase(found, policy.access(request.user, found))
            if not on.allows(request.user, verb):
                raise refuse(request, verb, found)
            return view(request, on, **kwargs)

        return _signed_in(checked, f"case:{verb}")

    return decorator


# Parts of a case the policy answers for itself (`policy.can` on the object), and parts it
# answers through their case.
_OWN_CHECK = (Task, ChronologyEntry, Document)
PARTS = {
    "entry": ChronologyEntry,
    "task": Task,
    "document": Document,
    "grant": Grant,
    "row": CaseSubject,
}


def case_part(kind: str, *verb_options: str) -> Callable:
    """A page about one part of a case (`pk` the case, `part` the entry, task, document,
    grant or subject row, which must belong to it): the user must be allowed one of
    `verb_options` on the part. Called as `view(request, on, part, allowed, **rest)` with
    `allowed` the set of those verbs the user holds."""
    model = PARTS[kind]
    for verb in verb_options:
        if verb not in verbs.VERBS:
            raise ValueError(f"unknown verb {verb!r}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, pk: int, part: int, **kwargs):
            found = load_case(pk)
            item = _get(model.objects.select_related("case"), pk=part, case_id=found.pk)
            on = OnCase(found, policy.access(request.user, found))
            if isinstance(item, _OWN_CHECK) or (
                isinstance(item, CaseSubject) and verbs.VIEW in verb_options
            ):
                held = {v for v in verb_options if policy.can(request.user, v, item)}
            else:
                held = {v for v in verb_options if on.allows(request.user, v)}
            if not held:
                raise refuse(request, verb_options[0], item)
            return view(request, on, item, frozenset(held), **kwargs)

        return _signed_in(checked, f"{kind}:{'|'.join(verb_options)}")

    return decorator


# --- subjects -----------------------------------------------------------------------------------


def editable_subject(user, subject: Subject) -> bool:
    """Who may change a subject's details: the rule the subject services themselves ask
    (`sharing.holding.may_edit`), asked first here for the page."""
    return holding.may_edit(user, subject)


def attachable(user, subject: Subject) -> bool:
    """Who may put an existing subject on a case: the rule `cases.services.add_subject`
    itself asks (`sharing.holding.attachable`), asked first here for the page's message."""
    return holding.attachable(user, subject)


SUBJECT_CHECKS: dict[str, Callable] = {
    # The subject page shows the subject in full or its locked view: whoever may search.
    "open": lambda user, s: (
        may_search(user) or policy.visible_subjects(user).filter(pk=s.pk).exists()
    ),
    "edit": editable_subject,
    "special_category": lambda user, s: (
        editable_subject(user, s) and policy.can(user, verbs.VIEW_SPECIAL_CATEGORY, s)
    ),
}


def subject(check: str) -> Callable:
    """A page about one subject (`pk` in the URL): `SUBJECT_CHECKS[check]` must allow it.
    Called as `view(request, subject, **rest)`."""
    allowed = SUBJECT_CHECKS[check]

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def checked(request, pk: int, **kwargs):
            found = _get(Subject, pk=pk)
            if not allowed(request.user, found):
                raise refuse(request, f"subject_{check}", found)
            return view(request, found, **kwargs)

        return _signed_in(checked, f"subject:{check}")

    return decorator


# --- access requests and break glass -----------------------------------------------------------


def access_request(view: Callable) -> Callable:
    """Deciding one access request: the lead agency, never the requester."""

    @wraps(view)
    def checked(request, pk: int, **kwargs):
        asked = _get(
            AccessRequest.objects.select_related("case__business_area", "requester__agency"),
            pk=pk,
        )
        if not policy.can(request.user, verbs.GRANT, asked):
            raise refuse(request, verbs.GRANT, asked)
        return view(request, asked, **kwargs)

    return _signed_in(checked, "access_request:grant")


def break_glass_review(view: Callable) -> Callable:
    """The data protection officer's review of one break glass (never their own)."""

    @wraps(view)
    def checked(request, pk: int, **kwargs):
        glass = _get(BreakGlass.objects.select_related("case", "user__agency"), pk=pk)
        if not policy.can(request.user, verbs.REVIEW, glass):
            raise refuse(request, verbs.REVIEW, glass)
        return view(request, glass, **kwargs)

    return _signed_in(checked, "break_glass:review")
