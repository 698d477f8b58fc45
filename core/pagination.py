"""The one pagination helper of every list page.

Counting every matching row is what made deep national lists slow: a list counts exactly up
to ``COUNT_LIMIT`` rows (a bounded ``COUNT`` over ``LIMIT COUNT_LIMIT + 1``) and beyond that
says "more than 10,000" and offers the pages up to that limit. Each page is then at most
``COUNT_LIMIT`` rows deep, read off the index that matches the list's order.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25
COUNT_LIMIT = 10_000


# From this many rows deep, a page first picks its ids (walking the order's index only) and then joins
# just those rows: an OFFSET over the joined rows would join every row it skips.
DEFERRED_JOIN_FROM = 500


class IndexedPaginator(Paginator):
    """A Paginator whose deep pages pick their ids first (the admin's changelists use it, counting exactly)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self._rows(bottom, top), number, self)

    def _rows(self, bottom: int, top: int):
        objects = self.object_list
        query = getattr(objects, "query", None)
        # DISTINCT and grouped lists select more than the id to keep their order: sliced as they are.
        if query is None or bottom < DEFERRED_JOIN_FROM or query.distinct or query.annotations:
            return objects[bottom:top]
        return objects.filter(pk__in=objects.values("pk")[bottom:top])


class BoundedPaginator(IndexedPaginator):
    """An IndexedPaginator whose count stops at ``count_limit``; ``is_capped`` says that there are more."""

    def __init__(self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, count_limit=None):
        self.count_limit = COUNT_LIMIT if count_limit is None else count_limit
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)

    @cached_property
    def _bounded_count(self) -> int:
        objects = self.object_list
        if hasattr(objects, "order_by"):
            # Neither the order nor the joined columns change a count: dropping them spares a sort and joins.
            return objects.order_by().values("pk")[: self.count_limit + 1].count()
        return len(objects)

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.count_limit)

    @cached_property
    def is_capped(self) -> bool:
        return self._bounded_count > self.count_limit


def paginate(request, queryset, per_page: int = PAGE_SIZE):
    """A page of a list; a page number out of range shows the last page instead of an error."""
    return BoundedPaginator(queryset, per_page).get_page(request.GET.get("page"))
