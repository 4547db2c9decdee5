"""Inventory figures cited as evidence: a count of datasets (by a dimension
and value or in all), a metadata quality score (of a dataset or the mean of
the datasets), or a list of titles. The evidence text is written from the
figure in the language it was cited in, and rewritten through the evidence
service (history, a new version) whenever the figure changes."""

from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from readiness.assessments import services as assessment_services
from readiness.assessments.models import Assessment, Evidence
from readiness.catalogues import selectors
from readiness.catalogues.models import FigureCitation
from readiness.catalogues.scoring import MAX_POINTS, MAX_STARS
from readiness.core.errors import FieldError, InvalidInput
from readiness.core.formatting import number
from readiness.core.history import Actor
from readiness.frameworks.models import Question

PARAMETERS = ("catalogue", "dimension", "value", "dataset")


def checked_parameters(
    assessment: Assessment, kind: str, parameters: dict[str, Any]
) -> dict[str, Any]:
    """The parameters as stored, or InvalidInput naming the one at fault."""
    errors: list[FieldError] = []
    if kind not in FigureCitation.Kind.values:
        errors.append(
            FieldError("kind", _("must be one of: %s") % ", ".join(FigureCitation.Kind.values))
        )
    unknown = sorted(set(parameters) - set(PARAMETERS))
    errors += [
        FieldError(f"parameters.{name}", _("not a parameter of a figure")) for name in unknown
    ]
    cleaned = {name: parameters.get(name) or None for name in PARAMETERS}
    for name, value in cleaned.items():
        if value is not None and not isinstance(value, str):
            errors.append(FieldError(f"parameters.{name}", _("must be text")))
    if errors:
        raise InvalidInput(errors)
    if cleaned["catalogue"]:
        cleaned["catalogue"] = selectors.get_catalogue(assessment, cleaned["catalogue"]).key
    dimension = cleaned["dimension"]
    if dimension and dimension not in selectors.DIMENSION_NAMES:
        errors.append(
            FieldError(
                "parameters.dimension",
                _("must be one of: %s") % ", ".join(selectors.DIMENSION_NAMES),
            )
        )
    if dimension and cleaned["value"] is None:
        errors.append(FieldError("parameters.value", _("the value of the dimension to count")))
    if cleaned["dataset"] and (kind != FigureCitation.Kind.SCORE or not cleaned["catalogue"]):
        errors.append(FieldError("parameters.dataset", _("only for a score, with its catalogue")))
    if errors:
        raise InvalidInput(errors)
    return cleaned


def figure_text(
    assessment: Assessment, kind: str, parameters: dict[str, Any], value: dict[str, Any]
) -> str:
    """The evidence text of a figure, in the active language."""
    if "missing_catalogue" in value:
        return _("The catalogue %(key)s is no longer in the open data inventory.") % {
            "key": value["missing_catalogue"]
        }
    if parameters.get("catalogue"):
        catalogue = selectors.get_catalogue(assessment, parameters["catalogue"])
        scope = _("the catalogue “%(title)s”") % {"title": catalogue.title}
    else:
        scope = _("the open data inventory")
    which = ""
    if parameters.get("dimension"):
        which = _(" whose %(dimension)s is “%(value)s”") % {
            "dimension": selectors.dimension_title(parameters["dimension"]),
            "value": selectors.value_label(parameters["dimension"], str(parameters["value"])),
        }
    if "missing" in value:
        return _("The dataset %(identifier)s is no longer in %(scope)s.") % {
            "identifier": value["missing"],
            "scope": scope,
        }
    if "points" in value:
        return _(
            "Dataset “%(title)s” in %(scope)s: %(points)s of %(maximum)s metadata quality "
            "points (%(band)s), %(stars)s of %(max_stars)s stars."
        ) % {
            "title": value["title"],
            "scope": scope,
            "points": number(value["points"]),
            "maximum": number(MAX_POINTS),
            "band": value["band"] or _("no band"),
            "stars": number(value["stars"]),
            "max_stars": number(MAX_STARS),
        }
    count = number(value["count"])
    if kind == FigureCitation.Kind.SCORE:
        if value["mean"] is None:
            return _("Datasets in %(scope)s%(which)s: none, so no mean metadata quality.") % {
                "scope": scope,
                "which": which,
            }
        return _(
            "Mean metadata quality of the %(count)s datasets in %(scope)s%(which)s: "
            "%(mean)s of %(maximum)s points."
        ) % {
            "count": count,
            "scope": scope,
            "which": which,
            "mean": number(value["mean"], 1),
            "maximum": number(MAX_POINTS),
        }
    if kind == FigureCitation.Kind.TITLES:
        titles = "; ".join(value["titles"]) or "–"
        left_out = value["count"] - len(value["titles"])
        more = _(" (and %(count)s more)") % {"count": number(left_out)} if left_out > 0 else ""
        return _("Datasets in %(scope)s%(which)s (%(count)s): %(titles)s%(more)s.") % {
            "scope": scope,
            "which": which,
            "count": count,
            "titles": titles,
            "more": more,
        }
    return _("Datasets in %(scope)s%(which)s: %(count)s.") % {
        "scope": scope,
        "which": which,
        "count": count,
    }


@transaction.atomic
def cite_figure(
    *,
    actor: Actor,
    assessment: Assessment,
    question: Question,
    kind: str,
    parameters: dict[str, Any],
    sign: str = Evidence.Sign.MIXED,
) -> Evidence:
    """Add an evidence item to `question` whose text is the figure."""
    cleaned = checked_parameters(assessment, kind, parameters)
    value = selectors.figure_value(assessment, kind, cleaned)
    catalogue = (
        selectors.get_catalogue(assessment, cleaned["catalogue"]) if cleaned["catalogue"] else None
    )
    evidence = assessment_services.add_evidence(
        actor=actor,
        assessment=assessment,
        question=question,
        sign=sign,
        text=figure_text(assessment, kind, cleaned, value),
        source_kind=Evidence.SourceKind.WEBSITE,
        reference_title=catalogue.title if catalogue else _("Open data inventory"),
        reference_url=catalogue.url if catalogue else "",
    )
    FigureCitation.objects.create(
        evidence=evidence,
        kind=kind,
        parameters=cleaned,
        language=translation.get_language() or "en",
        figure=value,
    )
    return evidence


def refresh_citations(assessment: Assessment, *, actor: Actor) -> int:
    """Rewrite the evidence of every cited figure that changed; how many."""
    refreshed = 0
    citations = FigureCitation.objects.filter(evidence__assessment=assessment).select_related(
        "evidence"
    )
    for citation in citations:
        value = selectors.figure_value(assessment, citation.kind, citation.parameters)
        if value == citation.figure:
            continue
        with translation.override(citation.language):
            text = figure_text(assessment, citation.kind, citation.parameters, value)
        assessment_services.update_evidence(
            actor=actor,
            assessment=assessment,
            evidence_id=citation.evidence_id,
            expected_version=citation.evidence.version,
            changes={"text": text},
        )
        citation.figure = value
        citation.save(update_fields=["figure"])
        refreshed += 1
    return refreshed
