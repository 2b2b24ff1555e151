from django import template

from ..targets import format_number

register = template.Library()


@register.filter
def figure(value) -> str:
    """A figure as the pages print it: 1,234.5 (one formatting rule for every page)."""
    return format_number(value)
