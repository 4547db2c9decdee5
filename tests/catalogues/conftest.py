import pytest

from readiness.catalogues.models import Catalogue


@pytest.fixture(autouse=True)
def without_the_demo_inventory(request: pytest.FixtureRequest) -> None:
    """Most tests here build a small inventory of their own on the demo
    assessment and count it; the demo's own (the 2019 annex, checked in
    test_demo_inventory.py) is taken away first, inside the test's transaction."""
    if request.module.__name__.endswith("test_demo_inventory"):
        return
    if "db" in request.fixturenames or request.node.get_closest_marker("django_db"):
        request.getfixturevalue("db")
        Catalogue.objects.filter(assessment__slug="vietnam-2019", key="annex-2019").delete()
