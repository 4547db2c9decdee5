"""The XLSForm export: pyxform (the converter behind KoboToolbox and ODK
Central) turns it into an XForm without errors or warnings, and the form
holds the framework's groups, scale and fields in English and Vietnamese."""

import io

import pytest
from openpyxl import load_workbook
from pyxform.xls2xform import convert

from readiness.fieldwork.xlsform import build_xlsform, xlsform_filename
from readiness.frameworks.models import Framework


def converted(data: bytes) -> tuple[str, list[str]]:
    warnings: list[str] = []
    result = convert(data, warnings=warnings, file_type=".xlsx")
    return result.xform, warnings


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple(row) for row in workbook[sheet].iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key, version", [("dgra", "2018"), ("odra", "3.1"), ("oecd-dgpf", "2020"), ("od4b", "2.8")]
)
def test_every_built_in_framework_converts_without_errors_or_warnings(key, version):
    framework = Framework.objects.get(key=key, version=version)
    xform, warnings = converted(build_xlsform(framework))
    assert warnings == []
    assert "<h:title>" in xform


@pytest.mark.django_db
def test_the_dgra_form_has_one_group_per_dimension_and_a_rating_per_question():
    framework = Framework.objects.get(key="dgra", version="2018")
    rows = sheet_rows(build_xlsform(framework), "survey")
    header = rows[0]
    assert header[:6] == (
        "type",
        "name",
        "label::English (en)",
        "label::Vietnamese (vi)",
        "hint::English (en)",
        "hint::Vietnamese (vi)",
    )
    types = [row[0] for row in rows[1:]]
    # The DGRA has 7 dimensions and 66 questions (the 2019 report, annex 1).
    assert types.count("begin group") == 7
    assert types.count("end group") == 7
    assert types.count("select_one scale") == 66
    assert types.count("image") == 66
    assert types.count("file") == 66
    # Rationale and evidence notes per question, and the organisation met.
    assert types.count("text") == 2 * 66 + 1


@pytest.mark.django_db
def test_labels_are_in_english_and_vietnamese():
    framework = Framework.objects.get(key="dgra", version="2018")
    rows = sheet_rows(build_xlsform(framework), "survey")
    rationale = next(row for row in rows if row[1] == "r_1.1")
    assert rationale[2] == "1.1 Rationale for the rating"
    assert rationale[3] == "1.1 Lý do xếp mức"
    choices = sheet_rows(build_xlsform(framework), "choices")
    assert choices[1] == ("scale", "green", "Green", "Xanh lá")
    assert [row[1] for row in choices[1:]] == [
        "green",
        "yellow_green",
        "yellow",
        "yellow_red",
        "red",
        "grey",
    ]


@pytest.mark.django_db
def test_settings_follow_the_framework_key_and_version():
    framework = Framework.objects.get(key="odra", version="3.1")
    settings = sheet_rows(build_xlsform(framework), "settings")
    assert settings[0] == ("form_title", "form_id", "version", "default_language")
    assert settings[1][1:] == ("odra", "3.1", "English (en)")
    xform, _warnings = converted(build_xlsform(framework))
    assert 'id="odra"' in xform
    assert 'version="3.1"' in xform
    assert xlsform_filename(framework) == "odra-3.1.xlsx"
