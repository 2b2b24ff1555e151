"""The casework page: search, adding a record, opening a case, and what is waiting for the
user (the same summary the home page shows)."""

from __future__ import annotations

from django.shortcuts import render

from .. import access as gate
from .. import summary as summaries
from ..forms.search import SearchForm
from .common import today


@gate.page("casework")
def index(request):
    user = request.user
    summary = summaries.for_user(user, today())
    if summary is not None:
        summaries.record(user, summary, page="casework page", request=request)
    return render(
        request,
        "casework/index.html",
        {
            "summary": summary,
            "search": SearchForm() if gate.may_search(user) else None,
            "practitioner": summary is not None and summary.practitioner,
            "keeps_agreements": gate.keeps_agreements(user),
            "reads_agreements": gate.reads_agreements(user),
            "undoes_merges": gate.undoes_merges(user),
            "kinds": [
                ("person", "person"),
                ("place", "place"),
                ("vehicle", "vehicle"),
                ("group", "group"),
            ],
        },
    )
