"""The open data inventory in the web: parse the form, call a service or a
selector (readiness.catalogues.services, .selectors), render. Refusals of the
service layer become pages with their status (ServiceErrorMiddleware); a
refused form is shown again, as typed, with each error beside its field."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.assessments import services as assessment_services
from readiness.assessments.access import access_to, check_editable_state
from readiness.assessments.models import Assessment
from readiness.assessments.permissions import Action
from readiness.catalogues import filters as dataset_filters
from readiness.catalogues import scoring, selectors, services
from readiness.catalogues.forms import (
    CatalogueForm,
    CiteForm,
    DatasetForm,
    HarvestForm,
    ImportForm,
    distribution_formset,
)
from readiness.catalogues.models import Catalogue, CatalogueRun, Dataset
from readiness.catalogues.records import Access, Recommendation
from readiness.catalogues.services import citations
from readiness.core.errors import EditConflict, InvalidInput
from readiness.core.filtering import PageQuery, read_query
from readiness.core.forms import add_service_errors
from readiness.core.history import acting_user
from readiness.core.responses import attachment
from readiness.frameworks.models import Question

# The runs that are still under way: their page asks again every few seconds.
BUSY = {CatalogueRun.Status.QUEUED, CatalogueRun.Status.RUNNING}
RECENT_RUNS = 10
EXPORT_FORMATS = {
    "csv": "CSV",
    "xlsx": "XLSX",
    "dcat-ttl": gettext_lazy("DCAT-AP, Turtle"),
    "dcat-jsonld": gettext_lazy("DCAT-AP, JSON-LD"),
}


def context_of(request: HttpRequest, assessment: Assessment, **extra: Any) -> dict[str, Any]:
    return {
        "assessment": assessment,
        "access": access_to(acting_user(request.user), assessment),
        **extra,
    }


def editable_assessment(request: HttpRequest, slug: str) -> Assessment:
    """The assessment, if the user may change its inventory now: the forms are
    offered only where they can be saved. The services check again, under the
    assessment's row lock, when they save."""
    assessment = assessment_services.get_assessment(request.user, slug, Action.EDIT)
    check_editable_state(assessment)
    return assessment


def catalogue_address(catalogue: Catalogue) -> str:
    return reverse("catalogues:catalogue", args=[catalogue.assessment.slug, catalogue.key])


def dataset_address(dataset: Dataset) -> str:
    catalogue = dataset.catalogue
    return reverse(
        "catalogues:dataset", args=[catalogue.assessment.slug, catalogue.key, dataset.pk]
    )


# --- reading ---------------------------------------------------------------------


@login_required
@require_GET
def inventory(request: HttpRequest, slug: str) -> HttpResponse:
    """The catalogues and the datasets of all of them, searched, filtered,
    sorted and paged as in the API, the state in the address."""
    assessment = selectors.inventory_assessment(request.user, slug)
    filters = read_query(dataset_filters.DatasetFilters, request.GET)
    page = dataset_filters.dataset_page(
        selectors.datasets_of(assessment).prefetch_related("distributions"),
        filters,
        read_query(PageQuery, request.GET),
    )
    with_band_labels(page.items)
    return render(
        request,
        "catalogues/inventory.html",
        context_of(
            request,
            assessment,
            page=page,
            filters=filters,
            catalogues=selectors.catalogues_of(assessment),
            recommendations=Recommendation.choices,
            accesses=Access.choices,
            bands=scoring.Band.choices,
            licence_states=LICENCE_STATES,
            star_levels=range(0, scoring.MAX_STARS + 1),
            exports=EXPORT_FORMATS,
        ),
    )


@login_required
@require_GET
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The counts, each computed from the rows, with the rule that counts them;
    of one catalogue with ?catalogue=KEY."""
    assessment = selectors.inventory_assessment(request.user, slug)
    key = request.GET.get("catalogue", "")
    catalogue = selectors.get_catalogue(assessment, key) if key else None
    counted = selectors.summary(catalogue or assessment)
    context = context_of(
        request,
        assessment,
        catalogue=catalogue,
        catalogues=selectors.catalogues_of(assessment),
        summary=counted,
        tables=[
            (name, selectors.dimension_title(name), counted.counts(name))
            for name in selectors.DIMENSION_NAMES
        ],
    )
    context["may_cite"] = context["access"].can_edit_now
    return render(request, "catalogues/summary.html", context)


@login_required
@require_GET
def catalogue_page(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assessment = selectors.inventory_assessment(request.user, slug)
    return catalogue_response(request, assessment, selectors.get_catalogue(assessment, key))


def catalogue_response(
    request: HttpRequest,
    assessment: Assessment,
    catalogue: Catalogue,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    """The catalogue with its import, harvest and link-check forms; 422 when
    it shows why one of them was refused."""
    return render(
        request,
        "catalogues/catalogue.html",
        context_of(
            request,
            assessment,
            catalogue=catalogue,
            dataset_count=selectors.datasets_of(catalogue).count(),
            runs=list(catalogue.runs.select_related("created_by")[:RECENT_RUNS]),
            import_form=forms.get("import_form") or ImportForm(),
            harvest_form=forms.get("harvest_form")
            or HarvestForm(initial={"url": catalogue.url} if catalogue.url else None),
            error=forms.get("error"),
            exports=EXPORT_FORMATS,
        ),
        status=status,
    )


@login_required
@require_GET
def dataset_page(request: HttpRequest, slug: str, key: str, dataset_id: int) -> HttpResponse:
    """All of a dataset's fields, its distributions, and each score with its reasons."""
    assessment = selectors.inventory_assessment(request.user, slug)
    dataset = selectors.get_dataset(selectors.get_catalogue(assessment, key), dataset_id)
    score = score_of(dataset)
    with_band_labels([dataset])
    return render(
        request,
        "catalogues/dataset.html",
        context_of(
            request,
            assessment,
            dataset=dataset,
            score=score,
            quality=[
                QualityRow(
                    label=str(label),
                    points=getattr(score, name),
                    maximum=maximum,
                    indicators=[i for i in score.indicators if i.dimension == name],
                )
                for name, (label, maximum) in scoring.DIMENSIONS.items()
            ],
        ),
    )


@dataclass(frozen=True)
class QualityRow:
    """One MQA dimension of a dataset's metadata quality, with its indicators."""

    label: str
    points: int
    maximum: int
    indicators: list[scoring.Indicator]


def with_band_labels(datasets: list[Dataset]) -> None:
    """Each dataset's metadata quality band by its name in the visitor's language."""
    labels = dict(scoring.Band.choices)
    for dataset in datasets:
        dataset.band_label = labels.get(dataset.quality_band, "")  # type: ignore[attr-defined]


def score_of(dataset: Dataset) -> scoring.DatasetScore:
    """The dataset's scores worked out again, for their reasons (the row keeps
    only the points)."""
    record = next(selectors.dataset_records(Dataset.objects.filter(pk=dataset.pk)))
    statuses = [(d.access_url_status, d.download_url_status) for d in dataset.distributions.all()]
    return scoring.score(record, statuses)


@login_required
@require_GET
def run_page(request: HttpRequest, slug: str, key: str, run_id: int) -> HttpResponse:
    """An import, harvest or link check: its progress while it runs (htmx asks
    for the fragment again every few seconds), then its outcome."""
    assessment = selectors.inventory_assessment(request.user, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    run = selectors.get_run(catalogue, run_id)
    template = "catalogues/_run.html" if request.htmx else "catalogues/run.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        context_of(request, assessment, catalogue=catalogue, run=run, busy=run.status in BUSY),
    )


@login_required
@require_GET
def export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """The inventory (or one catalogue, ?catalogue=KEY) as a file."""
    assessment = selectors.inventory_assessment(request.user, slug)
    key = request.GET.get("catalogue", "")
    catalogue = selectors.get_catalogue(assessment, key) if key else None
    if fmt not in EXPORT_FORMATS:
        raise InvalidInput.single("format", _("not one of: %s") % ", ".join(EXPORT_FORMATS))
    exported = services.export_catalogue(catalogue or assessment, fmt)
    return attachment(exported.content, exported.content_type, exported.filename)


# --- catalogues ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_catalogue(request: HttpRequest, slug: str) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    form = CatalogueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            catalogue = services.create_catalogue(
                actor=request.user,
                assessment=assessment,
                key=data["key"],
                title=data["title"],
                kind=data["kind"],
                url=data["url"],
                description=data["description"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The catalogue is added."))
            return redirect(catalogue_address(catalogue))
    return render(
        request,
        "catalogues/catalogue_form.html",
        context_of(request, assessment, form=form, catalogue=None),
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_catalogue(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A save based on a stale version is refused (409) and shows what is stored now."""
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    initial = {name: getattr(catalogue, name) for name in CatalogueForm.CHANGES}
    form = CatalogueForm(
        request.POST or None, editing=True, initial={**initial, "version": catalogue.version}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.update_catalogue(
                actor=request.user,
                catalogue=catalogue,
                expected_version=data["version"],
                changes={name: data[name] for name in CatalogueForm.CHANGES},
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            form = CatalogueForm(seen_version(request, error), editing=True)
            form.is_valid()
        else:
            messages.success(request, _("The catalogue is saved."))
            return redirect(catalogue_address(catalogue))
    return render(
        request,
        "catalogues/catalogue_form.html",
        context_of(request, assessment, form=form, catalogue=catalogue, conflict=conflict),
        status=409 if conflict else 422 if form.errors else 200,
    )


def seen_version(request: HttpRequest, conflict: EditConflict) -> Any:
    """What was typed, based on the version stored now: saving again, having
    seen it, is a deliberate overwrite."""
    typed = request.POST.copy()
    typed["version"] = str(conflict.current_version)
    return typed


# --- datasets --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def add_dataset(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """A dataset, or a database not yet online, added by hand."""
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    data = request.POST if request.method == "POST" else None
    form = DatasetForm(data, initial={"access": request.GET.get("access") or Access.ONLINE})
    distributions = distribution_formset(data)
    if request.method == "POST" and form.is_valid() and distributions.is_valid():
        try:
            dataset = services.create_dataset(
                actor=request.user,
                catalogue=catalogue,
                fields=form.fields_for_service(),
                distributions=distributions.distributions(),
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The dataset is added."))
            return redirect(dataset_address(dataset))
    return render(
        request,
        "catalogues/dataset_form.html",
        context_of(
            request,
            assessment,
            catalogue=catalogue,
            dataset=None,
            form=form,
            distributions=distributions,
        ),
        status=422 if form.errors or distributions.total_error_count() else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_dataset(request: HttpRequest, slug: str, key: str, dataset_id: int) -> HttpResponse:
    """A save based on a stale version is refused (409) and shows what is
    stored now, keeping what was typed."""
    assessment = editable_assessment(request, slug)
    dataset = selectors.get_dataset(selectors.get_catalogue(assessment, key), dataset_id)
    conflict = None
    if request.method == "GET":
        form = DatasetForm(initial=DatasetForm.initial_of(dataset))
        distributions = distribution_formset(dataset=dataset)
    else:
        form = DatasetForm(request.POST)
        distributions = distribution_formset(request.POST)
        if form.is_valid() and distributions.is_valid():
            try:
                services.update_dataset(
                    actor=request.user,
                    dataset=dataset,
                    expected_version=form.cleaned_data["version"],
                    changes=form.fields_for_service(),
                    distributions=distributions.distributions(),
                )
            except InvalidInput as error:
                add_service_errors(form, error)
            except EditConflict as error:
                conflict = error
                form = DatasetForm(seen_version(request, error))
                form.is_valid()
            else:
                messages.success(request, _("The dataset is saved."))
                return redirect(dataset_address(dataset))
    status = 409 if conflict else 422 if form.errors or distributions.total_error_count() else 200
    return render(
        request,
        "catalogues/dataset_form.html",
        context_of(
            request,
            assessment,
            catalogue=dataset.catalogue,
            dataset=dataset,
            form=form,
            distributions=distributions,
            conflict=conflict,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_dataset(request: HttpRequest, slug: str, key: str, dataset_id: int) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    dataset = selectors.get_dataset(selectors.get_catalogue(assessment, key), dataset_id)
    return deletion_page(
        request,
        assessment,
        dataset,
        partial(services.delete_dataset, dataset=dataset),
        "catalogues/dataset_delete.html",
        dataset=dataset,
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete_catalogue(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    return deletion_page(
        request,
        assessment,
        catalogue,
        partial(services.delete_catalogue, catalogue=catalogue),
        "catalogues/catalogue_delete.html",
        catalogue=catalogue,
        dataset_count=catalogue.datasets.count(),
    )


def deletion_page(
    request: HttpRequest,
    assessment: Assessment,
    item: Catalogue | Dataset,
    delete: Callable[..., None],
    template: str,
    **context: Any,
) -> HttpResponse:
    """A page that asks first; the deletion, at the version the page showed
    (409 and the item as it is now when it changed since), is in the
    inventory's history."""
    conflict = None
    if request.method == "POST":
        version = request.POST.get("version", "")
        try:
            delete(actor=request.user, expected_version=int(version) if version.isdigit() else None)
        except EditConflict as error:
            conflict = error
            item.refresh_from_db()
        else:
            messages.success(request, _("“%(title)s” is deleted.") % {"title": item.title})
            return redirect("catalogues:inventory", slug=assessment.slug)
    return render(
        request,
        template,
        context_of(request, assessment, conflict=conflict, **context),
        status=409 if conflict else 200,
    )


# --- imports, harvests, link checks ----------------------------------------------


@login_required
@require_POST
def import_file(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """All or nothing: the outcome (added, changed, removed, warnings) on the
    run's page, or the error, naming the record and field, on the catalogue's."""
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            outcome = services.import_file(catalogue, upload, upload.name or "", actor=request.user)
        except InvalidInput as error:
            return catalogue_response(
                request, assessment, catalogue, status=422, import_form=form, error=str(error)
            )
        return redirect(run_address(outcome.run))
    return catalogue_response(request, assessment, catalogue, status=422, import_form=form)


def run_address(run: CatalogueRun) -> str:
    catalogue = run.catalogue
    return reverse("catalogues:run", args=[catalogue.assessment.slug, catalogue.key, run.pk])


@login_required
@require_POST
def harvest(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Starts a harvest in the background, bounded in datasets and time."""
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    form = HarvestForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            run = services.start_harvest(
                actor=request.user,
                catalogue=catalogue,
                url=data["url"],
                max_datasets=data["max_datasets"],
                max_seconds=data["max_seconds"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            return redirect(run_address(run))
    return catalogue_response(request, assessment, catalogue, status=422, harvest_form=form)


@login_required
@require_POST
def check_links(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Starts a check, in the background, of every address of the catalogue's distributions."""
    assessment = editable_assessment(request, slug)
    catalogue = selectors.get_catalogue(assessment, key)
    run = services.start_link_check(actor=request.user, catalogue=catalogue)
    return redirect(run_address(run))


# --- citing a figure -------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cite(request: HttpRequest, slug: str) -> HttpResponse:
    """A figure of the inventory (?kind=count&dimension=…&value=…) as evidence
    for a question; it stays linked and is refreshed when the inventory changes."""
    assessment = editable_assessment(request, slug)
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind", "")
    parameters = {name: source[name] for name in citations.PARAMETERS if source.get(name)}
    cleaned = citations.checked_parameters(assessment, kind, parameters)
    figure = citations.figure_text(
        assessment, kind, cleaned, selectors.figure_value(assessment, kind, cleaned)
    )
    questions = (
        Question.objects.filter(framework__in=assessment.frameworks.all())
        .select_related("framework", "dimension")
        .order_by("framework__key", "order")
    )
    form = CiteForm(request.POST or None, questions=questions)
    if request.method == "POST" and form.is_valid():
        question = form.questions[form.cleaned_data["question"]]
        try:
            services.cite_figure(
                actor=request.user,
                assessment=assessment,
                question=question,
                kind=kind,
                parameters=parameters,
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The figure is cited as evidence for question %(question)s.")
                % {"question": f"{question.framework.key.upper()} {question.key}"},
            )
            url = reverse(
                "assessments:dimension",
                args=[assessment.slug, question.framework.key, question.dimension.key],
            )
            return redirect(f"{url}#q-{question.pk}")
    return render(
        request,
        "catalogues/cite.html",
        context_of(request, assessment, figure=figure, form=form, kind=kind, parameters=parameters),
        status=422 if form.errors else 200,
    )


LICENCE_STATES = [
    ("open", gettext_lazy("Open")),
    ("not_open", gettext_lazy("Not open")),
    ("unknown", gettext_lazy("Unknown")),
]
