from django import template
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def hours(minutes) -> str:
    """Minutes shown as hours with one decimal."""
    return floatformat((minutes or 0) / 60, 1)


@register.simple_tag
def ee_client_wish_recorded(trajectory) -> bool:
    """Whether a team member already noted the client's wish for an experience expert (trajectory page)."""
    from ..models import ClientWish

    return ClientWish.objects.filter(trajectory_id=getattr(trajectory, "pk", None)).exists()
