from django.core.paginator import Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of a list; a page number out of range shows the last page instead of an error."""
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))
