from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes shown as hours with one decimal."""
    return floatformat((minutes or 0) / 60, 1)
