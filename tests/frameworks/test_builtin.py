from collections import Counter

import pytest

from readiness.frameworks.models import Framework, Question
from readiness.frameworks.services import builtin_framework_files, validate_framework_file

pytestmark = pytest.mark.django_db


def question_counts(framework: Framework) -> list[int]:
    counts = Counter(framework.questions.values_list("dimension__key", flat=True))
    return [counts[d.key] for d in framework.dimensions.all()]


def test_dgra_2018_has_seven_dimensions_and_66_questions() -> None:
    dgra = Framework.objects.get(key="dgra", version="2018")
    assert question_counts(dgra) == [17, 9, 5, 10, 9, 10, 6]
    assert not dgra.has_importance
    assert [lvl.code for lvl in dgra.levels.all()] == [
        "green",
        "yellow_green",
        "yellow",
        "yellow_red",
        "red",
        "grey",
    ]
    assert dgra.levels.get(code="grey").score is None


def test_odra_31_has_eight_dimensions_and_43_questions_each_with_importance() -> None:
    odra = Framework.objects.get(key="odra", version="3.1")
    assert question_counts(odra) == [5, 6, 8, 7, 4, 5, 4, 4]
    assert odra.has_importance
    assert [i.code for i in odra.importance_levels.all()] == [
        "very_high",
        "high",
        "medium_high",
        "medium",
    ]
    assert not odra.questions.filter(importance__isnull=True).exists()
    leadership = odra.questions.get(key="1.1")
    assert leadership.short_title["en"] == "Political Leadership"
    assert leadership.importance.code == "very_high"


def test_od4b_has_its_four_areas_and_oecd_its_six_dimensions() -> None:
    od4b = Framework.objects.get(key="od4b")
    assert [d.title["en"] for d in od4b.dimensions.all()] == [
        "High Value Data",
        "Barriers",
        "Capabilities",
        "Engagement",
    ]
    oecd = Framework.objects.get(key="oecd-dgpf")
    assert oecd.dimensions.count() == 6


def test_every_framework_text_is_in_english_and_vietnamese() -> None:
    for question in Question.objects.all():
        assert question.text["en"].strip() and question.text["vi"].strip(), question
        assert question.text["en"] != question.text["vi"], question
    for framework in Framework.objects.all():
        for dimension in framework.dimensions.all():
            assert dimension.title["vi"].strip() and dimension.title["vi"] != dimension.title["en"]


def test_vietnamese_texts_carry_diacritics() -> None:
    vietnamese = " ".join(q.text["vi"] for q in Question.objects.all())
    assert any(ch in vietnamese for ch in "ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def test_builtin_files_validate_on_their_own() -> None:
    keys = {validate_framework_file(path).key for path in builtin_framework_files()}
    assert keys == {"dgra", "odra", "od4b", "oecd-dgpf"}
