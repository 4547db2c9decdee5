"""Submissions exported from KoboToolbox and ODK Central, imported into the
demo assessment: evidence items from the notes, proposed ratings an assessor
accepts or dismisses, never replacing a rating unknowingly."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readiness.assessments.models import Assessment, Evidence, QuestionRating
from readiness.core.errors import EditConflict, Forbidden, InvalidInput
from readiness.core.history import ChangeRecord
from readiness.fieldwork.models import ProposedRating, Submission, SurveyCitation
from readiness.fieldwork.services.submissions import (
    accept_proposal,
    dismiss_proposal,
    import_submissions,
)
from tests.fieldwork.exports import (
    EXPORTS,
    as_csv,
    as_xlsx,
    flat,
    kobo_csv,
    odk_csv,
    odk_json,
    unrated,
)


@pytest.fixture(autouse=True)
def three_unrated(demo: Assessment) -> None:
    QuestionRating.objects.filter(assessment=demo, question__in=unrated(demo, 3)).delete()


def rated_question(demo: Assessment) -> QuestionRating:
    rating = QuestionRating.objects.filter(assessment=demo, question__framework__key="dgra")
    ordered = rating.select_related("question__dimension", "level").order_by("question__order")
    return ordered[5]


@pytest.mark.parametrize("name", EXPORTS)
def test_three_submissions_give_three_evidence_items_and_two_proposals(demo, assessor, name):
    evidence_before = Evidence.objects.filter(assessment=demo).count()
    outcome = import_submissions(
        actor=assessor, assessment=demo, data=EXPORTS[name](demo), source=name
    )
    assert (outcome.read, outcome.added, outcome.skipped) == (3, 3, 0)
    assert (outcome.evidence_added, outcome.proposals_added) == (3, 2)
    assert outcome.submission_import.tool == name.split(".")[0]
    assert Evidence.objects.filter(assessment=demo).count() == evidence_before + 3
    q1, _q2, q3 = unrated(demo, 3)
    proposals = ProposedRating.objects.filter(assessment=demo).order_by("id")
    assert [(p.question, p.level.code) for p in proposals] == [(q1, "green"), (q3, "red")]
    assert proposals[0].rationale == "A strategy is adopted."
    cited = SurveyCitation.objects.get(evidence__in=proposals[0].evidence.all())
    assert cited.evidence.text == "MIC said so."
    assert cited.evidence.source_kind == Evidence.SourceKind.SURVEY
    assert cited.evidence.date.isoformat() == "2018-01-11"
    assert "00000001-aaaa-bbbb-cccc-dddddddddddd" in cited.evidence.reference_title
    assert "dgra 2018" in cited.evidence.reference_title
    assert cited.submission.organisation == "MIC"
    # The evidence is in history like any other; no rating was written.
    assert ChangeRecord.objects.filter(entity="evidence", actor=assessor).count() == 3
    assert not QuestionRating.objects.filter(question__in=[q1, q3], assessment=demo).exists()


def test_importing_the_same_export_again_adds_nothing(demo, lead):
    data = kobo_csv(demo)
    import_submissions(actor=lead, assessment=demo, data=data, source="kobo.csv")
    evidence = Evidence.objects.count()
    again = import_submissions(actor=lead, assessment=demo, data=data, source="kobo.csv")
    assert (again.read, again.added, again.skipped, again.evidence_added) == (3, 0, 3, 0)
    assert Evidence.objects.count() == evidence
    assert Submission.objects.filter(assessment=demo).count() == 3


def test_an_unknown_rating_code_names_the_line_and_the_field_and_nothing_is_added(demo, lead):
    rows = flat(demo, "/", "_uuid")
    rating_column = next(name for name in rows[2] if "/q_" in name)
    rows[2][rating_column] = "purple"
    evidence = Evidence.objects.count()
    with pytest.raises(InvalidInput) as refused:
        import_submissions(actor=lead, assessment=demo, data=as_csv(rows, ";"), source="k.csv")
    # Header on line 1: the third submission is on line 4.
    assert f"k.csv: line 4, {rating_column}: 'purple' is not one of" in str(refused.value)
    assert Evidence.objects.count() == evidence
    assert not Submission.objects.exists()


def test_a_workbook_names_the_row_of_the_bad_submission(demo, lead):
    rows = flat(demo, "/", "_uuid")
    rows[2]["framework"] = "oecd-dgpf 2020"
    with pytest.raises(InvalidInput) as refused:
        import_submissions(actor=lead, assessment=demo, data=as_xlsx(rows), source="k.xlsx")
    assert "k.xlsx: row 4, framework: 'oecd-dgpf 2020' is not a framework" in str(refused.value)


def test_a_bad_date_is_refused_with_its_field(demo, lead):
    rows = flat(demo, "/", "_uuid")
    rows[0]["today"] = "yesterday"
    with pytest.raises(InvalidInput) as refused:
        import_submissions(actor=lead, assessment=demo, data=as_csv(rows, ";"), source="k.csv")
    assert "line 2, today: not a date" in str(refused.value)


def imported(demo, actor) -> list[ProposedRating]:
    import_submissions(actor=actor, assessment=demo, data=odk_csv(demo), source="odk.csv")
    return list(ProposedRating.objects.filter(assessment=demo).order_by("id"))


def test_accepting_a_proposal_rates_an_unrated_question_with_its_evidence(demo, assessor):
    proposal = imported(demo, assessor)[0]
    accept_proposal(actor=assessor, assessment=demo, proposal_id=proposal.pk, expected_version=1)
    rating = QuestionRating.objects.get(assessment=demo, question=proposal.question)
    assert rating.level.code == "green"
    assert rating.rationale == "A strategy is adopted."
    assert [e.text for e in rating.cited_evidence.all()] == ["MIC said so."]
    proposal.refresh_from_db()
    assert (proposal.status, proposal.version, proposal.decided_by) == ("accepted", 2, assessor)


def test_a_proposal_never_replaces_a_rating_unless_its_version_is_accepted(demo, assessor):
    rating = rated_question(demo)
    question = rating.question
    rows = [
        {
            "_uuid": "one",
            "framework": "dgra 2018",
            f"d_{question.dimension.key}/q_{question.key}": "red"
            if rating.level.code != "red"
            else "green",
        }
    ]
    import_submissions(actor=assessor, assessment=demo, data=as_csv(rows, ";"), source="k.csv")
    proposal = ProposedRating.objects.get(assessment=demo)
    with pytest.raises(InvalidInput) as refused:
        accept_proposal(
            actor=assessor, assessment=demo, proposal_id=proposal.pk, expected_version=1
        )
    assert f"rated {rating.level.code} already" in str(refused.value)
    assert QuestionRating.objects.get(pk=rating.pk).level == rating.level
    with pytest.raises(EditConflict):
        accept_proposal(
            actor=assessor,
            assessment=demo,
            proposal_id=proposal.pk,
            expected_version=1,
            replace_rating_version=rating.version + 5,
        )
    assert QuestionRating.objects.get(pk=rating.pk).level == rating.level
    accept_proposal(
        actor=assessor,
        assessment=demo,
        proposal_id=proposal.pk,
        expected_version=1,
        replace_rating_version=rating.version,
    )
    assert QuestionRating.objects.get(pk=rating.pk).level == proposal.level


def test_a_dismissed_proposal_cannot_be_accepted_and_a_stale_version_conflicts(demo, lead):
    first, _second = imported(demo, lead)
    dismiss_proposal(actor=lead, assessment=demo, proposal_id=first.pk, expected_version=1)
    with pytest.raises(EditConflict):
        accept_proposal(actor=lead, assessment=demo, proposal_id=first.pk, expected_version=1)
    with pytest.raises(InvalidInput):
        accept_proposal(actor=lead, assessment=demo, proposal_id=first.pk, expected_version=2)
    assert not QuestionRating.objects.filter(assessment=demo, question=first.question).exists()
    assert ChangeRecord.objects.filter(entity="proposed_rating", entity_id=first.pk).count() == 1


@pytest.mark.parametrize("persona, refusal", [("reviewer", Forbidden), ("counterpart", Forbidden)])
def test_only_those_who_rate_may_import(demo, request, persona, refusal):
    user = request.getfixturevalue(persona)
    with pytest.raises(refusal):
        import_submissions(actor=user, assessment=demo, data=kobo_csv(demo), source="k.csv")
    assert not Submission.objects.exists()


def test_a_counterpart_cannot_accept_a_proposal(demo, lead, counterpart):
    proposal = imported(demo, lead)[0]
    with pytest.raises(Forbidden):
        accept_proposal(
            actor=counterpart, assessment=demo, proposal_id=proposal.pk, expected_version=1
        )


def test_the_cli_imports_and_prints_the_counts(demo, tmp_path: Path):
    path = tmp_path / "odk.json"
    path.write_bytes(odk_json(demo))
    out = io.StringIO()
    call_command("fieldwork", "import", "vietnam-2019", str(path), stdout=out)
    assert "3 submissions read: 3 added, 0 imported before; 3 evidence items, 2 ratings" in (
        out.getvalue()
    )
    call_command("fieldwork", "import", "vietnam-2019", str(path), stdout=out)
    assert "3 submissions read: 0 added, 3 imported before" in out.getvalue()


def test_the_cli_refuses_an_outsider_and_a_bad_file(demo, outsider, tmp_path: Path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"name\nx\n")
    with pytest.raises(CommandError, match="no column with the submissions' instance ids"):
        call_command("fieldwork", "import", "vietnam-2019", str(path))
    with pytest.raises(CommandError, match="no assessment named"):
        call_command("fieldwork", "import", "vietnam-2019", str(path), "--as", "outsider")
