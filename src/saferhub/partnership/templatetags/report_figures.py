"""The reports' way of writing figures (reports/formatting.py) as template filters, so the
site's pages print every figure as the documents do: `{% load report_figures %}` then
`{{ c.count|num }}`, `{{ c.change|signed }}`, `{{ c.change_pct|pct }}`, `{{ c.rate|rate }}`,
`{{ c.london_rank_by_rate|rank:a.ranked_boroughs }}`."""

from django import template

from ...reports.formatting import FILTERS

register = template.Library()
for name, function in FILTERS.items():
    register.filter(name, function)
