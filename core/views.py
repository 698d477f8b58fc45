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
