"""The registers' rules, for every door (web, API, CLI, plan imports).

A country's organisations register is shared by every assessment of that
country, so it has owners: the system, site administrators and users with
the `registry.add_organisation` permission (directly or by a group). Owners
add, edit and delete entries; an entry that actions or other entries name
cannot be deleted. Every change is kept in RegisterChange; edits carry the
version they are based on (409 when it is stale). Jurisdictions come from
ISO 3166 (jurisdictions.py) and are only read here."""

import csv
import io
import re
from dataclasses import dataclass
from typing import IO, Annotated, Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from readiness.core.errors import FieldError, Forbidden, InvalidInput, NotFound, WrongState
from readiness.core.history import Actor, acting_user, check_version
from readiness.core.spreadsheets import MAX_ERRORS, csv_place, csv_safe, read_csv
from readiness.core.text import NameText, forbidden_path, is_storable
from readiness.frameworks.services import errors_from_pydantic
from readiness.registry.models import Jurisdiction, Organisation, RegisterChange
from readiness.registry.search import matching, search_text

REGISTER_PERMISSION = "registry.add_organisation"
# An acronym is the entry's key: typed in plan files, addresses and commands.
ACRONYM = 30
ACRONYM_PATTERN = rf"^[A-Za-z0-9][A-Za-z0-9&_-]{{0,{ACRONYM - 1}}}$"
MAX_ALIASES = 20
# The demo register is 3 KB for 30 entries; a national register of a few
# thousand ministries, agencies, provinces and firms is well under 1 MiB.
MAX_CSV_BYTES = 2 * 1024 * 1024
MAX_CSV_ROWS = 5_000
CSV_COLUMNS = (
    "abbreviation",
    "abbreviation_vi",
    "name_en",
    "name_vi",
    "kind",
    "jurisdiction",
    "parent",
    "aliases",
    "version",
)
ALIAS_SEPARATOR = ";"

Acronym = Annotated[str, StringConstraints(strip_whitespace=True, pattern=ACRONYM_PATTERN)]
OptionalAcronym = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=rf"^$|{ACRONYM_PATTERN}")
]
# Vietnamese acronyms keep their letters (BGDĐT); they are shown and searched, never keys.
VietnameseAcronym = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=rf"^$|^[^\W_][\w&-]{{0,{ACRONYM - 1}}}$"),
]


def stripped_and_given(value: str) -> str:
    text = value.strip()
    if not text:
        raise PydanticCustomError("empty", _("must not be empty"))
    return text


RequiredName = Annotated[
    NameText, StringConstraints(min_length=1), AfterValidator(stripped_and_given)
]
Alias = RequiredName


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Names(Strict):
    en: RequiredName
    vi: RequiredName


class OrganisationIn(Strict):
    """An entry as the doors send it. `jurisdiction` is an ISO 3166 code of
    the register's country or one of its subdivisions (the country when
    empty); `parent` the acronym of another entry of the same register."""

    abbreviation: Acronym
    abbreviation_vi: VietnameseAcronym = ""
    name: Names
    kind: Organisation.Kind
    jurisdiction: str = Field("", max_length=10)
    parent: OptionalAcronym = ""
    aliases: list[Alias] = Field([], max_length=MAX_ALIASES)


# --- who may change the register ------------------------------------------------


def may_own_register(actor: Actor) -> bool:
    return actor is None or (actor.is_authenticated and actor.has_perm(REGISTER_PERMISSION))


def require_owner(actor: Actor) -> None:
    if not may_own_register(actor):
        raise Forbidden(_("Only the owners of the organisations register may change it."))


# --- reading ----------------------------------------------------------------------


def country_jurisdiction(country: str, source: str = "") -> Jurisdiction:
    """The register's country: an ISO 3166-1 alpha-2 code in the register."""
    code = country.strip().upper()
    if not re.fullmatch(r"[A-Z]{2}", code):
        raise InvalidInput.single("country", _("an ISO 3166-1 alpha-2 code, such as VN"), source)
    found = Jurisdiction.objects.filter(code=code, level=Jurisdiction.Level.COUNTRY).first()
    if found is None:
        raise NotFound(_("no country %s in ISO 3166") % code)
    return found


def jurisdiction_named(code: str) -> Jurisdiction | None:
    text = code.strip().upper()
    return Jurisdiction.objects.filter(code=text).first() if is_storable(text) else None


def get_jurisdiction(code: str) -> Jurisdiction:
    found = jurisdiction_named(code)
    if found is None:
        raise NotFound(_("no jurisdiction %s in ISO 3166") % code)
    return found


def subject_errors(level: str, code: str) -> list[FieldError]:
    """The one rule for an assessment's subject code: a country (ISO 3166-1
    alpha-2) or a subdivision (ISO 3166-2) of the Jurisdiction register."""
    found = jurisdiction_named(code)
    if level == Jurisdiction.Level.SUBDIVISION:
        if found is None or found.level != level:
            return [
                FieldError("subject_code", _("%s is not an ISO 3166-2 subdivision code") % code)
            ]
    elif found is None or found.level != Jurisdiction.Level.COUNTRY:
        return [
            FieldError("subject_code", _("%s is not an ISO 3166-1 alpha-2 country code") % code)
        ]
    return []


def search_jurisdictions(
    query: str = "", level: str = "", country: str = ""
) -> QuerySet[Jurisdiction]:
    """Countries and subdivisions whose code or name (in either language,
    with or without diacritics) holds every word of the query."""
    rows = Jurisdiction.objects.all()
    if level:
        rows = rows.filter(level=level)
    if country:
        rows = rows.filter(Q(code=country.upper()) | Q(code__startswith=f"{country.upper()}-"))
    return matching(rows, query)


def search_organisations(
    country: str = "", query: str = "", kind: str = ""
) -> QuerySet[Organisation]:
    """Entries whose acronyms, names or aliases (either language, with or
    without diacritics) hold every word of the query."""
    rows = Organisation.objects.select_related("jurisdiction", "parent")
    if country:
        rows = rows.filter(country_code=country.upper())
    if kind:
        rows = rows.filter(kind=kind)
    return matching(rows, query)


def get_organisation(country: str, abbreviation: str) -> Organisation:
    text = abbreviation.strip()
    found = (
        Organisation.objects.select_related("jurisdiction", "parent")
        .filter(country_code=country.strip().upper(), abbreviation=text)
        .first()
        if is_storable(text) and is_storable(country)
        else None
    )
    if found is None:
        raise NotFound(_("no organisation %s in the register") % abbreviation)
    return found


def snapshot(organisation: Organisation) -> dict[str, Any]:
    return {
        "country": organisation.country_code,
        "abbreviation": organisation.abbreviation,
        "abbreviation_vi": organisation.abbreviation_vi,
        "name": organisation.name,
        "kind": organisation.kind,
        "jurisdiction": organisation.jurisdiction.code,
        "parent": organisation.parent.abbreviation if organisation.parent else "",
        "aliases": organisation.aliases,
        "version": organisation.version,
    }


def uses(organisation: Organisation) -> dict[str, int]:
    """What names the entry: actions (as owner or supporting) and entries
    that are part of it."""
    counts = Organisation.objects.filter(pk=organisation.pk).aggregate(
        responsible=Count("responsible_for", distinct=True),
        supporting=Count("supporting", distinct=True),
        units=Count("units", distinct=True),
    )
    return {name: count for name, count in counts.items() if count}


# --- writing ----------------------------------------------------------------------


def record(organisation_id: int, actor: Actor, before: Any, after: Any) -> None:
    RegisterChange.objects.create(
        entity="organisation",
        entity_id=organisation_id,
        action=RegisterChange.Action.CREATE
        if before is None
        else RegisterChange.Action.DELETE
        if after is None
        else RegisterChange.Action.UPDATE,
        before=before,
        after=after,
        actor=acting_user(actor),
    )


@dataclass
class Checked:
    entry: OrganisationIn
    jurisdiction: Jurisdiction
    parent: Organisation | None


def parsed(data: Any, prefix: str = "") -> OrganisationIn | list[FieldError]:
    """The entry, or the errors naming its fields (under `prefix`)."""
    found = forbidden_path(data)
    if found is not None:
        return [FieldError(prefix + found[0], found[1])]
    try:
        return OrganisationIn.model_validate(data)
    except ValidationError as error:
        return [
            FieldError(prefix + e.path if e.path else prefix.rstrip("."), e.message)
            for e in errors_from_pydantic(error)
        ]


def reference_errors(
    entry: OrganisationIn,
    country: Jurisdiction,
    parents: dict[str, Organisation],
    prefix: str = "",
    itself: Organisation | None = None,
) -> tuple[Checked | None, list[FieldError]]:
    """The jurisdiction and parent the entry names, checked against the
    register of `country`; `parents` are the entries it may name."""
    errors = []
    code = (entry.jurisdiction or country.code).upper()
    jurisdiction = jurisdiction_named(code)
    if jurisdiction is None or jurisdiction.country_code != country.code:
        errors.append(
            FieldError(
                prefix + "jurisdiction",
                _("%(code)s is not %(country)s or one of its subdivisions (ISO 3166)")
                % {"code": code, "country": country.code},
            )
        )
    parent = parents.get(entry.parent) if entry.parent else None
    if entry.parent and parent is None:
        errors.append(
            FieldError(
                prefix + "parent", _("%s is not in the organisations register") % entry.parent
            )
        )
    elif parent is not None and itself is not None and is_part_of(parent, itself):
        errors.append(FieldError(prefix + "parent", _("an organisation cannot be part of itself")))
    if errors or jurisdiction is None:
        return None, errors
    return Checked(entry, jurisdiction, parent), []


def is_part_of(candidate: Organisation, organisation: Organisation) -> bool:
    """Whether `candidate` is `organisation` or one of its units, at any depth."""
    seen = set()
    current: Organisation | None = candidate
    while current is not None and current.pk not in seen:
        if current.pk == organisation.pk:
            return True
        seen.add(current.pk)
        current = current.parent
    return False


def apply(organisation: Organisation, checked: Checked) -> None:
    entry = checked.entry
    organisation.abbreviation = entry.abbreviation
    organisation.abbreviation_vi = entry.abbreviation_vi
    organisation.name = entry.name.model_dump()
    organisation.kind = entry.kind
    organisation.jurisdiction = checked.jurisdiction
    organisation.parent = checked.parent
    organisation.aliases = list(entry.aliases)
    organisation.search_text = search_text(
        entry.abbreviation, entry.abbreviation_vi, entry.name.en, entry.name.vi, *entry.aliases
    )


def register_of(country: Jurisdiction) -> dict[str, Organisation]:
    return {
        o.abbreviation: o
        for o in Organisation.objects.select_related("parent").filter(country_code=country.code)
    }


@transaction.atomic
def create_organisation(actor: Actor, country: str, data: Any, source: str = "") -> Organisation:
    """Add one entry to a country's register: register owners only."""
    require_owner(actor)
    register = country_jurisdiction(country, source)
    entry = parsed(data)
    if isinstance(entry, list):
        raise InvalidInput(entry, source)
    existing = register_of(register)
    checked, errors = reference_errors(entry, register, existing)
    if entry.abbreviation in existing:
        errors.append(
            FieldError("abbreviation", _("%s is in the register already") % entry.abbreviation)
        )
    if errors or checked is None:
        raise InvalidInput(errors, source)
    organisation = Organisation(country_code=register.code)
    apply(organisation, checked)
    organisation.save()
    record(organisation.pk, actor, None, snapshot(organisation))
    return organisation


@transaction.atomic
def update_organisation(
    actor: Actor,
    country: str,
    abbreviation: str,
    data: Any,
    expected_version: int | None,
    source: str = "",
) -> Organisation:
    """Change an entry (its acronym too: actions point to the entry, not to
    the acronym). Based on `expected_version`; 409 when it is stale."""
    require_owner(actor)
    register = country_jurisdiction(country, source)
    organisation = get_organisation(register.code, abbreviation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation)
    check_version(
        what=_("This organisation"),
        current_version=organisation.version,
        expected_version=expected_version,
        current=before,
    )
    entry = parsed(data)
    if isinstance(entry, list):
        raise InvalidInput(entry, source)
    existing = register_of(register)
    checked, errors = reference_errors(entry, register, existing, itself=organisation)
    other = existing.get(entry.abbreviation)
    if other is not None and other.pk != organisation.pk:
        errors.append(
            FieldError("abbreviation", _("%s is in the register already") % entry.abbreviation)
        )
    if errors or checked is None:
        raise InvalidInput(errors, source)
    apply(organisation, checked)
    organisation.version += 1
    organisation.save()
    record(organisation.pk, actor, before, snapshot(organisation))
    return organisation


@transaction.atomic
def delete_organisation(
    actor: Actor, country: str, abbreviation: str, expected_version: int | None
) -> None:
    """Remove an entry nothing names; what it was stays in the history."""
    require_owner(actor)
    organisation = get_organisation(country, abbreviation)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    before = snapshot(organisation)
    check_version(
        what=_("This organisation"),
        current_version=organisation.version,
        expected_version=expected_version,
        current=before,
    )
    named_by = uses(organisation)
    if named_by:
        raise WrongState(
            _(
                "%(name)s is still named: by actions (%(actions)d) and by organisations "
                "that are part of it (%(units)d); change those first"
            )
            % {
                "name": organisation.abbreviation,
                "actions": named_by.get("responsible", 0) + named_by.get("supporting", 0),
                "units": named_by.get("units", 0),
            }
        )
    pk = organisation.pk
    organisation.delete()
    record(pk, actor, before, None)


def add_missing_organisations(
    actor: Actor, country: str, listed: list[dict[str, Any]], source: str = ""
) -> None:
    """For a plan import: add the listed entries the register lacks, if the
    actor owns the register; otherwise refuse, naming them. Entries already
    in the register are left as they are. Errors name `organisations[i]`."""
    register = country_jurisdiction(country, source)
    existing = register_of(register)
    unknown = [(i, e) for i, e in enumerate(listed) if e["abbreviation"] not in existing]
    if unknown and not may_own_register(actor):
        raise InvalidInput(
            [
                FieldError(
                    f"organisations[{index}].abbreviation",
                    _(
                        "%(name)s is not in the organisations register of %(country)s; "
                        "ask a register owner to add it"
                    )
                    % {"name": entry["abbreviation"], "country": register.code},
                )
                for index, entry in unknown
            ],
            source,
        )
    errors: list[FieldError] = []
    for index, data in unknown:
        prefix = f"organisations[{index}]."
        entry = parsed(data, prefix)
        if isinstance(entry, list):
            errors += entry
            continue
        checked, problems = reference_errors(entry, register, existing, prefix)
        if problems or checked is None:
            errors += problems
            continue
        organisation = Organisation(country_code=register.code)
        apply(organisation, checked)
        organisation.save()
        existing[organisation.abbreviation] = organisation
        record(organisation.pk, actor, None, snapshot(organisation))
    if errors:
        raise InvalidInput(errors, source)


# --- CSV ----------------------------------------------------------------------------


def export_csv(country: str) -> str:
    """The register as CSV (the columns of CSV_COLUMNS), safe to open in a
    spreadsheet program: no cell is read as a formula."""
    register = country_jurisdiction(country)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for o in search_organisations(register.code):
        writer.writerow(
            [
                csv_safe(str(value))
                for value in (
                    o.abbreviation,
                    o.abbreviation_vi,
                    o.name.get("en", ""),
                    o.name.get("vi", ""),
                    o.kind,
                    o.jurisdiction.code,
                    o.parent.abbreviation if o.parent else "",
                    f"{ALIAS_SEPARATOR} ".join(o.aliases),
                    o.version,
                )
            ]
        )
    return out.getvalue()


@dataclass
class CsvRow:
    line: int
    entry: OrganisationIn
    version: int | None


def read_csv_upload(stream: IO[bytes]) -> bytes:
    """An uploaded file's bytes, up to one past the limit: enough for
    `import_csv` to refuse a larger file without holding all of it."""
    return stream.read(MAX_CSV_BYTES + 1)


def read_csv_rows(data: bytes | str, source: str) -> list[tuple[int, dict[str, str]]]:
    """The rows of a register CSV by line, after the header; bounded in
    size and rows, UTF-8 only, the header checked."""

    def check_header(names: list[str]) -> None:
        missing = [c for c in CSV_COLUMNS if c not in names and c != "version"]
        unknown = [h for h in names if h not in CSV_COLUMNS]
        if missing or unknown or len(set(names)) != len(names):
            raise InvalidInput.single(
                csv_place(1),
                _("the header must name the columns %s, each once") % ", ".join(CSV_COLUMNS),
                source,
            )

    _names, rows = read_csv(
        data, source, max_bytes=MAX_CSV_BYTES, max_rows=MAX_CSV_ROWS, check_header=check_header
    )
    return rows


def csv_entry(line: int, values: dict[str, str]) -> CsvRow | list[FieldError]:
    data = {
        "abbreviation": values["abbreviation"],
        "abbreviation_vi": values["abbreviation_vi"],
        "name": {"en": values["name_en"], "vi": values["name_vi"]},
        "kind": values["kind"].strip(),
        "jurisdiction": values["jurisdiction"].strip(),
        "parent": values["parent"],
        "aliases": [a.strip() for a in values["aliases"].split(ALIAS_SEPARATOR) if a.strip()],
    }
    columns = {"name.en": "name_en", "name.vi": "name_vi"}
    entry = parsed(data)
    errors = []
    if isinstance(entry, list):
        for problem in entry:
            field = problem.path.split("[")[0]
            errors.append(FieldError(csv_place(line, columns.get(field, field)), problem.message))
    version_text = values.get("version", "").strip()
    if version_text and not version_text.isdigit():
        errors.append(FieldError(csv_place(line, "version"), _("a whole number, or empty")))
    if errors or isinstance(entry, list):
        return errors
    return CsvRow(line, entry, int(version_text) if version_text else None)


@dataclass
class CsvImport:
    created: int
    updated: int
    unchanged: int


@transaction.atomic
def import_csv(actor: Actor, country: str, data: bytes | str, source: str = "") -> CsvImport:
    """Add and change entries of a country's register from CSV, all or
    nothing. A row with a new acronym is added; a row with an acronym of the
    register changes that entry and must give the version it was exported
    at. Errors name the line and column."""
    require_owner(actor)
    register = country_jurisdiction(country, source)
    rows: list[CsvRow] = []
    errors: list[FieldError] = []
    seen: dict[str, int] = {}
    for line, values in read_csv_rows(data, source):
        row = csv_entry(line, values)
        if isinstance(row, list):
            errors += row
        elif row.entry.abbreviation in seen:
            errors.append(
                FieldError(
                    csv_place(line, "abbreviation"),
                    _("%(name)s is on line %(line)d already")
                    % {"name": row.entry.abbreviation, "line": seen[row.entry.abbreviation]},
                )
            )
        else:
            seen[row.entry.abbreviation] = line
            rows.append(row)
        if len(errors) >= MAX_ERRORS:
            raise InvalidInput(errors, source)
    existing = register_of(register)
    # Parents may be entries of the register or rows of the same file.
    pending = {r.entry.abbreviation: Organisation(country_code=register.code) for r in rows}
    parents = {**existing, **{k: v for k, v in pending.items() if k not in existing}}
    checked_rows = []
    for row in rows:
        current = existing.get(row.entry.abbreviation)
        checked, problems = reference_errors(row.entry, register, parents, itself=current)
        problems = [FieldError(csv_place(row.line, p.path), p.message) for p in problems]
        if current is not None and row.version != current.version:
            problems.append(
                FieldError(
                    csv_place(row.line, "version"),
                    _(
                        "%(name)s is in the register at version %(version)d; export the "
                        "register again and change that"
                    )
                    % {"name": current.abbreviation, "version": current.version},
                )
            )
        if current is None and row.version is not None:
            problems.append(
                FieldError(
                    csv_place(row.line, "version"),
                    _("%s is not in the register; leave the version empty to add it")
                    % row.entry.abbreviation,
                )
            )
        errors += problems
        if checked is not None:
            checked_rows.append((row, current, checked))
    errors += cycle_errors(rows, existing)
    if errors:
        raise InvalidInput(errors[:MAX_ERRORS], source)
    return write_csv_rows(actor, checked_rows, pending)


def cycle_errors(rows: list[CsvRow], existing: dict[str, Organisation]) -> list[FieldError]:
    """Rows that would make an entry part of itself once the file is in."""
    parent_of = {k: o.parent.abbreviation if o.parent else "" for k, o in existing.items()}
    parent_of |= {r.entry.abbreviation: r.entry.parent for r in rows}
    errors = []
    for row in rows:
        seen = {row.entry.abbreviation}
        current = parent_of.get(row.entry.abbreviation, "")
        while current and current not in seen:
            seen.add(current)
            current = parent_of.get(current, "")
        if current == row.entry.abbreviation:
            errors.append(
                FieldError(
                    csv_place(row.line, "parent"),
                    _("an organisation cannot be part of itself"),
                )
            )
    return errors


def write_csv_rows(
    actor: Actor,
    checked_rows: list[tuple[CsvRow, Organisation | None, Checked]],
    pending: dict[str, Organisation],
) -> CsvImport:
    created = updated = unchanged = 0
    # New entries first, without parents (a parent may be a later row).
    for row, current, checked in checked_rows:
        if current is None:
            organisation = pending[row.entry.abbreviation]
            apply(organisation, Checked(checked.entry, checked.jurisdiction, None))
            organisation.save()
    for row, current, checked in checked_rows:
        if current is None:
            organisation = pending[row.entry.abbreviation]
            apply(organisation, checked)
            organisation.save()
            record(organisation.pk, actor, None, snapshot(organisation))
            created += 1
            continue
        before = snapshot(current)
        apply(current, checked)
        if snapshot(current) == before:
            unchanged += 1
            continue
        current.version += 1
        current.save()
        record(current.pk, actor, before, snapshot(current))
        updated += 1
    return CsvImport(created, updated, unchanged)
