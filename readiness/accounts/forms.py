from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from readiness.accounts.services import is_locked_out


class LoginForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username and is_locked_out(username):
            raise forms.ValidationError(
                _("Too many failed logins for this account. Try again in 15 minutes."),
                code="locked_out",
            )
        return super().clean()


class TokenForm(forms.Form):
    name = forms.CharField(label=_("Token name"), max_length=100)
