from django import template

from ..targets import describe, direction_words, display, format_number

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure with no unit (a tolerance, a share): 1,234.5, trailing zeros dropped."""
    return format_number(value)


@register.filter
def in_unit(value, unit) -> str:
    """A value to the precision of its unit: "1,235", "5.68", "112.5", "71.9%"."""
    return display(value, unit)


@register.simple_tag
def direction_of(direction, polarity):
    """The wording of a direction ("Improving", "✓", "better: ..."), or None."""
    return direction_words(direction, polarity)


@register.simple_tag
def target_of(indicator) -> str:
    """An indicator's target in words, an absolute one to the precision of its unit."""
    return describe(indicator.target_spec, indicator.unit)


@register.simple_tag
def history_chart(status, indicator):
    """The indicator page's chart of its last 12 periods, figures to the unit's precision
    and percentage ticks with their sign."""
    from django.utils.safestring import mark_safe

    from ..charts import history

    label = f"{indicator.name}: values by period against target"
    return mark_safe(history(status.points[-12:], label=label, unit=indicator.unit))
