"""The inventory through the REST API: the same services, the one error
shape, pages for every list."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from readiness.assessments.models import Assessment
from readiness.catalogues import services
from readiness.catalogues.models import Catalogue, CatalogueRun
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from tests.conftest import client_for

BASE = "/api/v1/assessments/vietnam-2019"


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    catalogue = services.create_catalogue(
        actor=None, assessment=demo, key="portal", title="Portal", kind="ckan"
    )
    rows = [
        DatasetRecord(
            "a",
            "Budget",
            recommendation="quick_win",
            distributions=(DistributionRecord(format="CSV"),),
        ),
        DatasetRecord("b", "Traffic", recommendation="priority"),
    ]
    services.import_records(catalogue, rows, actor=None, source="x.json")
    return catalogue


def post_json(client: Client, path: str, body: object) -> object:
    return client.post(path, json.dumps(body), content_type="application/json")


def test_an_assessor_adds_a_catalogue_and_a_dataset_by_hand(assessor_client: Client) -> None:
    made = post_json(
        assessor_client,
        f"{BASE}/catalogues",
        {"key": "desk", "title": "Desk research", "kind": "desk"},
    )
    assert made.status_code == 201, made.content
    assert made.json()["version"] == 1
    added = post_json(
        assessor_client,
        f"{BASE}/catalogues/desk/datasets",
        {
            "title": "Land register",
            "access": "fee",
            "publisher": "MIC",
            "distributions": [{"format": "PDF"}],
        },
    )
    assert added.status_code == 201, added.content
    body = added.json()
    assert (body["identifier"], body["publisher_in_register"]) == ("land-register", "MIC")
    assert body["distributions"][0]["format"] == "PDF"


def test_the_dataset_list_is_a_page_filtered_by_recommendation(
    catalogue: Catalogue, assessor_client: Client
) -> None:
    page = assessor_client.get(f"{BASE}/catalogues/portal/datasets?recommendation=quick_win")
    assert page.status_code == 200
    body = page.json()
    assert body["count"] == 1 and body["next"] is None
    assert [d["title"] for d in body["results"]] == ["Budget"]


def test_a_stale_patch_gets_409_with_the_stored_dataset(
    catalogue: Catalogue, assessor_client: Client
) -> None:
    dataset = catalogue.datasets.get(identifier="b")
    path = f"{BASE}/catalogues/portal/datasets/{dataset.pk}"
    first = assessor_client.patch(
        path, json.dumps({"version": 1, "notes": "mine"}), content_type="application/json"
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = assessor_client.patch(
        path, json.dumps({"version": 1, "notes": "theirs"}), content_type="application/json"
    )
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2


def test_the_summary_states_its_rule_and_the_mixed_figures(
    catalogue: Catalogue, assessor_client: Client
) -> None:
    body = assessor_client.get(f"{BASE}/inventory/summary").json()
    assert body["total_datasets"] == 2
    assert {t["value"]: t["count"] for t in body["by_recommendation"]} == {
        "quick_win": 1,
        "priority": 1,
    }
    assert body["quick_wins_including_mixed"]["count"] == 1
    assert "counted once" in body["counting_rule"]


def test_the_csv_export_has_a_row_per_distribution(
    catalogue: Catalogue, assessor_client: Client
) -> None:
    response = assessor_client.get(f"{BASE}/inventory/export?format=csv&catalogue=portal")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 3  # the header, Budget's CSV, Traffic without distributions


def test_an_upload_that_is_not_a_catalogue_gets_422_and_changes_nothing(
    catalogue: Catalogue, assessor_client: Client
) -> None:
    upload = SimpleUploadedFile("broken.json", b"{not json", content_type="application/json")
    response = assessor_client.post(f"{BASE}/catalogues/portal/import", {"file": upload})
    assert response.status_code == 422, response.content
    assert response.json()["message"]
    assert catalogue.datasets.count() == 2


def test_a_harvest_is_queued_as_a_run(
    catalogue: Catalogue, assessor_client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as queued:
        response = post_json(
            assessor_client,
            f"{BASE}/catalogues/portal/harvest",
            {"url": "https://data.example.org/api/3/action/package_search", "max_datasets": 50},
        )
    assert response.status_code == 202, response.content
    run = CatalogueRun.objects.get(pk=response.json()["id"])
    assert run.limits == {"max_datasets": 50, "max_seconds": 3600.0}
    assert len(queued) == 1
    progress = assessor_client.get(f"{BASE}/catalogues/portal/runs/{run.pk}").json()
    assert progress["status"] == "queued"


def test_a_figure_is_cited_as_evidence(catalogue: Catalogue, assessor_client: Client) -> None:
    response = post_json(
        assessor_client,
        f"{BASE}/inventory/citations",
        {
            "framework": "dgra",
            "question": "1.1",
            "kind": "count",
            "parameters": {"dimension": "recommendation", "value": "priority"},
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["text"].endswith("“Priority”: 1.")


def test_a_reviewer_may_read_but_not_delete(catalogue: Catalogue, reviewer) -> None:  # type: ignore[no-untyped-def]
    client = client_for(reviewer)
    assert client.get(f"{BASE}/catalogues").status_code == 200
    assert client.delete(f"{BASE}/catalogues/portal?version=1").status_code == 403


def test_an_outsider_gets_404(catalogue: Catalogue, outsider) -> None:  # type: ignore[no-untyped-def]
    assert client_for(outsider).get(f"{BASE}/catalogues/portal").status_code == 404
