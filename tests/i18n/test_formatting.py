"""One date, time and number style per language, the same on the pages, in
the reports and in Django's own `date` filter."""

import datetime
import zoneinfo
from decimal import Decimal

import pytest
from django.template import engines
from django.test import Client
from django.utils import translation

from readiness.core import formatting
from readiness.reports.content import cost_text

DAY = datetime.date(2026, 12, 2)
# 16:46 UTC is 23:46 in Hà Nội (the site's TIME_ZONE).
MOMENT = datetime.datetime(2026, 12, 2, 16, 46, tzinfo=zoneinfo.ZoneInfo("UTC"))


@pytest.mark.parametrize(
    "language, long, short, moment, month, head",
    [
        ("en", "December 2, 2026", "Dec 2, 2026", "Dec 2, 2026, 23:46", "April 2019", "Apr 2019"),
        (
            "vi",
            "ngày 2 tháng 12 năm 2026",
            "02/12/2026",
            "02/12/2026 23:46",
            "tháng 4 năm 2019",
            "thg 4 2019",
        ),
    ],
)
def test_dates_have_one_style_per_language(
    language: str, long: str, short: str, moment: str, month: str, head: str
) -> None:
    with translation.override(language):
        assert formatting.long_date(DAY) == long
        assert formatting.short_date(DAY) == short
        assert formatting.date_time(MOMENT) == moment
        assert formatting.month_year(datetime.date(2019, 4, 1)) == month
        assert formatting.short_month(datetime.date(2019, 4, 1)) == head


@pytest.mark.parametrize(
    "language, grouped, decimals, cost",
    [
        ("en", "1,234,567", "0.46", "20,000–30,000 USD"),
        ("vi", "1.234.567", "0,46", "20.000–30.000 USD"),
    ],
)
def test_numbers_group_thousands_in_the_languages_style(
    language: str, grouped: str, decimals: str, cost: str
) -> None:
    with translation.override(language):
        assert formatting.number(1234567) == grouped
        assert formatting.number(0.4567, 2) == decimals
        assert formatting.cost_range(20000, 30000, "USD") == cost


def test_one_amount_when_both_ends_of_a_cost_agree() -> None:
    with translation.override("vi"):
        assert formatting.cost_range(5000, 5000, "USD") == "5.000 USD"


def test_empty_values_give_empty_text() -> None:
    assert formatting.long_date(None) == ""
    assert formatting.date_time(None) == ""
    assert formatting.number(None) == ""
    assert formatting.cost_range(None, None, "USD") == ""


@pytest.mark.parametrize(
    "language, expected",
    [
        ("en", "December 2, 2026|Dec 2, 2026|Dec 2, 2026, 23:46|December 2026"),
        ("vi", "ngày 2 tháng 12 năm 2026|02/12/2026|02/12/2026 23:46|tháng 12 năm 2026"),
    ],
)
def test_djangos_date_filter_writes_the_same_style(language: str, expected: str) -> None:
    template = engines["django"].from_string(
        '{{ d|date:"DATE_FORMAT" }}|{{ d|date:"SHORT_DATE_FORMAT" }}|'
        '{{ m|date:"DATETIME_FORMAT" }}|{{ d|date:"YEAR_MONTH_FORMAT" }}'
    )
    with translation.override(language):
        assert template.render({"d": DAY, "m": MOMENT}) == expected


@pytest.mark.parametrize(
    "language, expected", [("en", "20,000–30,000 USD"), ("vi", "20.000–30.000 USD")]
)
def test_the_reports_write_costs_as_the_pages_do(language: str, expected: str) -> None:
    action = {"cost": {"min": "20000", "max": "30000", "currency": "USD"}}
    with translation.override(language):
        assert cost_text(action) == expected


@pytest.mark.django_db
def test_the_plan_page_groups_costs_and_names_the_first_month_in_vietnamese(lead) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(lead)
    client.cookies["django_language"] = "vi"
    page = client.get("/assessments/vietnam-2019/plan/").content.decode()
    assert "20.000–30.000 USD" in page
    assert "20000–30000" not in page
    assert "tháng 4 năm 2019" in page


@pytest.mark.django_db
def test_the_overview_writes_the_period_as_a_vietnamese_sentence(lead) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(lead)
    client.cookies["django_language"] = "vi"
    page = client.get("/assessments/vietnam-2019/").content.decode()
    assert "ngày 24 tháng 7 năm 2017 – ngày 31 tháng 1 năm 2019" in page


@pytest.mark.django_db
def test_the_plan_grid_heads_years_in_the_users_language(lead) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(lead)
    client.cookies["django_language"] = "vi"
    page = client.get("/assessments/vietnam-2019/plan/grid/").content.decode()
    assert ">N1</th>" in page and ">Y1</th>" not in page


def test_decimal_amounts_keep_their_decimals() -> None:
    with translation.override("vi"):
        assert formatting.number(Decimal("1234.5")) == "1.234,5"
