"""The sign-in backend: Django's, with the user's unread reminders counted in the same query.

Every page shows the bell's count; reading the user for the session is a query every
request already pays, so the count rides along as a subquery (an index on recipient and
read_at) instead of adding one more query to every page.
"""

from django.contrib.auth.backends import ModelBackend
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce

from .models import Notification


def with_unread_count(users):
    unread = (
        Notification.objects.filter(recipient=OuterRef("pk"), read_at__isnull=True)
        .order_by()
        .values("recipient")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return users.annotate(unread_notifications=Coalesce(Subquery(unread, output_field=IntegerField()), 0))


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        from django.contrib.auth import get_user_model

        users = with_unread_count(get_user_model()._default_manager.all())
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
