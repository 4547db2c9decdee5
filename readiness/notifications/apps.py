from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "readiness.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from readiness.notifications import signals  # noqa: F401  (registers the receivers)
