"""Inventory figures cited as evidence stay linked to the inventory: an
import or an edit that changes the figure rewrites the evidence, with history."""

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from readiness.assessments.models import Assessment, Evidence
from readiness.catalogues import services
from readiness.catalogues.models import Catalogue, FigureCitation
from readiness.catalogues.records import DatasetRecord
from readiness.core.errors import Forbidden, InvalidInput
from readiness.core.models import ChangeRecord
from readiness.frameworks.models import Question


@pytest.fixture
def catalogue(demo: Assessment) -> Catalogue:
    catalogue = services.create_catalogue(
        actor=None, assessment=demo, key="annex", title="Annex C", kind="spreadsheet"
    )
    rows = [
        DatasetRecord("1", "Budget", recommendation="quick_win"),
        DatasetRecord("2", "Traffic", recommendation="quick_win"),
        DatasetRecord("3", "Schools", recommendation="priority"),
    ]
    services.import_records(catalogue, rows, actor=None, source="annex.csv")
    return catalogue


@pytest.fixture
def question(demo: Assessment) -> Question:
    return Question.objects.filter(framework__in=demo.frameworks.all()).earliest("id")


def cite_quick_wins(assessor: User, demo: Assessment, question: Question) -> Evidence:
    return services.cite_figure(
        actor=assessor,
        assessment=demo,
        question=question,
        kind="count",
        parameters={"catalogue": "annex", "dimension": "recommendation", "value": "quick_win"},
    )


def test_a_cited_count_is_an_evidence_item_whose_text_gives_the_figure(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    evidence = cite_quick_wins(assessor, demo, question)
    assert evidence.text == (
        "Datasets in the catalogue “Annex C” whose recommendation is “Quick win”: 2."
    )
    assert evidence.reference_title == "Annex C"
    assert evidence.figure_citation.figure == {"count": 2}


def test_a_reimport_that_changes_the_figure_rewrites_the_evidence_with_history(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    evidence = cite_quick_wins(assessor, demo, question)
    rows = [
        DatasetRecord("1", "Budget", recommendation="quick_win"),
        DatasetRecord("2", "Traffic", recommendation="quick_win"),
        DatasetRecord("3", "Schools", recommendation="quick_win"),
        DatasetRecord("4", "Health", recommendation="quick_win"),
    ]
    services.import_records(catalogue, rows, actor=assessor, source="annex-2.csv")
    evidence.refresh_from_db()
    assert evidence.text.endswith("“Quick win”: 4.")
    assert evidence.version == 2
    change = ChangeRecord.objects.filter(entity="evidence", entity_id=evidence.pk).latest("id")
    assert change.before["text"].endswith(": 2.") and change.after["text"].endswith(": 4.")


def test_an_import_that_leaves_the_figure_alone_leaves_the_evidence_alone(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    evidence = cite_quick_wins(assessor, demo, question)
    services.import_records(
        catalogue,
        [
            DatasetRecord("1", "Budget, revised", recommendation="quick_win"),
            DatasetRecord("2", "Traffic", recommendation="quick_win"),
            DatasetRecord("3", "Schools", recommendation="priority"),
        ],
        actor=assessor,
        source="annex-2.csv",
    )
    evidence.refresh_from_db()
    assert evidence.version == 1


def test_a_hand_edit_of_a_dataset_refreshes_a_list_of_titles(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    evidence = services.cite_figure(
        actor=assessor,
        assessment=demo,
        question=question,
        kind="titles",
        parameters={"catalogue": "annex", "dimension": "recommendation", "value": "priority"},
    )
    assert evidence.text.endswith("(1): Schools.")
    schools = catalogue.datasets.get(identifier="3")
    services.update_dataset(
        actor=assessor, dataset=schools, expected_version=1, changes={"title": "Schools, 2018"}
    )
    evidence.refresh_from_db()
    assert evidence.text.endswith("(1): Schools, 2018.")


def test_a_figure_cited_in_vietnamese_is_refreshed_in_vietnamese(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    with translation.override("vi"):
        evidence = cite_quick_wins(assessor, demo, question)
    english = "Datasets in the catalogue"
    assert english not in evidence.text
    services.create_dataset(
        actor=assessor, catalogue=catalogue, fields={"title": "New", "recommendation": "quick_win"}
    )
    evidence.refresh_from_db()
    assert english not in evidence.text and evidence.text.endswith(": 3.")
    assert FigureCitation.objects.get(evidence=evidence).language == "vi"


def test_a_mean_score_counts_the_datasets_it_averages(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    evidence = services.cite_figure(
        actor=assessor, assessment=demo, question=question, kind="score", parameters={}
    )
    assert evidence.text.startswith(
        "Mean metadata quality of the 3 datasets in the open data inventory"
    )
    assert evidence.text.endswith("of 405 points.")


def test_an_unknown_dimension_is_refused_naming_the_parameter(
    catalogue: Catalogue, assessor: User, demo: Assessment, question: Question
) -> None:
    with pytest.raises(InvalidInput) as raised:
        services.cite_figure(
            actor=assessor,
            assessment=demo,
            question=question,
            kind="count",
            parameters={"dimension": "colour", "value": "red"},
        )
    assert "parameters.dimension" in str(raised.value)


def test_a_reviewer_may_not_cite_a_figure(
    catalogue: Catalogue, reviewer: User, demo: Assessment, question: Question
) -> None:
    with pytest.raises(Forbidden):
        cite_quick_wins(reviewer, demo, question)
