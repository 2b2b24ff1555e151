"""What the casework views share: the page's date, the audit entry of a form page that shows
a case, and rendering a form page."""

from __future__ import annotations

from datetime import date, datetime, time

from django.shortcuts import render
from django.utils import timezone

from ...sharing.reading import audit_view
from ..access import OnCase


def today() -> date:
    return timezone.localdate()


def end_of(day: date) -> datetime:
    """The last minute of a day, in the site's time zone (a grant "expires on" a date)."""
    return timezone.make_aware(datetime.combine(day, time(23, 59)))


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(0, 0)))


def seen(request, on: OnCase, page: str) -> None:
    """A form page shows the case's reference and title: that is a read of the case, on the
    record with its purpose like the case page itself (`sharing.reading.audit_view`)."""
    audit_view(request.user, on.case, on.access, request=request, page=page)


def form_page(
    request,
    template: str,
    context: dict,
    *,
    on: OnCase | None = None,
    page: str = "",
    status: int = 200,
):
    """Render a form page (status 200 for a form with errors too, as GOV.UK pages do),
    auditing the read of the case it belongs to."""
    if on is not None:
        seen(request, on, page or template)
    return render(request, template, {"on": on, **context}, status=status)


def posted(request):
    """The form data when the form was sent (an empty form sent is still sent), else None."""
    return request.POST if request.method == "POST" else None
