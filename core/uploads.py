"""What may be uploaded: a few document and image types, limited in size, whose content matches the name.

Every form with a file uses ``UploadField`` (or ``validate_upload`` as a validator) and every write
service that stores a file calls ``check_upload``: a renamed ``.exe``, a 200 MB video or an HTML page
(which a browser could run if it were ever served inline) is refused before it reaches the disk.
"""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .exceptions import DomainError

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Office 97-2003 (.doc, .xls, .ppt)
ZIP = b"PK\x03\x04"  # Office Open XML and OpenDocument are zip files
# The first bytes each accepted extension must start with.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "pptx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "doc": (OLE,),
    "xls": (OLE,),
    "ppt": (OLE,),
}
DOCUMENTS = tuple(SIGNATURES)  # reports, manuals, fact sheets, visit records
EVIDENCE = ("pdf", "jpg", "jpeg", "png")  # scanned certificates and photos


def max_upload_bytes() -> int:
    return int(getattr(settings, "MAX_UPLOAD_MB", 10)) * 1024 * 1024


def check_upload(upload, *, kinds=DOCUMENTS, max_bytes: int | None = None, field: str = "file") -> None:
    """Refuse (DomainError) a file of another type, too large, or whose content does not match its name."""
    max_bytes = max_bytes or max_upload_bytes()
    name = (getattr(upload, "name", "") or "").lower()
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    if extension not in kinds:
        raise DomainError(
            _("Only these files are accepted: %(kinds)s.") % {"kinds": ", ".join(k.upper() for k in kinds)},
            field=field,
        )
    if upload.size > max_bytes:
        raise DomainError(_("The file is larger than %(size)s MB.") % {"size": max_bytes // (1024 * 1024)}, field=field)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
        raise DomainError(
            _("The file's content is not a real %(kind)s: it was refused.") % {"kind": extension.upper()}, field=field
        )


def check_new_upload(upload, *, kinds=DOCUMENTS, max_bytes: int | None = None, field: str = "file") -> None:
    """``check_upload`` for a file that just arrived; a file already stored (or none) passes."""
    if isinstance(upload, UploadedFile):
        check_upload(upload, kinds=kinds, max_bytes=max_bytes, field=field)


class UploadValidator:
    """The form-side of ``check_upload``: a Django validator for a FileField."""

    def __init__(self, *, kinds=DOCUMENTS, max_bytes: int | None = None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        # "clear" ticked, or the file already stored: nothing new arrived, nothing to check.
        try:
            check_new_upload(upload, kinds=self.kinds, max_bytes=self.max_bytes)
        except DomainError as error:
            raise ValidationError(error.message, code="upload") from error

    def __eq__(self, other):
        return isinstance(other, UploadValidator) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)


validate_upload = UploadValidator()


class UploadField(forms.FileField):
    """A file input limited to the accepted types and size, saying so in its help text."""

    def __init__(self, *args, kinds=DOCUMENTS, max_bytes: int | None = None, **kwargs):
        validator = UploadValidator(kinds=kinds, max_bytes=max_bytes)
        kwargs["validators"] = [*kwargs.get("validators", []), validator]
        super().__init__(*args, **kwargs)
        self.widget.attrs.setdefault("accept", ",".join(f".{k}" for k in kinds))
        if not self.help_text:
            # Lazy: the form class is built at import, the language is chosen per request.
            self.help_text = format_lazy(
                gettext_lazy("{kinds}; at most {size} MB."),
                kinds=", ".join(k.upper() for k in kinds if k != "jpeg"),
                size=(max_bytes or max_upload_bytes()) // (1024 * 1024),
            )
