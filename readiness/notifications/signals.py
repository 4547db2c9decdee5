"""An assignment tells its assignee, whichever door made it (the assessments
services stay unaware of notifications)."""

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from readiness.assessments.models import Assignment
from readiness.notifications.services import notify_assigned


@receiver(post_save, sender=Assignment, dispatch_uid="notify_assigned")
def assignment_made(sender: Any, instance: Assignment, created: bool, **kwargs: Any) -> None:
    if created and not kwargs.get("raw"):
        notify_assigned(instance)
