"""Shared fixtures. Personas: `assessor` (a logged-in team member) and
`anonymous` (no login). The demo assessment is loaded once per session into
the test database; tests run inside transactions that roll back."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from readiness.assessments.models import Assessment
from readiness.demo.services import load_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_REPORT = SHARED / "seeds" / "003_9a3a4d2f036ed6ea.txt"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db) -> Assessment:  # type: ignore[no-untyped-def]
    return Assessment.objects.get(slug="vietnam-2019")


@pytest.fixture
def assessor(db):  # type: ignore[no-untyped-def]
    return get_user_model().objects.create_user(username="assessor", password="assessor-pass-1")


@pytest.fixture
def assessor_client(assessor) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(assessor)
    return client


@pytest.fixture
def anonymous_client() -> Client:
    return Client()
