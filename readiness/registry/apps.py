from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "readiness.registry"
    label = "registry"
    verbose_name = _("Registers")

    def ready(self) -> None:
        from readiness.registry.jurisdictions import sync_after_migrate

        # The ISO list is reference data, like Django's content types: brought
        # in step with the installed pycountry on every migrate (and after
        # the flush of a test database, which sends the same signal).
        post_migrate.connect(sync_after_migrate, sender=self)
