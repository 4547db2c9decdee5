"""The registers in the web: a country's organisations (search, add, edit,
delete, CSV import and export) and suggestions for the jurisdiction picker.
Everyone signed in reads; the services say who may change (403 otherwise)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readiness.core.errors import EditConflict, InvalidInput, NotFound
from readiness.core.responses import attachment
from readiness.registry import services
from readiness.registry.forms import (
    FORM_FIELDS,
    OrganisationForm,
    jurisdiction_label,
)
from readiness.registry.models import Jurisdiction, Organisation

# Suggestions sent while the user types: enough to choose from, small to send.
MAX_SUGGESTIONS = 30


def country_or_404(country: str) -> Jurisdiction:
    try:
        return services.country_jurisdiction(country)
    except (InvalidInput, NotFound):
        raise Http404(_("no country %s in ISO 3166") % country) from None


def organisation_or_404(country: str, abbreviation: str) -> Organisation:
    try:
        return services.get_organisation(country, abbreviation)
    except NotFound as error:
        raise Http404(str(error)) from None


def add_service_errors(form: OrganisationForm, error: InvalidInput) -> None:
    for item in error.errors:
        field = FORM_FIELDS.get(item.path, item.path.split("[")[0])
        form.add_error(field if field in form.fields else None, item.message)


@login_required
@require_GET
def register_index(request: HttpRequest) -> HttpResponse:
    """The countries that have a register, and a way to open any other."""
    countries = Jurisdiction.objects.filter(
        level=Jurisdiction.Level.COUNTRY,
        code__in=Organisation.objects.values("country_code"),
    )
    chosen = request.GET.get("country", "").strip().upper()
    if chosen:
        return redirect("registry:organisations", country=country_or_404(chosen).code)
    return render(
        request,
        "registry/index.html",
        {
            "registers": [(c, jurisdiction_label(c)) for c in countries],
            "countries": [
                (c.code, jurisdiction_label(c))
                for c in Jurisdiction.objects.filter(level=Jurisdiction.Level.COUNTRY)
            ],
        },
    )


@login_required
@require_GET
def organisation_list(request: HttpRequest, country: str) -> HttpResponse:
    return list_page(request, country_or_404(country))


def list_page(request: HttpRequest, register: Jurisdiction, status: int = 200) -> HttpResponse:
    """The register page; 422 when it shows why an import was refused."""
    query = request.GET.get("q", "")[:200]
    kind = request.GET.get("kind", "")
    kind = kind if kind in Organisation.Kind.values else ""
    return render(
        request,
        "registry/organisations.html",
        {
            "country": register,
            "country_name": jurisdiction_label(register),
            "organisations": services.search_organisations(register.code, query, kind),
            "query": query,
            "kind": kind,
            "kinds": Organisation.Kind.choices,
            "may_change": services.may_own_register(request.user),
        },
        status=status,
    )


def form_page(
    request: HttpRequest, register: Jurisdiction, form: OrganisationForm, **context: Any
) -> HttpResponse:
    return render(
        request,
        "registry/organisation_form.html",
        {
            "country": register,
            "country_name": jurisdiction_label(register),
            "form": form,
            **context,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_add(request: HttpRequest, country: str) -> HttpResponse:
    register = country_or_404(country)
    services.require_owner(request.user)
    form = OrganisationForm(request.POST or None, country=register.code)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.create_organisation(request.user, register.code, form.entry())
        except InvalidInput as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%s added to the register.") % organisation.abbreviation)
            return redirect("registry:organisations", country=register.code)
    return form_page(request, register, form)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, country: str, abbreviation: str) -> HttpResponse:
    register = country_or_404(country)
    organisation = organisation_or_404(register.code, abbreviation)
    services.require_owner(request.user)
    form = OrganisationForm(
        request.POST or None,
        country=register.code,
        initial=OrganisationForm.initial_for(organisation),
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.update_organisation(
                request.user,
                register.code,
                organisation.abbreviation,
                form.entry(),
                form.cleaned_data["version"],
            )
        except InvalidInput as error:
            add_service_errors(form, error)
        except EditConflict as error:
            conflict = error
            form.add_error(None, error.message)
        else:
            messages.success(request, _("%s changed.") % changed.abbreviation)
            return redirect("registry:organisations", country=register.code)
    response = form_page(
        request, register, form, organisation=organisation, uses=services.uses(organisation)
    )
    if conflict is not None:
        response.status_code = conflict.status
    return response


@login_required
@require_POST
def organisation_delete(request: HttpRequest, country: str, abbreviation: str) -> HttpResponse:
    register = country_or_404(country)
    organisation = organisation_or_404(register.code, abbreviation)
    version = request.POST.get("version", "")
    services.delete_organisation(
        request.user,
        register.code,
        organisation.abbreviation,
        int(version) if version.isdigit() else None,
    )
    messages.success(request, _("%s deleted from the register.") % organisation.abbreviation)
    return redirect("registry:organisations", country=register.code)


@login_required
@require_GET
def organisation_export(request: HttpRequest, country: str) -> HttpResponse:
    register = country_or_404(country)
    return attachment(
        services.export_csv(register.code).encode("utf-8"),
        "text/csv; charset=utf-8",
        f"organisations-{register.code}.csv",
    )


@login_required
@require_POST
def organisation_import(request: HttpRequest, country: str) -> HttpResponse:
    register = country_or_404(country)
    services.require_owner(request.user)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV file to import."))
        return redirect("registry:organisations", country=register.code)
    try:
        result = services.import_csv(
            request.user, register.code, services.read_csv_upload(upload), upload.name or ""
        )
    except InvalidInput as error:
        messages.error(request, str(error))
        return list_page(request, register, status=422)
    messages.success(
        request,
        _("Imported: %(created)d added, %(updated)d changed, %(unchanged)d unchanged.")
        % result.__dict__,
    )
    return redirect("registry:organisations", country=register.code)


@login_required
@require_GET
def jurisdiction_options(request: HttpRequest) -> HttpResponse:
    """Suggestions for a jurisdiction picker: the `<option>`s matching what
    was typed into the field named by `field`."""
    query = request.GET.get(request.GET.get("field", "q"), "")[:200]
    rows = services.search_jurisdictions(query)[:MAX_SUGGESTIONS] if query.strip() else []
    return render(
        request,
        "registry/_options.html",
        {"options": [(j.code, f"{j.code} · {jurisdiction_label(j)}") for j in rows]},
    )
