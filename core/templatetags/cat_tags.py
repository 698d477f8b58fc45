from django import template
from django.utils.html import format_html

from core import idempotency
from core.money import format_money

register = template.Library()


@register.filter
def soles(value, currency: str = "PEN") -> str:
    """Show money as S/ 1,234.56 (or US$ for dollar amounts); empty for no value."""
    if value is None or value == "":
        return ""
    return format_money(value, currency)


@register.filter
def has_filters(query) -> bool:
    """Whether a list's query string filters anything (pagination alone does not)."""
    return any(value for key, value in query.items() if key not in ("page", "o"))


@register.simple_tag
def submission_token() -> str:
    """A create form's one-time token (core.idempotency): put it inside the <form>, next to the csrf_token."""
    return format_html('<input type="hidden" name="{}" value="{}">', idempotency.FIELD, idempotency.new_token())
