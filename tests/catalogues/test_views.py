"""The open data inventory in the web: the lead and the assessors change it,
reviewers and counterparts read it, outsiders find nothing and anonymous
visitors are sent to log in; refused forms say what is wrong beside the
field and change nothing; a stale save is refused with what is stored now;
an import shows what it added, changed and removed, or names the place of
its error; a figure is cited as evidence for a question."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from readiness.assessments.models import Assessment, Evidence
from readiness.catalogues.models import (
    Catalogue,
    CatalogueRun,
    Dataset,
    DatasetFormat,
    Distribution,
)
from readiness.catalogues.records import TABLE_COLUMNS
from readiness.frameworks.models import Framework
from tests.conftest import client_for

pytestmark = pytest.mark.django_db
INVENTORY = "/assessments/vietnam-2019/inventory/"
PORTAL = INVENTORY + "catalogues/test-portal/"


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    # Stored directly: these tests are about the pages, the services have their own.
    return Catalogue.objects.create(
        assessment=demo, key="test-portal", title="Test portal", kind="ckan"
    )


def add(catalogue: Catalogue, title: str, **fields: Any) -> Dataset:
    dataset = Dataset.objects.create(
        catalogue=catalogue,
        identifier=fields.pop("identifier", title.lower()),
        title=title,
        **fields,
    )
    Distribution.objects.create(
        dataset=dataset, format="CSV", download_url="https://example.org/data.csv"
    )
    DatasetFormat.objects.create(dataset=dataset, code="CSV", label="CSV", known=True)
    return dataset


@pytest.fixture
def budget(catalogue: Catalogue) -> Dataset:
    return add(
        catalogue,
        "State budget 2018",
        identifier="budget-2018",
        licence="CC-BY-4.0",
        recommendation="quick_win",
    )


def dataset_page(dataset: Dataset) -> str:
    return f"{PORTAL}datasets/{dataset.pk}/"


def form_of(dataset: Dataset, **changes: Any) -> dict[str, Any]:
    """The edit form as the page fills it in, with `changes`, and one distribution."""
    return {
        "identifier": dataset.identifier,
        "title": dataset.title,
        "licence": dataset.licence,
        "access": dataset.access,
        "recommendation": dataset.recommendation,
        "version": dataset.version,
        **distribution_forms({"format": "CSV", "download_url": "https://example.org/data.csv"}),
        **changes,
    }


def distribution_forms(*rows: dict[str, str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "distribution-TOTAL_FORMS": str(len(rows)),
        "distribution-INITIAL_FORMS": "0",
        "distribution-MIN_NUM_FORMS": "0",
        "distribution-MAX_NUM_FORMS": "200",
    }
    for number, row in enumerate(rows):
        data.update({f"distribution-{number}-{name}": value for name, value in row.items()})
    return data


def text_of(response: Any) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- who sees what ---------------------------------------------------------------


def test_the_lead_finds_a_dataset_by_search_and_filters(lead: User, budget: Dataset) -> None:
    client = client_for(lead)
    found = text_of(client.get(INVENTORY + "?q=budget&recommendation=quick_win"))
    assert "State budget 2018" in found
    assert "Add a catalogue" in found
    # Its licence is not in the list of licences (open_licence unknown), its format CSV.
    assert "State budget 2018" in text_of(
        client.get(INVENTORY + "?open_licence=unknown&format=csv")
    )
    assert "State budget 2018" not in text_of(client.get(INVENTORY + "?open_licence=open"))
    missing = client.get(INVENTORY + "?recommendation=low_value")
    assert missing.status_code == 200
    assert "No dataset matches these filters." in text_of(missing)


def test_a_row_shows_publisher_formats_licence_stars_and_quality(
    lead: User, budget: Dataset
) -> None:
    row = re.search(
        r"<tr>\s*<th scope=\"row\"><a [^>]*>State budget 2018</a>.*?</tr>",
        client_for(lead).get(INVENTORY).content.decode(),
        re.S,
    )
    assert row is not None
    cells = re.sub(r"<[^>]+>", " ", row.group(0))
    assert "CSV" in cells
    assert "CC-BY-4.0" in cells
    assert "of 405 points" in cells
    assert "Quick win" in cells


def test_a_reviewer_reads_the_inventory_but_may_not_change_it(
    reviewer: User, budget: Dataset
) -> None:
    client = client_for(reviewer)
    page = text_of(client.get(INVENTORY))
    assert "State budget 2018" in page
    assert "Add a catalogue" not in page
    assert client.get(dataset_page(budget)).status_code == 200
    assert client.get(dataset_page(budget) + "edit/").status_code == 403
    assert client.post(PORTAL + "link-check/").status_code == 403
    assert Dataset.objects.filter(pk=budget.pk).exists()


def test_a_counterpart_reads_the_summary(counterpart: User, budget: Dataset) -> None:
    response = client_for(counterpart).get(INVENTORY + "summary/")
    assert response.status_code == 200
    assert "Cite this figure" not in text_of(response)


def test_an_outsider_finds_no_inventory(outsider: User, budget: Dataset) -> None:
    client = client_for(outsider)
    for url in (INVENTORY, INVENTORY + "summary/", PORTAL, dataset_page(budget)):
        assert client.get(url).status_code == 404, url
    assert client.post(dataset_page(budget) + "delete/", {"version": "1"}).status_code == 404
    assert Dataset.objects.filter(pk=budget.pk).exists()


def test_anonymous_visitors_are_sent_to_log_in(anonymous_client: Client, budget: Dataset) -> None:
    for url in (INVENTORY, dataset_page(budget), INVENTORY + "export/csv/"):
        response = anonymous_client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_a_refused_filter_names_the_parameter(lead: User, catalogue: Catalogue) -> None:
    response = client_for(lead).get(INVENTORY + "?stars=9")
    assert response.status_code == 422
    assert "stars" in text_of(response)


def test_the_inventory_reads_in_vietnamese(lead: User, budget: Dataset) -> None:
    client = client_for(lead)
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    page = text_of(client.get(INVENTORY))
    assert "Danh mục dữ liệu mở" in page
    assert "Open data inventory" not in page


# --- a dataset by hand -----------------------------------------------------------


def test_the_lead_adds_a_database_not_yet_online(lead: User, catalogue: Catalogue) -> None:
    response = client_for(lead).post(
        PORTAL + "datasets/new/",
        {
            "title": "Land register",
            "publisher": "MONRE",
            "access": "not_online",
            "recommendation": "longer_term",
            "keywords": "land; cadastre",
            **distribution_forms({}),
        },
    )
    assert response.status_code == 302
    dataset = Dataset.objects.get(catalogue=catalogue, title="Land register")
    assert response["Location"] == dataset_page(dataset)
    assert (dataset.access, dataset.recommendation) == ("not_online", "longer_term")
    assert dataset.keywords == ["land", "cadastre"]
    assert dataset.distributions.count() == 0


def test_a_dataset_with_distributions_shows_every_score_with_its_reasons(
    lead: User, catalogue: Catalogue
) -> None:
    client = client_for(lead)
    response = client.post(
        PORTAL + "datasets/new/",
        {
            "title": "Population census 2019",
            "access": "online",
            "licence": "CC-BY-4.0",
            **distribution_forms(
                {"format": "CSV", "download_url": "https://example.org/census.csv"},
                {"format": "PDF", "access_url": "https://example.org/census.pdf"},
            ),
        },
    )
    assert response.status_code == 302
    page = text_of(client.get(response["Location"]))
    for heading in ("Findability", "Accessibility", "Interoperability", "Reusability"):
        assert heading in page
    assert "of 5 stars" in page
    assert "https://example.org/census.pdf" in page


def test_a_refused_dataset_form_says_why_beside_the_field_and_keeps_what_was_typed(
    lead: User, catalogue: Catalogue
) -> None:
    response = client_for(lead).post(
        PORTAL + "datasets/new/",
        {
            "title": "",
            "description": "Kept as typed",
            "access": "online",
            **distribution_forms({"format": "CSV", "byte_size": "-3"}),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    title_field = page.split('for="dataset-title"', 1)[1].split('class="field', 1)[0]
    assert "This field is required." in title_field
    assert "Kept as typed" in page
    assert "greater than or equal to 0" in page
    assert not Dataset.objects.filter(catalogue=catalogue).exists()


def test_a_stale_edit_is_refused_and_shows_what_is_stored_now(lead: User, budget: Dataset) -> None:
    stale = form_of(budget, title="Budget, as I typed it")
    Dataset.objects.filter(pk=budget.pk).update(
        title="Budget, saved meanwhile", version=budget.version + 1
    )
    client = client_for(lead)
    response = client.post(dataset_page(budget) + "edit/", stale)
    assert response.status_code == 409
    page = text_of(response)
    assert "Saved in the meantime: <strong>Budget, saved meanwhile</strong>" in page
    assert 'value="Budget, as I typed it"' in page
    assert Dataset.objects.get(pk=budget.pk).title == "Budget, saved meanwhile"
    # Having seen it, saving again is a deliberate overwrite.
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version is not None
    again = client.post(dataset_page(budget) + "edit/", {**stale, "version": version.group(1)})
    assert again.status_code == 302
    assert Dataset.objects.get(pk=budget.pk).title == "Budget, as I typed it"


def test_deleting_a_dataset_asks_first(lead: User, budget: Dataset) -> None:
    client = client_for(lead)
    asked = client.get(dataset_page(budget) + "delete/")
    assert asked.status_code == 200
    assert "Delete “State budget 2018”?" in text_of(asked)
    assert Dataset.objects.filter(pk=budget.pk).exists()
    stale = client.post(dataset_page(budget) + "delete/", {"version": str(budget.version + 5)})
    assert stale.status_code == 409
    assert Dataset.objects.filter(pk=budget.pk).exists()
    done = client.post(dataset_page(budget) + "delete/", {"version": str(budget.version)})
    assert done.status_code == 302
    assert not Dataset.objects.filter(pk=budget.pk).exists()


def test_deleting_a_catalogue_asks_first_and_says_what_goes_with_it(
    lead: User, budget: Dataset
) -> None:
    catalogue = budget.catalogue
    page = f"/assessments/{catalogue.assessment.slug}/inventory/catalogues/{catalogue.key}/"
    client = client_for(lead)
    assert "delete/" in text_of(client.get(page))
    asked = client.get(page + "delete/")
    assert asked.status_code == 200
    assert f"Delete “{catalogue.title}”?" in text_of(asked)
    assert "It goes with its dataset." in text_of(asked)
    stale = client.post(page + "delete/", {"version": str(catalogue.version + 5)})
    assert stale.status_code == 409
    assert Dataset.objects.filter(pk=budget.pk).exists()
    done = client.post(page + "delete/", {"version": str(catalogue.version)})
    assert done.status_code == 302
    assert not Catalogue.objects.filter(pk=catalogue.pk).exists()
    assert not Dataset.objects.filter(pk=budget.pk).exists()


def test_a_counterpart_cannot_delete_a_catalogue(counterpart: User, budget: Dataset) -> None:
    catalogue = budget.catalogue
    page = f"/assessments/{catalogue.assessment.slug}/inventory/catalogues/{catalogue.key}/"
    response = client_for(counterpart).post(page + "delete/", {"version": catalogue.version})
    assert response.status_code == 403
    assert Catalogue.objects.filter(pk=catalogue.pk).exists()


# --- catalogues ------------------------------------------------------------------


def test_the_lead_adds_a_catalogue_and_a_taken_key_is_refused(
    lead: User, catalogue: Catalogue
) -> None:
    client = client_for(lead)
    data = {"key": "open-portal", "title": "Open portal", "kind": "dcat", "url": ""}
    response = client.post(INVENTORY + "new-catalogue/", data)
    assert response.status_code == 302
    assert response["Location"] == INVENTORY + "catalogues/open-portal/"
    taken = client.post(INVENTORY + "new-catalogue/", {**data, "key": "test-portal"})
    assert taken.status_code == 422
    assert Catalogue.objects.filter(key="test-portal").count() == 1


def test_a_stale_catalogue_edit_is_refused(lead: User, catalogue: Catalogue) -> None:
    client = client_for(lead)
    Catalogue.objects.filter(pk=catalogue.pk).update(title="Renamed meanwhile", version=2)
    response = client.post(
        PORTAL + "edit/",
        {"title": "Mine", "kind": "ckan", "url": "", "description": "", "version": "1"},
    )
    assert response.status_code == 409
    assert "Renamed meanwhile" in text_of(response)
    assert Catalogue.objects.get(pk=catalogue.pk).title == "Renamed meanwhile"


# --- imports, harvests, link checks ----------------------------------------------


def table(*rows: dict[str, str]) -> bytes:
    lines = [",".join(TABLE_COLUMNS)]
    lines += [",".join(row.get(column, "") for column in TABLE_COLUMNS) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode()


def upload(client: Client, content: bytes, name: str) -> Any:
    return client.post(PORTAL + "import/", {"file": SimpleUploadedFile(name, content)})


def test_an_import_shows_what_it_added_changed_and_removed(
    lead: User, catalogue: Catalogue
) -> None:
    client = client_for(lead)
    first = table(
        {"identifier": "a", "title": "Roads", "format": "CSV", "access": "online"},
        {"identifier": "b", "title": "Schools", "format": "XLSX", "access": "online"},
    )
    response = upload(client, first, "inventory.csv")
    assert response.status_code == 302
    outcome = text_of(client.get(response["Location"]))
    assert "<dt>Added</dt><dd>2</dd>" in outcome
    assert set(catalogue.datasets.values_list("title", flat=True)) == {"Roads", "Schools"}

    second = table(
        {"identifier": "a", "title": "Roads and bridges", "format": "CSV", "access": "online"},
        {"identifier": "c", "title": "Clinics", "format": "JSON", "access": "online"},
    )
    response = upload(client, second, "inventory.csv")
    outcome = text_of(client.get(response["Location"]))
    assert "<dt>Added</dt><dd>1</dd>" in outcome
    assert "<dt>Changed</dt><dd>1</dd>" in outcome
    assert "<dt>Removed</dt><dd>1</dd>" in outcome


def test_a_broken_file_is_refused_naming_the_place_and_nothing_changes(
    lead: User, budget: Dataset
) -> None:
    response = upload(client_for(lead), b'{"result": {"results": [{"id": ', "portal.json")
    assert response.status_code == 422
    page = text_of(response)
    assert "Nothing was imported" in page
    assert "portal.json" in page
    assert list(budget.catalogue.datasets.values_list("title", flat=True)) == ["State budget 2018"]


def test_an_import_without_a_file_says_so(lead: User, catalogue: Catalogue) -> None:
    response = client_for(lead).post(PORTAL + "import/", {})
    assert response.status_code == 422
    assert "This field is required." in text_of(response)


def test_a_harvest_needs_an_address_and_bounds(lead: User, catalogue: Catalogue) -> None:
    response = client_for(lead).post(
        PORTAL + "harvest/", {"url": "not an address", "max_datasets": "0", "max_seconds": "60"}
    )
    assert response.status_code == 422
    page = text_of(response)
    assert "Enter a valid URL." in page
    assert "greater than or equal to 1" in page
    assert not CatalogueRun.objects.filter(catalogue=catalogue).exists()


def test_a_running_job_is_asked_for_again_and_a_finished_one_is_not(
    lead: User, catalogue: Catalogue
) -> None:
    client = client_for(lead)
    run = CatalogueRun.objects.create(
        catalogue=catalogue, kind=CatalogueRun.Kind.HARVEST, status="running", done=40, total=100
    )
    url = f"{PORTAL}runs/{run.pk}/"
    running = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in running
    assert f'<progress id="run-progress-{run.pk}" max="100" value="40">' in running
    assert "<html" not in running  # the fragment only
    CatalogueRun.objects.filter(pk=run.pk).update(status="done")
    done = client.get(url).content.decode()
    assert "hx-trigger" not in done
    assert "<html" in done


def test_a_link_check_starts_in_the_background(lead: User, budget: Dataset) -> None:
    response = client_for(lead).post(PORTAL + "link-check/")
    assert response.status_code == 302
    run = CatalogueRun.objects.get(catalogue=budget.catalogue, kind="link_check")
    assert response["Location"] == f"{PORTAL}runs/{run.pk}/"


# --- exports, the summary, citing ------------------------------------------------


def test_the_inventory_downloads_as_csv_and_an_unknown_format_is_refused(
    reviewer: User, budget: Dataset
) -> None:
    client = client_for(reviewer)
    response = client.get(INVENTORY + "export/csv/?catalogue=test-portal")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"State budget 2018" in response.content
    assert client.get(INVENTORY + "export/docx/").status_code == 422


def test_the_summary_counts_the_rows_and_states_its_rule(lead: User, catalogue: Catalogue) -> None:
    add(catalogue, "One", recommendation="quick_win")
    add(catalogue, "Two", recommendation="quick_win")
    add(catalogue, "Three", recommendation="quick_win_priority")
    add(catalogue, "Four", recommendation="priority")
    page = text_of(client_for(lead).get(INVENTORY + "summary/?catalogue=test-portal"))
    assert "Each dataset is counted once in each table" in page
    # By hand: 2 quick wins, 1 mixed, 1 priority; with the mixed one, 3 and 2.
    assert re.search(r'<th scope="row">Quick win</th><td>2</td>', page)
    assert re.search(r'<th scope="row">Quick win/Priority</th><td>1</td>', page)
    assert re.search(r'<th scope="row">Priority</th><td>1</td>', page)
    assert '<th scope="row">Quick wins, including Quick win/Priority</th><td>3</td>' in page
    assert '<th scope="row">Priority, including Quick win/Priority</th><td>2</td>' in page


def test_a_figure_is_cited_as_evidence_for_a_question(
    lead: User, demo: Assessment, budget: Dataset
) -> None:
    client = client_for(lead)
    question = Framework.objects.get(key="odra").questions.order_by("order").first()
    figure = INVENTORY + "cite/?kind=count&dimension=recommendation&value=quick_win"
    asked = client.get(figure)
    assert asked.status_code == 200
    before = Evidence.objects.filter(assessment=demo, question=question).count()
    response = client.post(
        INVENTORY + "cite/",
        {
            "kind": "count",
            "dimension": "recommendation",
            "value": "quick_win",
            "question": str(question.pk),
        },
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"#q-{question.pk}")
    assert Evidence.objects.filter(assessment=demo, question=question).count() == before + 1


def test_citing_without_a_question_is_refused(
    lead: User, demo: Assessment, budget: Dataset
) -> None:
    before = Evidence.objects.filter(assessment=demo).count()
    response = client_for(lead).post(INVENTORY + "cite/", {"kind": "count", "question": ""})
    assert response.status_code == 422
    assert "This field is required." in text_of(response)
    assert Evidence.objects.filter(assessment=demo).count() == before


def test_a_datasets_score_is_cited_from_its_page(
    lead: User, demo: Assessment, budget: Dataset
) -> None:
    client = client_for(lead)
    link = "/inventory/cite/?kind=score&amp;catalogue=test-portal&amp;dataset=budget-2018"
    assert link in client.get(dataset_page(budget)).content.decode()
    question = Framework.objects.get(key="dgra").questions.order_by("order").first()
    asked = text_of(
        client.get(INVENTORY + "cite/?kind=score&catalogue=test-portal&dataset=budget-2018")
    )
    assert "State budget 2018" in asked
    response = client.post(
        INVENTORY + "cite/",
        {
            "kind": "score",
            "catalogue": "test-portal",
            "dataset": "budget-2018",
            "question": str(question.pk),
        },
    )
    assert response.status_code == 302
    cited = Evidence.objects.filter(assessment=demo, question=question).latest("id")
    assert "State budget 2018" in cited.text
