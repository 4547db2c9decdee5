"""The demo: a login and the 2019 Vietnam assessment, loaded through the same
importer as any assessment document. Loading twice changes nothing."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from readiness.actionplans.services import import_plan
from readiness.assessments.documents import import_assessment
from readiness.assessments.models import Assessment, Membership
from readiness.assessments.permissions import Role
from readiness.catalogues.models import Catalogue
from readiness.catalogues.services import create_catalogue, import_file
from readiness.core.readers import MAX_ASSESSMENT_BYTES, MAX_PLAN_BYTES, read_yaml
from readiness.demo.missions import load_missions
from readiness.registry.models import Organisation
from readiness.registry.services import import_csv

DEMO_FILE = Path(__file__).resolve().parent / "vietnam-2019.yaml"
DEMO_PLANS = sorted((Path(__file__).resolve().parent / "plans").glob("*.yaml"))
DEMO_REGISTER = Path(__file__).resolve().parent / "organisations-VN.csv"
# The 2019 report's annex C: 38 datasets published and 11 databases not yet online.
DEMO_INVENTORY = Path(__file__).resolve().parent / "datasets-VN-2019.csv"
DEMO_USERNAME = "demo"
DEMO_PASSWORD = "readiness-demo"
# More demo accounts, one per role, to try the review workflow (same password).
DEMO_TEAM = {
    "demo-assessor": Role.ASSESSOR,
    "demo-reviewer": Role.REVIEWER,
    "demo-counterpart": Role.COUNTERPART,
}


def demo_document() -> dict:
    return read_yaml(DEMO_FILE.read_bytes(), str(DEMO_FILE), max_bytes=MAX_ASSESSMENT_BYTES)


@transaction.atomic
def load_demo() -> tuple[User, Assessment, bool]:
    """Returns (demo user, demo assessment, whether the assessment was created)."""
    user_model = get_user_model()
    user = user_model.objects.filter(username=DEMO_USERNAME).first()
    if user is None:
        user = user_model.objects.create_user(
            username=DEMO_USERNAME, password=DEMO_PASSWORD, is_staff=True, is_superuser=True
        )
    document = demo_document()
    existing = Assessment.objects.filter(slug=document["assessment"]["slug"]).first()
    if existing is not None:
        return user, existing, False
    assessment = import_assessment(user, document, str(DEMO_FILE))
    if not Organisation.objects.filter(country_code="VN").exists():
        # The organisations the 2019 plans name, with Vietnamese names and
        # acronyms; the plans' own lists then add nothing.
        import_csv(user, "VN", DEMO_REGISTER.read_bytes(), str(DEMO_REGISTER))
    for plan in DEMO_PLANS:
        import_plan(
            user, read_yaml(plan.read_bytes(), str(plan), max_bytes=MAX_PLAN_BYTES), str(plan)
        )
    for username, role in DEMO_TEAM.items():
        member = user_model.objects.filter(username=username).first()
        if member is None:
            member = user_model.objects.create_user(username=username, password=DEMO_PASSWORD)
        Membership.objects.create(assessment=assessment, user=member, role=role)
    inventory = create_catalogue(
        actor=user,
        assessment=assessment,
        key="annex-2019",
        title="2019 report, annex C: datasets available",
        kind=Catalogue.Kind.DESK,
    )
    import_file(inventory, DEMO_INVENTORY.read_bytes(), DEMO_INVENTORY.name, actor=user)
    load_missions(user, assessment)
    return user, assessment, True
