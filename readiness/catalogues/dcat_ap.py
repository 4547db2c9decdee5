"""The inventory as DCAT-AP 2.1.1 (Turtle or JSON-LD), and the check of any
DCAT graph against the official DCAT-AP 2.1.1 SHACL shapes shipped in
data/ (see data/dcat-ap-2.1.1-shacl-shapes.source.txt).

The mapping follows ckanext-dcat's euro_dcat_ap profiles (ckan/ckanext-dcat,
ckanext/dcat/profiles/euro_dcat_ap_base.py and euro_dcat_ap_2.py): datasets
at `<catalogue>/dataset/<identifier>`, publishers as foaf:Agent, contact
points as vcard:Organization, temporal coverage as dct:PeriodOfTime with
dcat:startDate/endDate, the dataset's licence on each distribution that has
none of its own, formats as EU file-type IRIs and media types as IANA IRIs.
Where a record lacks what DCAT-AP makes mandatory, docs/catalogues.md
("DCAT-AP") says what is written instead; values that cannot be written are
left out and the reason is added to `left_out`.
"""

import datetime
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Literal as Kind
from urllib.parse import quote

import pycountry
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from pyshacl import validate
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SH, SKOS, XSD
from rdflib.plugins.serializers.turtle import TurtleSerializer
from rdflib.term import Node

from readiness.catalogues import scoring
from readiness.catalogues.records import DatasetRecord, DistributionRecord
from readiness.core.links import is_web_url

SHAPES_FILE = Path(__file__).parent / "data" / "dcat-ap-2.1.1-shacl-shapes.ttl"
LOCN = Namespace("http://www.w3.org/ns/locn#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU_AUTHORITY = "http://publications.europa.eu/resource/authority/"
EU_LICENCE_ALIAS = "publications.europa.eu/resource/authority/licence/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
GEOJSON_LITERAL = URIRef(IANA_MEDIA_TYPES + "application/vnd.geo+json")  # as ckanext-dcat types it
PREFIXES = {
    "dcat": DCAT,
    "dct": DCTERMS,
    "dcatap": DCATAP,
    "foaf": FOAF,
    "vcard": VCARD,
    "locn": LOCN,
    "skos": SKOS,
    "rdfs": RDFS,
    "xsd": XSD,
}
NAMESPACES = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
# RFC 6838 top-level types: "text/csv" is a media type, "PDF/Doc/XLS" is not.
MEDIA_TYPE = re.compile(
    r"(application|audio|font|image|message|model|multipart|text|video)/[a-z0-9][a-z0-9!#$&^_.+-]*"
)
NOT_IN_IRI = re.compile(r'[<>"{}|\\^`\s]')
SIMPLE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")  # a local name Turtle needs no escapes for
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Update frequencies as portals write them → the EU Publications Office
# "Frequency" authority table (http://publications.europa.eu/resource/authority/frequency).
FREQUENCIES = {
    "annual": "ANNUAL",
    "annually": "ANNUAL",
    "yearly": "ANNUAL",
    "semiannual": "ANNUAL_2",
    "biannually": "ANNUAL_2",
    "half-yearly": "ANNUAL_2",
    "biennial": "BIENNIAL",
    "triennial": "TRIENNIAL",
    "quarterly": "QUARTERLY",
    "monthly": "MONTHLY",
    "weekly": "WEEKLY",
    "daily": "DAILY",
    "irregular": "IRREG",
    "irreg": "IRREG",
    "continuous": "CONT",
    "cont": "CONT",
    "never": "NEVER",
}


@dataclass(frozen=True)
class CatalogueInfo:
    """The catalogue itself. `url` is its address (the portal, or the
    catalogue's page in this application): the catalogue's IRI, its
    foaf:homepage and the base of every dataset IRI."""

    title: str
    url: str
    description: str = ""
    publisher: str = ""  # the publisher's name
    language: str = ""  # an ISO 639-1 code: "vi", "en"
    issued: datetime.date | None = None
    modified: datetime.date | None = None


def dataset_iri(base: str, identifier: str) -> URIRef:
    """Stable: the catalogue's address and the identifier, quoted entirely
    (no two identifiers give the same IRI)."""
    return URIRef(f"{base.rstrip('/')}/dataset/{quote(identifier, safe='')}")


def distribution_iri(dataset: URIRef, number: int) -> URIRef:
    return URIRef(f"{dataset}/distribution/{number}")


def catalogue_graph(
    info: CatalogueInfo, records: Iterable[DatasetRecord], *, left_out: list[str] | None = None
) -> Graph:
    """The catalogue and its datasets as a DCAT-AP 2.1.1 graph. Why any value
    was not written is appended to `left_out`, when given."""
    catalogue = web_iri(info.url)
    if catalogue is None:
        raise ValueError(f"the catalogue needs an http or https address, not {info.url!r}")
    writer = GraphWriter(left_out if left_out is not None else [])
    graph = writer.graph
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add((catalogue, DCTERMS.title, Literal(info.title)))
    graph.add(
        (
            catalogue,
            DCTERMS.description,
            Literal(info.description)
            if info.description.strip()
            else writer.ours(_("No description was published for this catalogue.")),
        )
    )
    graph.add(
        (
            catalogue,
            DCTERMS.publisher,
            writer.agent(info.publisher.strip() or _("Publisher not stated")),
        )
    )
    graph.add((catalogue, FOAF.homepage, catalogue))
    if info.language and (language := language_iri(info.language)) is not None:
        graph.add((catalogue, DCTERMS.language, language))
    for predicate, day in ((DCTERMS.issued, info.issued), (DCTERMS.modified, info.modified)):
        if day:
            graph.add((catalogue, predicate, Literal(day)))
    for record in records:
        graph.add((catalogue, DCAT.dataset, writer.dataset(info.url, record)))
    return graph


class GraphWriter:
    """Writes records into one graph; agents and themes of the same name
    are one node."""

    def __init__(self, left_out: list[str]) -> None:
        self.graph = Graph()
        for prefix, namespace in PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.left_out = left_out
        self.noted: set[str] = set()
        self.agents: dict[str, BNode] = {}
        self.concepts: dict[str, BNode] = {}

    def note(self, record: DatasetRecord, message: str) -> None:
        """Each reason once: a dataset of 45 distributions under one licence
        without an address gets one note, not 45."""
        note = _("dataset %(identifier)s: %(message)s") % {
            "identifier": record.identifier,
            "message": message,
        }
        if note not in self.noted:
            self.noted.add(note)
            self.left_out.append(note)

    def ours(self, text: str) -> Literal:
        """A text we write in place of a missing one, in the export's language."""
        return Literal(text, lang=(get_language() or "en").split("-")[0])

    def agent(self, name: str) -> BNode:
        if name not in self.agents:
            node = self.agents[name] = BNode()
            self.graph.add((node, RDF.type, FOAF.Agent))
            self.graph.add((node, FOAF.name, Literal(name)))
        return self.agents[name]

    def concept(self, label: str) -> BNode:
        if label not in self.concepts:
            node = self.concepts[label] = BNode()
            self.graph.add((node, RDF.type, SKOS.Concept))
            self.graph.add((node, SKOS.prefLabel, Literal(label)))
        return self.concepts[label]

    def dataset(self, base: str, record: DatasetRecord) -> URIRef:
        graph = self.graph
        node = dataset_iri(base, record.identifier)
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.identifier, Literal(record.identifier)))
        graph.add((node, DCTERMS.title, Literal(record.title)))
        graph.add(
            (
                node,
                DCTERMS.description,
                Literal(record.description)
                if record.description.strip()
                else self.ours(_("No description was published for this dataset.")),
            )
        )
        if record.publisher.strip():
            graph.add((node, DCTERMS.publisher, self.agent(record.publisher.strip())))
        if record.landing_page:
            if (landing_page := web_iri(record.landing_page)) is not None:
                graph.add((node, DCAT.landingPage, landing_page))
            else:
                self.note(
                    record,
                    _("landing page %s is not an http or https address: not written")
                    % record.landing_page,
                )
        for keyword in record.keywords:
            graph.add((node, DCAT.keyword, Literal(keyword)))
        for theme in record.themes:
            graph.add((node, DCAT.theme, web_iri(theme) or self.concept(theme)))
        for predicate, day in (
            (DCTERMS.issued, record.issued),
            (DCTERMS.modified, record.modified),
        ):
            if day:
                graph.add((node, predicate, Literal(day)))
        if record.update_frequency.strip():
            graph.add((node, DCTERMS.accrualPeriodicity, frequency(record.update_frequency)))
        if record.access_rights.strip():
            graph.add((node, DCTERMS.accessRights, self.statement(record.access_rights)))
        self.temporal(node, record)
        self.spatial(node, record.spatial)
        self.contact(node, record.contact_point)
        number = 0
        for index, distribution in enumerate(record.distributions, start=1):
            access = access_url(record, distribution)
            if access is None:
                self.note(
                    record,
                    _(
                        "distribution %(number)d (%(format)s) has no access or download "
                        "address and the dataset no landing page: left out"
                    )
                    % {"number": index, "format": distribution.format or "-"},
                )
                continue
            number += 1
            graph.add(
                (
                    node,
                    DCAT.distribution,
                    self.distribution(node, number, record, distribution, access),
                )
            )
        if number == 0 and licence_stated(record.licence):
            self.note(
                record,
                _("DCAT-AP states a licence on distributions, and none was written: licence %s")
                % record.licence.strip(),
            )
        return node

    def distribution(
        self,
        dataset: URIRef,
        number: int,
        record: DatasetRecord,
        distribution: DistributionRecord,
        access: URIRef,
    ) -> URIRef:
        graph = self.graph
        node = distribution_iri(dataset, number)
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCAT.accessURL, access))
        if (download := web_iri(distribution.download_url)) is not None:
            graph.add((node, DCAT.downloadURL, download))
        if distribution.title.strip():
            graph.add((node, DCTERMS.title, Literal(distribution.title)))
        media = media_type(distribution)
        if media is not None:
            graph.add((node, DCAT.mediaType, media))
        file_type = format_node(distribution)
        if file_type is not None:
            graph.add((node, DCTERMS["format"], file_type))
        licence_text = distribution.licence.strip() or record.licence.strip()
        if licence_text:
            licence = licence_iri(licence_text)
            if licence is not None:
                graph.add((node, DCTERMS.license, licence))
                graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
            elif licence_stated(licence_text):
                self.note(
                    record,
                    _("licence %s has no address we know: not written (never guessed)")
                    % licence_text,
                )
        if distribution.rights.strip():
            graph.add((node, DCTERMS.rights, self.statement(distribution.rights)))
        if distribution.byte_size is not None:
            graph.add(
                (
                    node,
                    DCAT.byteSize,
                    Literal(Decimal(distribution.byte_size), datatype=XSD.decimal),
                )
            )
        for predicate, day in (
            (DCTERMS.issued, distribution.issued),
            (DCTERMS.modified, distribution.modified),
        ):
            if day:
                graph.add((node, predicate, Literal(day)))
        return node

    def statement(self, text: str) -> Node:
        """An IRI as published, or the text as a dct:RightsStatement (as
        ckanext-dcat writes access rights and rights)."""
        if (address := web_iri(text)) is not None:
            return address
        node = BNode()
        self.graph.add((node, RDF.type, DCTERMS.RightsStatement))
        self.graph.add((node, RDFS.label, Literal(text)))
        return node

    def temporal(self, dataset: URIRef, record: DatasetRecord) -> None:
        if not (record.temporal_start or record.temporal_end):
            return
        period = BNode()
        self.graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if record.temporal_start:
            self.graph.add((period, DCAT.startDate, Literal(record.temporal_start)))
        if record.temporal_end:
            self.graph.add((period, DCAT.endDate, Literal(record.temporal_end)))
        self.graph.add((dataset, DCTERMS.temporal, period))

    def spatial(self, dataset: URIRef, text: str) -> None:
        """An IRI (a GeoNames or EU place), a GeoJSON geometry, or a place name."""
        text = text.strip()
        if not text:
            return
        if (address := web_iri(text)) is not None:
            self.graph.add((dataset, DCTERMS.spatial, address))
            return
        place = BNode()
        self.graph.add((place, RDF.type, DCTERMS.Location))
        if text.startswith("{"):
            self.graph.add((place, LOCN.geometry, Literal(text, datatype=GEOJSON_LITERAL)))
        else:
            self.graph.add((place, SKOS.prefLabel, Literal(text)))
        self.graph.add((dataset, DCTERMS.spatial, place))

    def contact(self, dataset: URIRef, text: str) -> None:
        """ "Name <name@example.org>", a name or an address."""
        text = text.strip()
        if not text:
            return
        contact = BNode()
        self.graph.add((contact, RDF.type, VCARD.Organization))
        email = EMAIL.search(text)
        name = (EMAIL.sub("", text) if email else text).strip(" <>(),;")
        if name:
            self.graph.add((contact, VCARD.fn, Literal(name)))
        if email:
            self.graph.add((contact, VCARD.hasEmail, URIRef("mailto:" + email.group())))
        self.graph.add((dataset, DCAT.contactPoint, contact))


def web_iri(text: str) -> URIRef | None:
    """An http or https address (the project's link rule) as an IRI, the
    characters an IRI cannot hold percent-encoded as ckanext-dcat's
    CleanedURIRef does: a stored address never breaks the Turtle."""
    if not is_web_url(text):
        return None
    return URIRef(NOT_IN_IRI.sub(lambda match: quote(match.group()), text))


def access_url(record: DatasetRecord, distribution: DistributionRecord) -> URIRef | None:
    """DCAT-AP's mandatory access URL: the access URL, else the download URL
    (DCAT-AP: where there is a download URL the access URL repeats it), else
    the dataset's landing page (DCAT-AP: "the landing page link should be
    duplicated as accessURL")."""
    for url in (distribution.access_url, distribution.download_url, record.landing_page):
        if (address := web_iri(url)) is not None:
            return address
    return None


def media_type(distribution: DistributionRecord) -> URIRef | None:
    """The IANA IRI of the media type, or of a format written as one."""
    for text in (distribution.media_type, distribution.format):
        text = text.strip()
        if text.startswith(IANA_MEDIA_TYPES):
            return web_iri(text)
        name = text.split(";")[0].strip().lower()
        if MEDIA_TYPE.fullmatch(name):
            return URIRef(IANA_MEDIA_TYPES + name)
    return None


def format_node(distribution: DistributionRecord) -> Node | None:
    """The EU file-type IRI when the format names one known type; an IRI as
    published; else the format text as published (ckanext-dcat's literal):
    DCAT-AP allows one dct:format, and "HTML & PDF" names two."""
    text = distribution.format.strip()
    if not text or MEDIA_TYPE.fullmatch(text.lower()):
        return None  # a media type is written as dcat:mediaType
    facts = scoring.format_facts(text)
    if len(facts) == 1 and facts[0].known:
        return URIRef(scoring.EU_FILE_TYPE + facts[0].code)
    if (address := web_iri(text)) is not None:
        return address
    return Literal(text)


def licence_stated(text: str) -> bool:
    """Whether the text states a licence ("None" in the 2019 annex, CKAN's
    "notspecified" and an empty cell do not)."""
    key = scoring.licence_key(text)
    return bool(text.strip()) and (key is None or scoring.licences()[key].get("stated", True))


def licence_iri(text: str) -> URIRef | None:
    """The licence's address as published, else from data/licences.yaml its
    EU licence authority IRI, else its own address; None rather than a guess."""
    if (address := web_iri(text)) is not None:
        return address
    key = scoring.licence_key(text)
    if key is None:
        return None
    entry = scoring.licences()[key]
    for alias in entry["aliases"]:
        if str(alias).startswith(EU_LICENCE_ALIAS):
            return URIRef("http://" + str(alias))
    return web_iri(entry.get("url", ""))


def frequency(text: str) -> Node:
    text = text.strip()
    if (address := web_iri(text)) is not None:
        return address
    code = FREQUENCIES.get(text.lower()) or (text if text.upper() in FREQUENCIES.values() else "")
    if code:
        return URIRef(f"{EU_AUTHORITY}frequency/{code.upper()}")
    return Literal(text)  # as ckanext-dcat writes a frequency it cannot map


def language_iri(code: str) -> URIRef | None:
    """The EU language authority IRI (ISO 639-3 codes: VIE, ENG, DEU)."""
    language = pycountry.languages.get(alpha_2=code.split("-")[0].lower())
    if language is None:
        return None
    return URIRef(f"{EU_AUTHORITY}language/{language.alpha_3.upper()}")


class TurtleWriter(TurtleSerializer):
    """rdflib's Turtle, with prefixed names only for the vocabularies of
    PREFIXES; every other IRI is written in full. rdflib's own search for a
    prefix of every IRI takes time quadratic in the number of datasets (each
    dataset's distributions share a namespace): 274 s for 10,000 datasets."""

    def get_pname(self, uri: Node, gen_prefix: bool = True) -> str | None:
        if not isinstance(uri, URIRef):
            return None
        for prefix, namespace in NAMESPACES.items():
            local = uri[len(namespace) :]
            if uri.startswith(namespace) and SIMPLE_NAME.fullmatch(local):
                return f"{self.addNamespace(prefix, URIRef(namespace))}:{local}"
        return None


def serialise(graph: Graph, fmt: Kind["turtle", "json-ld"]) -> bytes:
    """Turtle, or JSON-LD compacted with the prefixes above as its context
    (inline: a reader needs no network)."""
    if fmt == "turtle":
        stream = io.BytesIO()
        TurtleWriter(graph).serialize(stream, encoding="utf-8")
        return stream.getvalue()
    if fmt == "json-ld":
        return graph.serialize(format="json-ld", context=NAMESPACES, encoding="utf-8")
    raise ValueError(f"unknown RDF format {fmt!r}")


# --- SHACL --------------------------------------------------------------------


@dataclass(frozen=True)
class Violation:
    """One result of the SHACL check, in words a reader can act on."""

    focus_node: str  # "<https://…/dataset/1>", or how a blank node is reached
    path: str  # "dcat:accessURL"
    severity: str  # "Violation", "Warning" or "Info"
    message: str
    shape: str  # the DCAT-AP shape: "Distribution_Property_dcat_accessURL"

    def __str__(self) -> str:
        return f"{self.focus_node} {self.path}: {self.message} ({self.shape})"


@cache
def shapes() -> Graph:
    """Parsed once per process: 559 triples."""
    return Graph().parse(SHAPES_FILE, format="turtle")


def violations(graph: Graph) -> list[Violation]:
    """The graph's results against the DCAT-AP 2.1.1 shapes, sorted; [] when
    it conforms. No inference; the graph is not changed."""
    _conforms, results, _text = validate(
        graph, shacl_graph=shapes(), inference="none", inplace=True, allow_warnings=True
    )
    assert isinstance(results, Graph)
    found = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = results.value(result, SH.sourceShape)
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        severity = results.value(result, SH.resultSeverity)
        found.append(
            Violation(
                focus_node=describe(graph, focus),
                path=qname(path),
                severity=str(severity).rsplit("#", 1)[-1],
                message=explain(results, result),
                shape=str(shape).rsplit("#", 1)[-1] if isinstance(shape, URIRef) else "",
            )
        )
    return sorted(found, key=lambda v: (v.focus_node, v.path, v.shape, v.message))


def qname(node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return shapes().namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    return str(node)


def describe(graph: Graph, node: Node | None, depth: int = 0) -> str:
    """An IRI as <…>; a blank node by how it is reached, since its id means
    nothing: "spdx:checksum of <https://…/resource/1>"."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if isinstance(node, BNode) and depth < 3:
        for subject, predicate in graph.subject_predicates(node):
            return f"{qname(predicate)} of {describe(graph, subject, depth + 1)}"
    return "[]"


def explain(results: Graph, result: Node) -> str:
    """The constraint in words, with its parameter from the shape."""
    shape = results.value(result, SH.sourceShape)
    component = results.value(result, SH.sourceConstraintComponent)
    value = results.value(result, SH.value)
    parameter = shapes().value

    if component == SH.MinCountConstraintComponent:
        return _("required: at least %d value") % int(str(parameter(shape, SH.minCount)))
    if component == SH.MaxCountConstraintComponent:
        return _("at most %d value allowed, more found") % int(str(parameter(shape, SH.maxCount)))
    if component == SH.NodeKindConstraintComponent:
        kind = parameter(shape, SH.nodeKind)
        if kind == SH.Literal:
            return _("must be text, not an address (found %s)") % qname(value)
        return _("must be an address (IRI), not text (found %s)") % str(value)
    if component == SH.DatatypeConstraintComponent:
        return _("must be typed %(datatype)s (found %(value)s)") % {
            "datatype": qname(parameter(shape, SH.datatype)),
            "value": value.n3() if value is not None else "",
        }
    if component == SH.HasValueConstraintComponent:
        return _("must be %s") % qname(parameter(shape, SH.hasValue))
    return str(results.value(result, SH.resultMessage) or component)
