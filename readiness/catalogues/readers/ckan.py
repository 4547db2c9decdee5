"""CKAN action API responses (package_search, current_package_list_with_resources,
package_show) or a bare list of packages, read as a stream with ijson: one
package at a time, bounded in bytes read, nesting depth (counted from the
parser's events, no recursion), number of records and the length of every
field (the text rule). Fields are mapped to DatasetRecord as ckanext-dcat's
euro_dcat_ap profile maps them to DCAT (profiles/euro_dcat_ap_base.py)."""

import codecs
import io
import itertools
from collections.abc import Iterator
from typing import IO, Any, NoReturn

import ijson
from django.utils.translation import gettext as _

from readiness.catalogues import scoring
from readiness.catalogues.readers.common import Fields
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.readers import MAX_CATALOGUE_BYTES, MAX_DATASETS, MAX_DEPTH, too_large
from readiness.core.text import LONG, NAME, SHORT, URL

CHUNK = 64 * 1024
# The first key inside "result" of a package_search response; a package
# (package_show) starts with one of its own fields instead.
SEARCH_KEYS = frozenset({"count", "results", "sort", "facets", "search_facets"})
ENVELOPE_KEYS = frozenset({"help", "success", "error"})


def refuse(place: str, message: str, source: str) -> NoReturn:
    raise InvalidInput([FieldError(place, message)], source)


class BoundedStream(io.RawIOBase):
    """The bytes of `stream`, refused once more than `limit` have been read
    or when they stop being UTF-8 (the byte offset is named)."""

    def __init__(self, head: bytes, stream: IO[bytes] | None, source: str, limit: int) -> None:
        self.pending = head  # read from `position` on (slicing it would copy the rest)
        self.position = 0
        self.stream = stream
        self.source = source
        self.limit = limit
        self.count = 0
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = CHUNK if size is None or size < 0 else size
        if self.position < len(self.pending):
            chunk = self.pending[self.position : self.position + size]
            self.position += len(chunk)
        else:
            chunk = self.stream.read(size) if self.stream is not None else b""
        before = self.count
        self.count += len(chunk)
        if self.count > self.limit:
            refuse("", too_large(self.limit), self.source)
        waiting = len(self.decoder.getstate()[0])
        try:
            self.decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as error:
            offset = before - waiting + error.start
            refuse(
                _("byte %d") % offset,
                _("not UTF-8 text; save it as UTF-8"),
                self.source,
            )
        return chunk

    def readinto(self, buffer: Any) -> int:
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def opened(data: bytes | IO[bytes], source: str, limit: int = MAX_CATALOGUE_BYTES) -> BoundedStream:
    if isinstance(data, bytes | bytearray):
        if len(data) > limit:
            refuse("", too_large(limit), source)
        return BoundedStream(bytes(data).removeprefix(codecs.BOM_UTF8), None, source, limit)
    head = data.read(CHUNK)
    return BoundedStream(head.removeprefix(codecs.BOM_UTF8), data, source, limit)


class Events:
    """The parser's events, counted: nesting depth and records begun, so
    that a refusal names the record."""

    def __init__(self, stream: BoundedStream, source: str) -> None:
        self.source = source
        self.events = ijson.parse(stream, use_float=True)
        self.depth = 0
        self.item_depth = 0
        self.record = 0

    def __iter__(self) -> Iterator[tuple[str, str, Any]]:
        for prefix, event, value in self.events:
            if event in ("start_map", "start_array"):
                self.depth += 1
                if self.depth > MAX_DEPTH:
                    refuse(
                        self.place(),
                        _("nested deeper than %(limit)d levels") % {"limit": MAX_DEPTH},
                        self.source,
                    )
                if self.depth == self.item_depth + 1 and event == "start_map":
                    self.record += 1
            elif event in ("end_map", "end_array"):
                self.depth -= 1
            yield prefix, event, value

    def place(self) -> str:
        return _("record %d") % self.record if self.record else ""


def item_prefix(events: Iterator[tuple[str, str, Any]], source: str) -> tuple[str, list]:
    """Which shape of response this is, from its first events: the ijson
    prefix of its packages and the events read to decide it."""
    seen: list[tuple[str, str, Any]] = []

    def take() -> tuple[str, str, Any]:
        event = next(events, None)
        if event is None:
            refuse("", _("no CKAN packages found (expected a CKAN API response)"), source)
        seen.append(event)
        return event

    _prefix, kind, _value = take()
    if kind == "start_array":
        return "item", seen
    if kind != "start_map":
        refuse("", _("not a CKAN API response (a list or an object is expected)"), source)
    while True:
        _prefix, kind, key = take()
        if kind == "end_map":
            refuse("", _('no CKAN packages found: the object has no "result"'), source)
        if key == "result":
            _prefix, kind, _value = take()
            if kind == "start_array":
                return "result.item", seen
            if kind != "start_map":
                refuse("result", _("must be a list or an object of packages"), source)
            _prefix, kind, first = take()
            if kind == "map_key" and first in SEARCH_KEYS:
                return "result.results.item", seen
            return "result", seen
        if key not in ENVELOPE_KEYS:
            return "", seen
        # Skip the envelope key's value (a scalar or a small object).
        depth = 0
        while True:
            _prefix, kind, _value = take()
            depth += {"start_map": 1, "start_array": 1, "end_map": -1, "end_array": -1}.get(kind, 0)
            if depth == 0:
                break


def records_from_ckan(
    data: bytes | IO[bytes], source: str, warnings: list[str] | None = None
) -> Iterator[DatasetRecord]:
    """The datasets of a CKAN response, one at a time; unknown values are
    added to `warnings`. InvalidInput names the record, its id and field."""
    counted = Events(opened(data, source), source)
    stream = iter(counted)
    try:
        prefix, seen = item_prefix(stream, source)
        # How many lists and objects are open where a package starts.
        counted.item_depth = {"": 0, "item": 1, "result": 1, "result.item": 2}.get(prefix, 3)
        # A single package is record 1; in a list, records are counted as they begin.
        counted.record = 1 if prefix in ("", "result") else 0
        packages = ijson.items(itertools.chain(seen, stream), prefix, use_float=True)
        for number, package in enumerate(packages, start=1):
            if number > MAX_DATASETS:
                refuse(
                    _("record %d") % number,
                    _("more than %(limit)s datasets in one file") % {"limit": f"{MAX_DATASETS:,}"},
                    source,
                )
            yield package_record(package, number, source, warnings if warnings is not None else [])
    except ijson.JSONError as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        refuse(counted.place(), _("not valid JSON: %s") % message, source)


def package_record(package: Any, number: int, source: str, warnings: list[str]) -> DatasetRecord:
    if not isinstance(package, dict):
        refuse(_("record %d") % number, _("a package must be an object"), source)
    identifier = package.get("id") or package.get("name")
    shown = identifier if isinstance(identifier, str) else ""
    place = _('record %(number)d (id "%(id)s")') % {"number": number, "id": shown[:80]}
    fields = Fields(place, warnings)
    extras = extras_of(package, fields)

    def value(name: str) -> Any:
        """A field as ckanext-scheming puts it (top level) or as an extra."""
        found = package.get(name)
        return found if found not in (None, "") else extras.get(name)

    identifier = fields.text(identifier, NAME, "id", required=True)
    title = fields.text(package.get("title"), NAME, "title", required=True)
    resources = package.get("resources") or []
    if not isinstance(resources, list):
        fields.fail("resources", _("must be a list of resources"))
        resources = []
    distributions = tuple(
        resource_record(resource, index, fields) for index, resource in enumerate(resources)
    )
    record = DatasetRecord(
        identifier=identifier,
        title=title,
        description=fields.text(package.get("notes"), LONG, "notes"),
        publisher=publisher_of(package, extras, fields),
        landing_page=fields.url(package.get("url"), URL, "url"),
        licence=licence_of(package, fields),
        access_rights=fields.text(value("access_rights"), URL, "access_rights"),
        update_frequency=fields.text(value("frequency"), URL, "frequency"),
        themes=names_of(package.get("groups"), "groups", ("title", "display_name", "name"), fields),
        keywords=names_of(package.get("tags"), "tags", ("name", "display_name"), fields),
        temporal_start=fields.date(value("temporal_start"), "temporal_start"),
        temporal_end=fields.date(value("temporal_end"), "temporal_end"),
        spatial=fields.text(
            value("spatial_uri") or value("spatial_text") or value("spatial"), LONG, "spatial"
        ),
        issued=fields.date(value("issued") or package.get("metadata_created"), "metadata_created"),
        modified=fields.date(
            value("modified") or package.get("metadata_modified"), "metadata_modified"
        ),
        contact_point=contact_of(package, extras, fields),
        distributions=distributions,
        place=place,
    )
    if fields.errors:
        raise InvalidInput(fields.errors, source)
    return record


def extras_of(package: dict, fields: Fields) -> dict[str, Any]:
    extras = package.get("extras") or []
    if not isinstance(extras, list):
        fields.fail("extras", _("must be a list of {key, value} objects"))
        return {}
    found = {}
    for index, extra in enumerate(extras):
        if not isinstance(extra, dict) or not isinstance(extra.get("key"), str):
            fields.fail(f"extras[{index}]", _("must be an object with a key and a value"))
            continue
        found[extra["key"]] = extra.get("value")
    return found


def publisher_of(package: dict, extras: dict[str, Any], fields: Fields) -> str:
    if extras.get("publisher_name"):
        return fields.text(extras["publisher_name"], NAME, "extras.publisher_name")
    organisation = package.get("organization")
    if organisation is None:
        return ""
    if not isinstance(organisation, dict):
        fields.fail("organization", _("must be an object"))
        return ""
    name = organisation.get("title") or organisation.get("name")
    return fields.text(name, NAME, "organization.title")


def licence_of(package: dict, fields: Fields) -> str:
    """The licence id, else its address; one not in data/licences.yaml is kept
    as published and named in a warning."""
    licence_id = fields.text(package.get("license_id"), SHORT, "license_id")
    licence_url = fields.text(package.get("license_url"), URL, "license_url")
    if licence_id and scoring.licence_key(licence_id):
        return licence_id
    if licence_url and scoring.licence_key(licence_url):
        return licence_url
    published = licence_id or licence_url
    if published:
        fields.warn(
            "license_id",
            _("the licence %s is not in the list of known licences") % repr(published[:80]),
        )
    return published


def contact_of(package: dict, extras: dict[str, Any], fields: Fields) -> str:
    """contact_name/contact_email, else the maintainer, else the author
    (ckanext-dcat's order)."""
    for name_key, email_key in (
        ("contact_name", "contact_email"),
        ("maintainer", "maintainer_email"),
        ("author", "author_email"),
    ):
        name = package.get(name_key) or extras.get(name_key)
        email = package.get(email_key) or extras.get(email_key)
        if name or email:
            name = fields.text(name, NAME, name_key)
            email = fields.text(email, NAME, email_key)
            return f"{name} <{email}>" if name and email else name or email
    return ""


def names_of(items: Any, path: str, keys: tuple[str, ...], fields: Fields) -> tuple[str, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        fields.fail(path, _("must be a list"))
        return ()
    names = []
    for index, item in enumerate(items):
        name = item if isinstance(item, str) else None
        if isinstance(item, dict):
            name = next((item[key] for key in keys if item.get(key)), "")
        if name is None:
            fields.fail(f"{path}[{index}]", _("must be an object with a name"))
            continue
        text = fields.text(name, NAME, f"{path}[{index}]")
        if text:
            names.append(text)
    return tuple(names)


def resource_record(resource: Any, index: int, fields: Fields) -> DistributionRecord:
    path = f"resources[{index}]"
    if not isinstance(resource, dict):
        fields.fail(path, _("a resource must be an object"))
        return DistributionRecord()
    return DistributionRecord(
        title=fields.text(resource.get("name"), NAME, f"{path}.name"),
        format=fields.text(resource.get("format"), SHORT, f"{path}.format"),
        media_type=fields.text(resource.get("mimetype"), SHORT, f"{path}.mimetype"),
        access_url=fields.url(resource.get("url"), URL, f"{path}.url"),
        download_url=fields.url(resource.get("download_url"), URL, f"{path}.download_url"),
        byte_size=fields.size(resource.get("size"), f"{path}.size"),
        licence=fields.text(resource.get("license"), URL, f"{path}.license"),
        rights=fields.text(resource.get("rights"), LONG, f"{path}.rights"),
        issued=fields.date(resource.get("created"), f"{path}.created"),
        modified=fields.date(resource.get("last_modified"), f"{path}.last_modified"),
    )
