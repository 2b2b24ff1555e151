"""Long lists in pages, with the links of GOV.UK's pagination component
(template `plans/_pagination.html`): one helper for every paged list on the site."""

from __future__ import annotations

from django.core.paginator import Paginator


def page_links(request, page) -> list[tuple[int | str, str]]:
    """The numbered links of GOV.UK pagination: (number or "…", its address)."""
    query = request.GET.copy()
    links = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if number == page.paginator.ELLIPSIS:
            links.append(("…", ""))
            continue
        query["page"] = number
        links.append((number, f"?{query.urlencode()}"))
    return links


def paged(request, items, per_page: int) -> dict:
    page = Paginator(items, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()

    def to(number: int) -> str:
        query["page"] = number
        return f"?{query.urlencode()}"

    return {
        "page": page,
        "page_links": page_links(request, page) if page.paginator.num_pages > 1 else [],
        "previous_link": to(page.previous_page_number()) if page.has_previous() else "",
        "next_link": to(page.next_page_number()) if page.has_next() else "",
    }
