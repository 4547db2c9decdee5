"""Shared fixtures. Personas on the demo assessment: `lead`, `assessor`,
`reviewer`, `counterpart` (members with that role), `outsider` (signed in,
not a member) and anonymous visitors. The demo assessment is loaded once per
session into the test database; tests run inside transactions that roll back."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client
from django.utils import translation

from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role
from readiness.demo.services import load_demo

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED_REPORT = SHARED / "seeds" / "003_9a3a4d2f036ed6ea.txt"
PASSWORD = "persona-pass-1"


@pytest.fixture(autouse=True)
def language_of_the_site() -> Iterator[None]:
    """Each test starts and ends in the site's language: a request in
    Vietnamese leaves it active in the thread (LocaleMiddleware does not
    switch back), which would change the messages of the tests after it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        load_demo()


@pytest.fixture
def demo(db) -> Assessment:  # type: ignore[no-untyped-def]
    return Assessment.objects.get(slug="vietnam-2019")


def persona(username: str, demo: Assessment, role: Role | None) -> User:
    user = User.objects.create_user(username=username, password=PASSWORD)
    if role is not None:
        Membership.objects.create(assessment=demo, user=user, role=role)
    return user


@pytest.fixture
def lead(demo: Assessment) -> User:
    return persona("lead", demo, Role.LEAD)


@pytest.fixture
def assessor(demo: Assessment) -> User:
    return persona("assessor", demo, Role.ASSESSOR)


@pytest.fixture
def reviewer(demo: Assessment) -> User:
    return persona("reviewer", demo, Role.REVIEWER)


@pytest.fixture
def counterpart(demo: Assessment) -> User:
    return persona("counterpart", demo, Role.COUNTERPART)


@pytest.fixture
def outsider(demo: Assessment) -> User:
    return persona("outsider", demo, None)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def assessor_client(assessor: User) -> Client:
    return client_for(assessor)


@pytest.fixture
def anonymous_client() -> Client:
    return Client()
