from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from readiness.accounts import services
from readiness.accounts.forms import TokenForm
from readiness.accounts.models import ApiToken
from readiness.core.errors import InvalidInput


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert user.is_authenticated
    form = TokenForm(request.POST or None)
    secret = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = services.create_token(user, form.cleaned_data["name"])
        except InvalidInput as error:
            form.add_error("name", str(error))
        else:
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "secret": secret, "tokens": ApiToken.objects.filter(user_id=user.pk)},
    )


@login_required
@require_POST
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    services.revoke_token(request.user, token_id)  # type: ignore[arg-type]
    messages.success(request, _("Token revoked."))
    return redirect("accounts:tokens")
