from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.errors import EditConflict, InvalidInput
from readiness.core.filtering import PageQuery, read_query
from readiness.core.history import acting_user
from readiness.notifications import services
from readiness.notifications.models import Kind
from readiness.notifications.selectors import NotificationFilters, notification_page


@login_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    assert user is not None
    filters = read_query(NotificationFilters, request.GET)
    page = notification_page(user, filters, read_query(PageQuery, request.GET))
    rows = [(n, services.text_of(n), services.link_of(n)) for n in page.items]
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "unread": services.unread_count(user),
        },
    )


@login_required
@require_POST
def read_one(request: HttpRequest, notification_id: int) -> HttpResponse:
    user = acting_user(request.user)
    assert user is not None
    services.mark_read(user, notification_id)
    return redirect("notifications:list")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    assert user is not None
    services.mark_all_read(user)
    messages.success(request, _("All notifications are marked read."))
    return redirect("notifications:list")


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    user = acting_user(request.user)
    assert user is not None
    chosen = services.preferences_of(user)
    error = ""
    status = 200
    if request.method == "POST":
        try:
            version = request.POST.get("version", "")
            if not version.isdigit() or len(version) > 9:
                raise InvalidInput.single("version", _("the version shown with the form"))
            chosen = services.set_preferences(
                user,
                language=request.POST.get("language", ""),
                email_kinds=request.POST.getlist("email_kinds"),
                expected_version=int(version),
            )
        except EditConflict as conflict:
            error, status = str(conflict), conflict.status
            chosen = services.preferences_of(user)
        except InvalidInput as refused:
            error, status = str(refused), refused.status
        else:
            messages.success(request, _("Your notification preferences are saved."))
            return redirect("notifications:preferences")
    return render(
        request,
        "notifications/preferences.html",
        {"preferences": chosen, "kinds": Kind.choices, "error": error},
        status=status,
    )
