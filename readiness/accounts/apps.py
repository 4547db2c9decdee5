from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "readiness.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.contrib import admin

        from readiness.accounts import signals  # noqa: F401
        from readiness.accounts.forms import AdminLoginForm

        # The admin's login obeys the same limits anyway (LockoutBackend); this
        # form also says why it refuses.
        admin.site.login_form = AdminLoginForm
