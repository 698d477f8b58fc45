from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A business rule refused an action.

    The message is translatable and shown to the user as it is: views turn it
    into a form error or a message, the API into a 400. ``field`` names the form
    field the message belongs to, when there is one.
    """

    def __init__(self, message, *, field: str | None = None, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.field = field
        self.code = code

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(PermissionDenied):
    """The policy refused the user this action: a 403 on pages and in the API, and nothing changes."""

    def __init__(self, message=None, *, action: str = ""):
        self.action = action
        super().__init__(message or _("Your role does not allow this action."))
