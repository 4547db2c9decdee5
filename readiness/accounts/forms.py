import math
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from readiness.accounts.services import client_address, login_blocked_until
from readiness.core.text import LABEL, TextField


class LoginLimitMixin:
    """Says why a blocked login is refused, and for how long. The same words
    whether the username exists or not, and whichever limit applies."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username:
            until = login_blocked_until(username, client_address(self.request))
            if until is not None:
                minutes = max(1, math.ceil((until - timezone.now()).total_seconds() / 60))
                raise forms.ValidationError(
                    ngettext(
                        "Too many failed login attempts. Try again in %(minutes)d minute.",
                        "Too many failed login attempts. Try again in %(minutes)d minutes.",
                        minutes,
                    )
                    % {"minutes": minutes},
                    code="locked_out",
                )
        return super().clean()  # type: ignore[misc]


class LoginForm(LoginLimitMixin, AuthenticationForm):
    pass


class AdminLoginForm(LoginLimitMixin, AdminAuthenticationForm):
    pass


class TokenForm(forms.Form):
    name = TextField(label=_("Token name"), max_length=LABEL)
