"""Read a catalogue file of any kind we know into DatasetRecords. The kind is
told from the content, not the file name: CKAN JSON, DCAT as JSON-LD, RDF/XML
or Turtle, and the inventory spreadsheet as XLSX or CSV."""

import codecs
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, cast

from django.utils.translation import gettext as _
from rdflib import Graph

from readiness.catalogues.models import Catalogue
from readiness.catalogues.readers import ckan, dcat, table
from readiness.catalogues.records import DatasetRecord
from readiness.core.errors import InvalidInput
from readiness.core.readers import MAX_GRAPH_BYTES, too_large
from readiness.core.spreadsheets import MAX_WORKBOOK_BYTES

HEAD = 64 * 1024
JSON_LD_KEYS = re.compile(rb'"@(context|graph|id|type)"\s*:')
TURTLE_START = re.compile(rb"(@prefix|@base|prefix\s|base\s|<[^\s<>\"]*>\s)", re.IGNORECASE)
XML_START = re.compile(rb"<(\?xml|!--|[A-Za-z_][\w.-]*:RDF[\s>])")


@dataclass
class ReadCatalogue:
    kind: str  # a Catalogue.Kind value
    records: Iterator[DatasetRecord]
    # Unknown values, each naming its record and field; a CKAN file adds to
    # it while `records` is read.
    warnings: list[str] = field(default_factory=list)
    graph: Graph | None = None  # a DCAT file's graph, for the DCAT-AP shape check


def read_catalogue(data: bytes | IO[bytes], filename: str) -> ReadCatalogue:
    """The records of `data`; InvalidInput names the file, record and field."""
    stream = io.BytesIO(data) if isinstance(data, bytes | bytearray) else data
    head = stream.read(HEAD)
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    while start.startswith(b"#"):  # Turtle comments
        start = start.partition(b"\n")[2].lstrip()
    warnings: list[str] = []
    if start.startswith(b"PK\x03\x04"):
        rest = head + stream.read(MAX_WORKBOOK_BYTES + 1 - len(head))
        records = table.records_from_xlsx(rest, filename, warnings)
        return ReadCatalogue(Catalogue.Kind.SPREADSHEET, records, warnings)
    if start[:1] in (b"{", b"[") and JSON_LD_KEYS.search(head):
        return rdf(head, stream, "json-ld", filename, warnings)
    if start[:1] in (b"{", b"["):
        records = ckan.records_from_ckan(cast(IO[bytes], Joined(head, stream)), filename, warnings)
        return ReadCatalogue(Catalogue.Kind.CKAN, records, warnings)
    if XML_START.match(start):
        return rdf(head, stream, "xml", filename, warnings)
    if TURTLE_START.match(start):
        return rdf(head, stream, "turtle", filename, warnings)
    first_line = start.partition(b"\n")[0].lower()
    if b"identifier" in first_line or b"title" in first_line:
        rest = head + stream.read(MAX_GRAPH_BYTES + 1 - len(head))
        return ReadCatalogue(
            Catalogue.Kind.SPREADSHEET, table.records_from_csv(rest, filename, warnings), warnings
        )
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head.startswith(
        (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
    ):
        raise InvalidInput.single("", _("is UTF-16 text; save it as UTF-8"), filename)
    raise InvalidInput.single(
        "",
        _(
            "not a catalogue we can read: expected CKAN API JSON, DCAT (JSON-LD, RDF/XML or "
            "Turtle), or the inventory spreadsheet (XLSX, or CSV with a header row naming "
            "identifier and title)"
        ),
        filename,
    )


def rdf(
    head: bytes, stream: IO[bytes], syntax: str, filename: str, warnings: list[str]
) -> ReadCatalogue:
    data = head + stream.read(MAX_GRAPH_BYTES + 1 - len(head))
    if len(data) > MAX_GRAPH_BYTES:
        raise InvalidInput.single("", too_large(MAX_GRAPH_BYTES), filename)
    graph = dcat.read_graph(data, syntax, filename)
    # Read now, so that an error is raised here and the warnings are complete.
    records = list(dcat.records_from_graph(graph, filename, warnings))
    return ReadCatalogue(Catalogue.Kind.DCAT, iter(records), warnings, graph)


class Joined(io.RawIOBase):
    """The head already read, then the rest of the stream."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        if self.head:
            size = len(self.head) if size is None or size < 0 else size
            chunk, self.head = self.head[:size], self.head[size:]
            return chunk
        return self.stream.read(size)
