from .access import visible_centres
from .models import Centre


def centre_filter_queryset(request):
    """The centres a list may be filtered by: the user's own, or all for national roles."""
    if request is None:
        return Centre.objects.none()
    return visible_centres(request.user)


def add_domain_error(form, error) -> None:
    """Show a service's DomainError at its field (or at the top of the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
