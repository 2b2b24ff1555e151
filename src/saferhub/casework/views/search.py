"""The one search box: every hit in full or locked, as the sharing policy says, and every
search on the record with its terms (`sharing.search.search_box` writes the entry)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import render

from ...sharing import policy
from ...sharing.search import search_box
from .. import access as gate
from ..forms.search import SearchForm
from ..problems import onto
from .common import today
from .summaries import lines

READ_AS = {
    "date_of_birth": "a date of birth (and its day and month swapped)",
    "postcode": "a postcode",
    "identifier": "an identifier",
    "vrm_or_identifier": "a vehicle registration or an identifier",
    "address": "part of an address",
    "name": "a name (sounding or spelt alike, aliases too)",
}


@gate.page("search")
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_bound and form.is_valid():
        try:
            results = search_box(request.user, form.cleaned_data["q"], request=request)
        except ValidationError as exc:
            onto(form, exc, aliases={k: "q" for k in ("postcode", "address", "value", "vrm")})
    rows = []
    if results:
        summaries = lines([h.subject for h in results.hits if h.full], today())
        rows = [(h, summaries.get(h.subject.pk, "")) for h in results.hits]
    return render(
        request,
        "casework/search.html",
        {
            "form": form,
            "results": results,
            "read_as": READ_AS.get(results.read_as, "") if results else "",
            "rows": rows,
            "can_request": policy.is_practitioner(request.user),
        },
    )
