from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def load_builtin_frameworks(sender: AppConfig, **kwargs: Any) -> None:
    from readiness.frameworks.services import load_builtin_frameworks as load

    load()


class FrameworksConfig(AppConfig):
    name = "readiness.frameworks"
    label = "frameworks"
    verbose_name = _("Frameworks")

    def ready(self) -> None:
        # The built-in frameworks are data shipped with the code: every
        # migrated database has them (loading is idempotent).
        post_migrate.connect(load_builtin_frameworks, sender=self)
