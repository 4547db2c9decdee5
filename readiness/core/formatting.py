"""One date, time and number style per language, for the web pages, the
reports and the exports alike (Babel, with the patterns fixed here).

Functions (each takes the value; the language is the active one):
- long_date(day)        "December 2, 2026" / "ngày 2 tháng 12 năm 2026"
- short_date(day)       "Dec 2, 2026"      / "02/12/2026"
- date_time(moment)     "Dec 2, 2026, 23:46" / "02/12/2026 23:46" (local time; time after the date)
- month_year(day)       "April 2019"       / "tháng 4 năm 2019"
- short_month(day)      "Apr 2019"         / "thg 4 2019" (month heads of the plan grid)
- number(value, places) "20,000" / "20.000"; places=None keeps the value's own decimals
- percent(value)        "40%" (a number out of 100, no decimals)
- cost_range(low, high, currency)  "20,000–30,000 USD" / "20.000–30.000 USD"

Template filters of the same names (`readiness.core.templatetags.formatting`,
a builtin): `{{ day|long_date }}`, `{{ moment|date_time }}`, `{{ x|number:2 }}`,
and the tag `{% cost_range low high currency %}`. Empty values (None, "")
give "" so that `|default:"–"` still applies. Django's own `|date` uses the
same patterns (readiness/formats/<language>/formats.py).
"""

import datetime
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal
from django.utils import timezone
from django.utils.translation import get_language

DEFAULT_LANGUAGE = "en"

# Babel (CLDR) patterns. Vietnamese writes the words in lower case because a
# date sits mid-sentence; Babel's own "long" Vietnamese omits "năm". The month
# heads are CLDR's abbreviated month with its year (skeleton yMMM, "MMM y" in
# both languages): narrow enough for a column, and the year tells the calendar
# year that the plan's own years (Y1 …) do not.
PATTERNS = {
    "en": {
        "long": "MMMM d, y",
        "short": "MMM d, y",
        "month": "MMMM y",
        "short_month": "MMM y",
        "date_time": "{date}, {time}",
    },
    "vi": {
        "long": "'ngày' d 'tháng' M 'năm' y",
        "short": "dd/MM/y",
        "month": "'tháng' M 'năm' y",
        "short_month": "MMM y",
        "date_time": "{date} {time}",
    },
}

Number = int | float | Decimal


def language() -> str:
    code = (get_language() or DEFAULT_LANGUAGE).split("-")[0]
    return code if code in PATTERNS else DEFAULT_LANGUAGE


def _date(day: datetime.date | None, kind: str) -> str:
    if day is None or day == "":
        return ""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day).date() if timezone.is_aware(day) else day.date()
    return format_date(day, PATTERNS[language()][kind], locale=language())


def long_date(day: datetime.date | None) -> str:
    return _date(day, "long")


def short_date(day: datetime.date | None) -> str:
    return _date(day, "short")


def month_year(day: datetime.date | None) -> str:
    return _date(day, "month")


def short_month(day: datetime.date | None) -> str:
    return _date(day, "short_month")


def date_time(moment: datetime.datetime | None) -> str:
    if moment is None or moment == "":
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return PATTERNS[language()]["date_time"].format(
        date=short_date(moment.date()), time=moment.strftime("%H:%M")
    )


def number(value: Number | str | None, places: int | None = None) -> str:
    """Grouped thousands in the language's style; `places` fixes the decimals."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if places is None:
        return format_decimal(amount, locale=language())
    pattern = "#,##0" + ("." + "0" * places if places > 0 else "")
    return format_decimal(amount, format=pattern, locale=language(), decimal_quantization=True)


def percent(value: Number | None) -> str:
    if value is None or value == "":
        return ""
    return number(value, 0) + "%"


def cost_range(low: Number | None, high: Number | None, currency: str = "") -> str:
    """A cost estimate: one amount when both ends agree, else "low–high"."""
    if low is None:
        return ""
    amount = number(low) if high is None or low == high else f"{number(low)}–{number(high)}"
    return f"{amount} {currency}".strip()
