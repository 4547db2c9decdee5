"""The Jurisdiction register, loaded from ISO 3166 as pycountry ships it:
English names from its data, Vietnamese names from its gettext catalogues."""

import gettext
from functools import cache
from typing import Any

import pycountry
from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

from readiness.registry.models import Jurisdiction
from readiness.registry.search import search_text

LANGUAGES = ("en", "vi")
UPDATED_FIELDS = ("level", "name", "subdivision_type", "parent", "search_text", "valid_until")


@cache
def catalogue(domain: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def names(domain: str, english: str) -> dict[str, str]:
    return {language: catalogue(domain, language).gettext(english) for language in LANGUAGES}


def iso_entries() -> list[list[dict[str, Any]]]:
    """Every country and subdivision, by depth: countries, then what is part
    of a country, then what is part of those, and so on."""
    countries = [
        {
            "code": country.alpha_2,
            "level": Jurisdiction.Level.COUNTRY,
            "name": names("iso3166-1", country.name),
            "subdivision_type": "",
            "parent": None,
        }
        for country in pycountry.countries
    ]
    subdivisions = {
        s.code: {
            "code": s.code,
            "level": Jurisdiction.Level.SUBDIVISION,
            "name": names("iso3166-2", s.name),
            "subdivision_type": s.type,
            "parent": s.parent_code or s.country_code,
        }
        for s in pycountry.subdivisions
    }

    def depth(entry: dict[str, Any]) -> int:
        parent = subdivisions.get(entry["parent"])
        return 1 if parent is None else 1 + depth(parent)

    levels: list[list[dict[str, Any]]] = [countries]
    for entry in sorted(subdivisions.values(), key=lambda e: e["code"]):
        at = depth(entry)
        while len(levels) <= at:
            levels.append([])
        levels[at].append(entry)
    return levels


@transaction.atomic
def sync_jurisdictions() -> int:
    """Add what ISO lists and the register lacks, bring names up to date, and
    mark codes ISO no longer lists as valid until today (rows that assessments
    and organisations name are never deleted). Returns how many rows changed.
    A level at a time, so that new rows are created with their parent."""
    existing = {j.code: j for j in Jurisdiction.objects.all()}
    codes = set()
    touched = 0
    for level in iso_entries():
        new, changed = [], []
        for entry in level:
            codes.add(entry["code"])
            parent = existing[entry["parent"]] if entry["parent"] else None
            wanted = {
                "level": entry["level"],
                "name": entry["name"],
                "subdivision_type": entry["subdivision_type"],
                "parent_id": parent.pk if parent else None,
                "search_text": search_text(entry["code"], *entry["name"].values()),
                "valid_until": None,
            }
            row = existing.get(entry["code"])
            if row is None:
                row = Jurisdiction(code=entry["code"], **wanted)
                existing[row.code] = row
                new.append(row)
            elif any(getattr(row, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(row, field, value)
                changed.append(row)
        Jurisdiction.objects.bulk_create(new, batch_size=500)
        Jurisdiction.objects.bulk_update(changed, list(UPDATED_FIELDS), batch_size=500)
        touched += len(new) + len(changed)
    withdrawn = [
        row.pk for code, row in existing.items() if code not in codes and row.valid_until is None
    ]
    Jurisdiction.objects.filter(pk__in=withdrawn).update(valid_until=timezone.localdate())
    return touched + len(withdrawn)


def sync_after_migrate(sender: AppConfig, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Skipped while the register's table does not exist (migrating back)."""
    if Jurisdiction._meta.db_table in connections[using].introspection.table_names():
        sync_jurisdictions()
