"""DCAT catalogues (RDF/XML, Turtle, JSON-LD) read with rdflib into
DatasetRecords, and the graph kept for the DCAT-AP shape check. Bounded in
bytes and triples; XML that declares a DOCTYPE or entities is refused before
parsing (no entity expansion, no external entities), and a JSON-LD context
is never fetched from the network: only contexts written in the file."""

import re
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS

from readiness.catalogues import scoring
from readiness.catalogues.readers.common import Fields
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from readiness.core.errors import InvalidInput
from readiness.core.readers import (
    MAX_DATASETS,
    MAX_GRAPH_BYTES,
    MAX_TRIPLES,
    decode,
    read_json,
    refuse,
)
from readiness.core.text import LONG, NAME, SHORT, URL

SCHEMA = Namespace("http://schema.org/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA_HTTPS = Namespace("https://schema.org/")
IANA_MEDIA_TYPE = re.compile(r"^https?://www\.iana\.org/assignments/media-types/")
DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
FORMATS = {"xml": "xml", "turtle": "turtle", "json-ld": "json-ld"}


def read_graph(data: bytes, syntax: str, source: str) -> Graph:
    """The graph of an RDF file in `syntax` ("xml", "turtle", "json-ld")."""
    text = decode(data, source, MAX_GRAPH_BYTES)
    if syntax == "xml" and (match := DECLARATION.search(data)):
        line = data.count(b"\n", 0, match.start()) + 1
        refuse(
            _("line %d") % line,
            _("declares a DTD or XML entities, which are not read (entity expansion is off)"),
            source,
        )
    if syntax == "json-ld":
        refuse_remote_contexts(read_json(text, source, max_bytes=MAX_GRAPH_BYTES), source)
    graph = Graph()
    try:
        graph.parse(data=text, format=syntax)
    except Exception as error:  # rdflib's parsers raise many kinds for a broken file
        problem = " ".join(str(error).split())[:300] or type(error).__name__
        refuse(
            "",
            _("not valid %(syntax)s: %(problem)s")
            % {
                "syntax": {"xml": "RDF/XML", "turtle": "Turtle", "json-ld": "JSON-LD"}[syntax],
                "problem": problem,
            },
            source,
        )
    if len(graph) > MAX_TRIPLES:
        refuse("", _("more than %(limit)s triples") % {"limit": f"{MAX_TRIPLES:,}"}, source)
    return graph


def refuse_remote_contexts(document: Any, source: str) -> None:
    """A "@context" naming a URL would make the parser fetch it."""
    stack = [document]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            context = node.get("@context")
            for item in context if isinstance(context, list) else [context]:
                if isinstance(item, str):
                    refuse(
                        "@context",
                        _(
                            "the context %s would be fetched from the network: "
                            "write the context into the file"
                        )
                        % repr(item[:80]),
                        source,
                    )
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def records_from_graph(graph: Graph, source: str, warnings: list[str]) -> Iterator[DatasetRecord]:
    datasets = sorted(set(graph.subjects(RDF.type, DCAT.Dataset)), key=str)
    if len(datasets) > MAX_DATASETS:
        refuse(
            "",
            _("more than %(limit)s datasets in one file") % {"limit": f"{MAX_DATASETS:,}"},
            source,
        )
    for number, dataset in enumerate(datasets, start=1):
        yield dataset_record(graph, dataset, number, source, warnings)


def dataset_record(
    graph: Graph, dataset: Any, number: int, source: str, warnings: list[str]
) -> DatasetRecord:
    name = str(dataset) if isinstance(dataset, URIRef) else ""
    place = _("dataset %(number)d (%(iri)s)") % {"number": number, "iri": name[:120] or "_:"}
    fields = Fields(place, warnings)
    read = Reader(graph, fields)
    identifier = read.literal(dataset, DCTERMS.identifier) or name
    if not identifier:
        fields.fail("dct:identifier", _("a dataset without an IRI needs a dct:identifier"))
    temporal = graph.value(dataset, DCTERMS.temporal)
    licence = read.node_text(dataset, DCTERMS.license)
    distributions = tuple(
        read.distribution(distribution, index)
        for index, distribution in enumerate(
            sorted(graph.objects(dataset, DCAT.distribution), key=str)
        )
    )
    if not licence:
        licence = next((d.licence for d in distributions if d.licence), "")
    if licence and scoring.licence_key(licence) is None:
        fields.warn(
            "dct:license",
            _("the licence %s is not in the list of known licences") % repr(licence[:80]),
        )
    record = DatasetRecord(
        identifier=fields.text(identifier, NAME, "dct:identifier", required=True),
        title=fields.text(read.literal(dataset, DCTERMS.title), NAME, "dct:title", required=True),
        description=fields.text(
            read.literal(dataset, DCTERMS.description), LONG, "dct:description"
        ),
        publisher=fields.text(read.agent(dataset, DCTERMS.publisher), NAME, "dct:publisher"),
        landing_page=fields.url(read.node_text(dataset, DCAT.landingPage), URL, "dcat:landingPage"),
        licence=fields.text(licence, URL, "dct:license"),
        access_rights=fields.text(
            read.node_text(dataset, DCTERMS.accessRights), URL, "dct:accessRights"
        ),
        update_frequency=fields.text(
            read.node_text(dataset, DCTERMS.accrualPeriodicity, described=True),
            URL,
            "dct:accrualPeriodicity",
        ),
        themes=read.all_texts(dataset, DCAT.theme, "dcat:theme"),
        keywords=read.all_texts(dataset, DCAT.keyword, "dcat:keyword"),
        temporal_start=read.period_end(temporal, "startDate"),
        temporal_end=read.period_end(temporal, "endDate"),
        spatial=fields.text(read.node_text(dataset, DCTERMS.spatial), LONG, "dct:spatial"),
        issued=fields.date(read.literal(dataset, DCTERMS.issued), "dct:issued"),
        modified=fields.date(read.literal(dataset, DCTERMS.modified), "dct:modified"),
        contact_point=fields.text(read.contact(dataset), NAME, "dcat:contactPoint"),
        distributions=distributions,
        place=place,
    )
    if fields.errors:
        raise InvalidInput(fields.errors, source)
    return record


class Reader:
    """Values of one dataset's graph, as text."""

    def __init__(self, graph: Graph, fields: Fields) -> None:
        self.graph = graph
        self.fields = fields

    def literal(self, subject: Any, predicate: URIRef) -> str:
        """The English literal, else one without a language, else any."""
        values = sorted(
            (o for o in self.graph.objects(subject, predicate) if isinstance(o, Literal)),
            key=lambda literal: (
                {"en": 0, None: 1}.get(literal.language and literal.language.lower()[:2], 2),
                str(literal),
            ),
        )
        return str(values[0]) if values else ""

    def node_text(self, subject: Any, predicate: URIRef, *, described: bool = False) -> str:
        """An IRI, a literal, or a blank node's label or value; with
        `described`, also an IRI that the file itself describes (datos.gob.es
        gives each format its own IRI with an rdf:value)."""
        node = self.graph.value(subject, predicate, any=True)
        if node is None:
            return ""
        if isinstance(node, BNode) or (described and (node, None, None) in self.graph):
            return (
                self.literal(node, RDFS.label)
                or self.literal(node, RDF.value)
                or self.literal(node, DCTERMS.identifier)
                or self.literal(node, DCTERMS.title)
                or (str(node) if isinstance(node, URIRef) else "")
            )
        return str(node)

    def all_texts(self, subject: Any, predicate: URIRef, path: str) -> tuple[str, ...]:
        values = sorted(str(o) for o in self.graph.objects(subject, predicate))
        return tuple(text for value in values if (text := self.fields.text(value, NAME, path)))

    def agent(self, subject: Any, predicate: URIRef) -> str:
        node = self.graph.value(subject, predicate, any=True)
        if node is None:
            return ""
        if isinstance(node, Literal):
            return str(node)
        return self.literal(node, FOAF.name) or (str(node) if isinstance(node, URIRef) else "")

    def contact(self, subject: Any) -> str:
        node = self.graph.value(subject, DCAT.contactPoint, any=True)
        if node is None:
            return ""
        name = self.literal(node, VCARD.fn) or self.literal(node, VCARD["organization-name"])
        email = str(self.graph.value(node, VCARD.hasEmail, any=True) or "").removeprefix("mailto:")
        return f"{name} <{email}>" if name and email else name or email

    def period_end(self, period: Any, which: str) -> Any:
        if period is None:
            return None
        for namespace in (DCAT, SCHEMA, SCHEMA_HTTPS):
            value = self.literal(period, namespace[which])
            if value:
                return self.fields.date(value, f"dct:temporal.{which}")
        return None

    def distribution(self, node: Any, index: int) -> DistributionRecord:
        path = f"dcat:distribution[{index}]"
        media_type = IANA_MEDIA_TYPE.sub("", self.node_text(node, DCAT.mediaType, described=True))
        return DistributionRecord(
            title=self.fields.text(self.literal(node, DCTERMS.title), NAME, f"{path}.dct:title"),
            format=self.fields.text(
                self.node_text(node, DCTERMS["format"], described=True), SHORT, f"{path}.dct:format"
            ),
            media_type=self.fields.text(media_type, SHORT, f"{path}.dcat:mediaType"),
            access_url=self.fields.url(
                self.node_text(node, DCAT.accessURL), URL, f"{path}.dcat:accessURL"
            ),
            download_url=self.fields.url(
                self.node_text(node, DCAT.downloadURL), URL, f"{path}.dcat:downloadURL"
            ),
            byte_size=self.fields.size(self.literal(node, DCAT.byteSize), f"{path}.dcat:byteSize"),
            licence=self.fields.text(
                self.node_text(node, DCTERMS.license), URL, f"{path}.dct:license"
            ),
            rights=self.fields.text(
                self.node_text(node, DCTERMS.rights), LONG, f"{path}.dct:rights"
            ),
            issued=self.fields.date(self.literal(node, DCTERMS.issued), f"{path}.dct:issued"),
            modified=self.fields.date(self.literal(node, DCTERMS.modified), f"{path}.dct:modified"),
        )
