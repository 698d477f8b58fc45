"""Double submits: every create form is sent once, however often it is clicked or resent.

The create form carries a one-time token (``{% submission_token %}`` inside the ``<form>``,
from ``core.templatetags.cat_tags``). The view is decorated with ``@once_per_submission``
and, where it has created its record, returns ``created(request, redirect(...))``:

* the first POST claims the token (a row of ``core.SubmissionToken``, unique) in the same
  transaction as the create, and records where the create sent the user;
* a second POST with the same token (a double click, the browser's "resend") finds it
  taken and is sent to that same page with an info message, creating nothing. On
  PostgreSQL, a second POST that arrives while the first is still running waits on the
  unique index until the first commits, then finds the claim;
* a create that fails (a form error, a ``DomainError``: its service rolled back) never
  calls ``created``: the claim is deleted in the same transaction, and the same form may
  be sent again. (A view that forgot ``created`` keeps what it wrote, unprotected: its row
  in ``tests/test_double_submit.py`` fails.)

The API's create endpoints do the same with an ``Idempotency-Key`` header
(``@api_once_per_key`` on the viewset's ``create``): a resent request with the same key
creates nothing and answers 200 with the record the first one created.

A POST without a token (an old page, a test, a script) works as before. Records with a
natural key are safe without a token (one repayment per loan and ``idempotency_key``, one
voucher per code...); ``tests/test_double_submit.py`` lists every create view and how it
is safe. Tokens are purged after ``KEEP_DAYS`` by the daily task ``purge_submission_tokens``.
"""

import datetime
import secrets
from functools import wraps

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _

FIELD = "submission_token"
KEEP_DAYS = 7
_CREATED = "_cat_created_url"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def _claimed(token: str):
    from .models import SubmissionToken

    return SubmissionToken.objects.filter(token=token).first()


def created(request, response, *, record_url: str | None = None):
    """Mark the create as done and return ``response`` (a redirect, or an htmx fragment with ``record_url``).

    A second POST of the same form is sent to ``record_url`` (the record created), or where the
    first one was sent."""
    setattr(request, _CREATED, record_url or response["Location"])
    return response


def _already_sent(request, claim):
    messages.info(request, _("This form was already sent; it was not recorded twice."))
    if request.headers.get("HX-Request"):  # an htmx form: the whole page goes to the record, not a fragment
        response = HttpResponse(status=204)
        response["HX-Redirect"] = claim.url
        return response
    return redirect(claim.url)


def once_per_submission(view):
    """A create view that a repeated POST of the same form does not run twice (see the module)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = request.POST.get(FIELD, "").strip()[:64] if request.method == "POST" else ""
        if not token or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        with transaction.atomic():
            claim = _claim(token, request.user, getattr(request.resolver_match, "view_name", ""))
            if claim is not None:
                response = view(request, *args, **kwargs)
                url = getattr(request, _CREATED, None)
                if url is None:  # the create failed (or the view did not say it created): release the token
                    claim.delete()
                else:
                    claim.url = url[:300]
                    claim.save(update_fields=["url"])
                return response
        claim = _claimed(token)
        if claim is None or claim.user_id != request.user.pk or not claim.url:
            # Another user's token (never handed out to this one), or a claim rolled back meanwhile.
            return view(request, *args, **kwargs)
        return _already_sent(request, claim)

    wrapper.once_per_submission = True
    return wrapper


def purge(now: datetime.datetime | None = None) -> int:
    """Forget the tokens of forms sent more than ``KEEP_DAYS`` ago (nobody resends a week-old form)."""
    from .models import SubmissionToken

    limit = (now or timezone.now()) - datetime.timedelta(days=KEEP_DAYS)
    deleted, _by_model = SubmissionToken.objects.filter(created_at__lt=limit).delete()
    return deleted


API_HEADER = "Idempotency-Key"


def _claim(token: str, user, view: str):
    """Take the token in a savepoint of the current transaction; None when it is already taken."""
    from .models import SubmissionToken

    try:
        with transaction.atomic():
            return SubmissionToken.objects.create(token=token, user=user, view=view[:100])
    except IntegrityError:
        return None


def api_once_per_key(create):
    """An API viewset's ``create``: the same ``Idempotency-Key`` from the same user creates once."""

    @wraps(create)
    def wrapper(self, request, *args, **kwargs):
        key = request.headers.get(API_HEADER, "").strip()[:40]
        if not key or not request.user.is_authenticated:
            return create(self, request, *args, **kwargs)
        token = f"api:{request.user.pk}:{key}"  # a client's keys are its own: another user's cannot collide
        with transaction.atomic():
            claim = _claim(token, request.user, f"api:{getattr(self, 'basename', '')}")
            if claim is not None:
                response = create(self, request, *args, **kwargs)
                record_id = response.data.get("id") if response.status_code == 201 and response.data else None
                if record_id is None:
                    claim.delete()
                else:
                    claim.record_id = str(record_id)
                    claim.save(update_fields=["record_id"])
                return response
        claim = _claimed(token)
        if claim is None or not claim.record_id:
            return create(self, request, *args, **kwargs)
        # The record as its own endpoint shows it (and to whom: the retrieve action's policy and scope).
        self.action, self.kwargs = "retrieve", {**self.kwargs, self.lookup_field: claim.record_id}
        response = self.retrieve(request, *args, **self.kwargs)
        response["Idempotent-Replayed"] = "true"
        return response

    return wrapper
