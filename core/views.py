from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .access import centre_ids, sees_all_centres
from .models import Centre
from .navigation import panels_for


@login_required
def home(request):
    """Each member of staff lands on "my work": the panels their roles fill."""
    user = request.user
    centres = Centre.objects.all() if sees_all_centres(user) else Centre.objects.filter(id__in=centre_ids(user))
    return render(
        request,
        "core/home.html",
        {"panels": panels_for(user), "centres": centres, "national": sees_all_centres(user)},
    )


def protected_file(field_file, *, download_name: str | None = None):
    """Serve a stored file to a user the calling view has already checked: media is never public."""
    import mimetypes
    from pathlib import Path

    from django.http import FileResponse, Http404

    if not field_file:
        raise Http404
    name = download_name or Path(field_file.name).name
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(field_file.open("rb"), content_type=content_type, filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response
