from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """Running an installation: health check, request logs, worker heartbeats,
    backup and restore."""

    name = "readiness.operations"
    label = "operations"
    verbose_name = _("Operations")
