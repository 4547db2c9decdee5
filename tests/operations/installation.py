"""What the backup tests compare and the empty installation they restore into."""

from typing import Any

from django.apps import apps
from django.core.management.sql import emit_post_migrate_signal


def everything() -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (heartbeats aside: not content), by model, in
    primary key order, as the ORM reads it."""
    return {
        model._meta.label_lower: [
            {
                name: bytes(value) if isinstance(value, memoryview) else value
                for name, value in row.items()
            }
            for row in model._base_manager.order_by("pk").values()
        ]
        for model in apps.get_models(include_auto_created=True)
        if model._meta.label_lower != "operations.workerheartbeat"
    }


# What `readiness migrate` writes into every new database (the demo's
# frameworks are the built-in ones).
REFERENCE = ("contenttypes.", "auth.permission", "registry.jurisdiction", "frameworks.")


def without_content() -> None:
    """The quicker empty installation: the content deleted, the reference
    data left as it is, under the same ids."""
    for model in apps.get_models(include_auto_created=True):
        if not model._meta.label_lower.startswith(REFERENCE):
            model._base_manager.all()._raw_delete("default")


def empty_installation() -> None:
    """The database as `readiness migrate` leaves a new one, inside the test's
    transaction: every row deleted, then what migrate writes written again
    (content types, permissions, jurisdictions, built-in frameworks), under
    new ids."""
    for model in apps.get_models(include_auto_created=True):
        model._base_manager.all()._raw_delete("default")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
