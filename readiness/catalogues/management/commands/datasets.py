"""`readiness datasets`: the open data inventory from the command line."""

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.assessments.models import Assessment
from readiness.catalogues import selectors, services
from readiness.catalogues.harvest import PAUSE_SECONDS, harvest_catalogue
from readiness.catalogues.models import Catalogue, CatalogueRun
from readiness.catalogues.services.inventory import new_run
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError
from readiness.core.formatting import number
from readiness.core.history import Actor

# The kind of catalogue a new one is made as, from the file's extension.
KIND_OF_FILE = {
    ".json": Catalogue.Kind.CKAN,
    ".rdf": Catalogue.Kind.DCAT,
    ".xml": Catalogue.Kind.DCAT,
    ".ttl": Catalogue.Kind.DCAT,
    ".jsonld": Catalogue.Kind.DCAT,
    ".csv": Catalogue.Kind.SPREADSHEET,
    ".xlsx": Catalogue.Kind.SPREADSHEET,
}
FORMATS = list(services.EXPORT_FORMATS)


class Command(ReadinessCommand):
    help = gettext_lazy(
        "The open data inventory: import a catalogue file, harvest a portal, "
        "summarise, export, list the catalogues."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        load = actions.add_parser(
            "import", help=_("import a CKAN, DCAT, CSV or XLSX file, all or nothing")
        )
        add_actor_argument(load)
        load.add_argument("slug")
        load.add_argument("file", type=Path)
        load.add_argument(
            "--catalogue", help=_("the catalogue's key (made when new; default: from the file)")
        )
        load.add_argument("--title", help=_("the title of a new catalogue"))
        harvest = actions.add_parser(
            "harvest",
            help=_("harvest a portal (CKAN API, or DCAT paged with Hydra), here and now"),
        )
        add_actor_argument(harvest)
        harvest.add_argument("slug")
        harvest.add_argument("url")
        harvest.add_argument("--catalogue", help=_("the catalogue's key (made when new)"))
        harvest.add_argument(
            "--kind",
            choices=[Catalogue.Kind.CKAN, Catalogue.Kind.DCAT],
            default=Catalogue.Kind.CKAN,
            help=_("the kind of portal of a new catalogue (default: ckan)"),
        )
        harvest.add_argument(
            "--max-datasets",
            type=int,
            default=services.DEFAULT_MAX_DATASETS,
            help=_("import at most this many datasets"),
        )
        harvest.add_argument(
            "--max-seconds",
            type=float,
            default=services.DEFAULT_MAX_SECONDS,
            help=_("stop (resumably) after this many seconds"),
        )
        summary = actions.add_parser("summary", help=_("the inventory's counts and their rule"))
        summary.add_argument("slug")
        summary.add_argument("--catalogue", help=_("one catalogue only"))
        export = actions.add_parser("export", help=_("write the inventory to a file"))
        export.add_argument("slug")
        export.add_argument("--format", required=True, choices=FORMATS)
        export.add_argument("-o", "--output", type=Path, required=True)
        export.add_argument("--catalogue", help=_("one catalogue only"))
        listing = actions.add_parser("list", help=_("the catalogues and their datasets"))
        listing.add_argument("slug")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = actor_named(options.get("actor"))
            assessment = selectors.inventory_assessment(actor, options["slug"])
            getattr(self, "do_" + options["action"])(actor, assessment, options)
        except ServiceError as error:
            raise CommandError(_("nothing was changed: %(error)s") % {"error": error}) from None
        except OSError as error:
            raise CommandError(str(error)) from None

    def catalogue(
        self, actor: Actor, assessment: Assessment, key: str, kind: str, title: str
    ) -> Catalogue:
        found = Catalogue.objects.filter(assessment=assessment, key=key.lower()).first()
        if found is not None:
            return found
        return services.create_catalogue(
            actor=actor, assessment=assessment, key=key, title=title, kind=kind
        )

    def progress(self, done: int) -> None:
        sys.stderr.write("\r" + _("%(count)s datasets") % {"count": number(done)})
        sys.stderr.flush()

    def do_import(self, actor: Actor, assessment: Assessment, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        key = options["catalogue"] or slugify(path.stem)[:40] or "catalogue"
        with transaction.atomic():
            catalogue = self.catalogue(
                actor,
                assessment,
                key,
                KIND_OF_FILE.get(path.suffix.lower(), Catalogue.Kind.SPREADSHEET),
                options["title"] or path.name,
            )
            with path.open("rb") as stream:
                outcome = services.import_file(
                    catalogue, stream, path.name, actor=actor, progress=self.progress
                )
        sys.stderr.write("\n")
        self.stdout.write(
            _("%(key)s: %(added)s added, %(changed)s changed, %(removed)s removed")
            % {
                "key": catalogue.key,
                "added": number(outcome.added),
                "changed": number(outcome.changed),
                "removed": number(outcome.removed),
            }
        )
        for warning in outcome.warnings:
            self.stderr.write(_("warning: %s") % warning)

    def do_harvest(self, actor: Actor, assessment: Assessment, options: dict[str, Any]) -> None:
        url = options["url"]
        key = options["catalogue"] or "portal"
        with transaction.atomic():
            catalogue = self.catalogue(actor, assessment, key, options["kind"], url[:300])
            run = new_run(
                actor=actor,
                catalogue=catalogue,
                kind=CatalogueRun.Kind.HARVEST,
                source=url,
                limits={
                    "max_datasets": options["max_datasets"],
                    "max_seconds": options["max_seconds"],
                },
            )
        run = harvest_catalogue(
            run,
            max_datasets=options["max_datasets"],
            max_seconds=options["max_seconds"],
            pause_seconds=PAUSE_SECONDS,
        )
        self.stdout.write(
            _("%(key)s: %(status)s; %(added)s added, %(changed)s changed, %(removed)s removed")
            % {
                "key": catalogue.key,
                "status": run.get_status_display(),
                "added": number(run.added),
                "changed": number(run.changed),
                "removed": number(run.removed),
            }
        )
        for warning in run.warnings:
            self.stderr.write(_("warning: %s") % warning)
        if run.status == CatalogueRun.Status.FAILED:
            raise CommandError(run.error)

    def do_summary(self, actor: Actor, assessment: Assessment, options: dict[str, Any]) -> None:
        target = (
            selectors.get_catalogue(assessment, options["catalogue"])
            if options["catalogue"]
            else assessment
        )
        found = selectors.summary(target)
        self.stdout.write(
            _("%(datasets)s datasets, %(distributions)s distributions")
            % {
                "datasets": number(found.total_datasets),
                "distributions": number(found.total_distributions),
            }
        )
        self.stdout.write(found.counting_rule)
        for dimension in selectors.DIMENSION_NAMES:
            self.stdout.write("")
            self.stdout.write(
                _("By %(dimension)s:") % {"dimension": selectors.dimension_title(dimension)}
            )
            for tally in found.counts(dimension):
                self.stdout.write(f"  {number(tally.count):>8}  {tally.label}")
        self.stdout.write("")
        for tally in (found.quick_wins_including_mixed, found.priority_including_mixed):
            self.stdout.write(f"{tally.label}: {number(tally.count)}")
        if found.unmatched_publishers:
            self.stdout.write(
                _("Publishers not in the register: %s") % "; ".join(found.unmatched_publishers)
            )
        if found.unknown_licences:
            self.stdout.write(_("Licences not known: %s") % "; ".join(found.unknown_licences))

    def do_export(self, actor: Actor, assessment: Assessment, options: dict[str, Any]) -> None:
        target = (
            selectors.get_catalogue(assessment, options["catalogue"])
            if options["catalogue"]
            else assessment
        )
        exported = services.export_catalogue(target, options["format"])
        options["output"].write_bytes(exported.content)
        self.stdout.write(_("wrote %(file)s") % {"file": options["output"]})

    def do_list(self, actor: Actor, assessment: Assessment, options: dict[str, Any]) -> None:
        for catalogue in selectors.catalogues_of(assessment):
            self.stdout.write(
                f"{catalogue.key}\t{catalogue.get_kind_display()}\t"
                f"{number(getattr(catalogue, 'dataset_count', 0))}\t{catalogue.title}"
            )
