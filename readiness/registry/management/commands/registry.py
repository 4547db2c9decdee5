from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from readiness.core import readers
from readiness.core.commands import ReadinessCommand, actor_named, add_actor_argument
from readiness.core.errors import ServiceError
from readiness.registry import jurisdictions, services
from readiness.registry.models import Jurisdiction, Organisation


def add_entry_arguments(parser: ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--kind", required=required, choices=Organisation.Kind.values)
    parser.add_argument("--name-en", required=required)
    parser.add_argument("--name-vi", required=required)
    parser.add_argument("--abbreviation-vi", help=_("the Vietnamese acronym"))
    parser.add_argument("--jurisdiction", help=_("ISO 3166 code; default: the country"))
    parser.add_argument("--parent", help=_("acronym of the organisation it is part of"))
    parser.add_argument("--alias", action="append", help=_("another name (repeat for more)"))


class Command(ReadinessCommand):
    help = gettext_lazy("The registers: organisations per country and ISO 3166 jurisdictions.")

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        listing = actions.add_parser("organisations", help=_("list or search a country's register"))
        listing.add_argument("country", help=_("ISO 3166-1 alpha-2, e.g. VN"))
        listing.add_argument("--search", default="", help=_("words of an acronym, name or alias"))
        listing.add_argument("--kind", default="", choices=["", *Organisation.Kind.values])
        add = actions.add_parser("add", help=_("add an organisation (register owners only)"))
        add_actor_argument(add)
        add.add_argument("country")
        add.add_argument("abbreviation")
        add_entry_arguments(add, required=True)
        edit = actions.add_parser("edit", help=_("change an organisation (register owners only)"))
        add_actor_argument(edit)
        edit.add_argument("country")
        edit.add_argument("abbreviation")
        edit.add_argument(
            "--version", type=int, required=True, help=_("the version it is based on")
        )
        edit.add_argument("--new-abbreviation")
        add_entry_arguments(edit, required=False)
        delete = actions.add_parser("delete", help=_("delete an organisation nothing names"))
        add_actor_argument(delete)
        delete.add_argument("country")
        delete.add_argument("abbreviation")
        delete.add_argument("--version", type=int, required=True)
        load = actions.add_parser("import-csv", help=_("add and change entries, all or nothing"))
        add_actor_argument(load)
        load.add_argument("country")
        load.add_argument("file", type=Path)
        export = actions.add_parser("export-csv", help=_("write the register as CSV"))
        export.add_argument("country")
        export.add_argument("-o", "--output", type=Path, required=True)
        places = actions.add_parser("jurisdictions", help=_("search countries and subdivisions"))
        places.add_argument("--search", default="")
        places.add_argument("--level", default="", choices=["", *Jurisdiction.Level.values])
        places.add_argument("--country", default="")
        actions.add_parser("sync-jurisdictions", help=_("bring the ISO 3166 list up to date"))

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, "do_" + options["action"].replace("-", "_"))(options)
        except ServiceError as error:
            raise CommandError(str(error)) from None

    def do_organisations(self, options: dict[str, Any]) -> None:
        services.country_jurisdiction(options["country"])
        for o in services.search_organisations(
            options["country"], options["search"], options["kind"]
        ):
            self.stdout.write(
                f"{o.abbreviation}\t{o.abbreviation_vi}\t{o.kind}\t{o.jurisdiction.code}\t"
                f"{o.name.get('en', '')}\t{o.name.get('vi', '')}\tv{o.version}"
            )

    def do_add(self, options: dict[str, Any]) -> None:
        organisation = services.create_organisation(
            actor_named(options["actor"]),
            options["country"],
            {"abbreviation": options["abbreviation"], **entry_options(options, {})},
        )
        self.stdout.write(
            _("added %(abbreviation)s to the register of %(country)s")
            % {"abbreviation": organisation.abbreviation, "country": organisation.country_code}
        )

    def do_edit(self, options: dict[str, Any]) -> None:
        current = services.snapshot(
            services.get_organisation(options["country"], options["abbreviation"])
        )
        organisation = services.update_organisation(
            actor_named(options["actor"]),
            options["country"],
            options["abbreviation"],
            {
                "abbreviation": options["new_abbreviation"] or current["abbreviation"],
                **entry_options(options, current),
            },
            options["version"],
        )
        self.stdout.write(
            _("changed %(abbreviation)s: version %(version)s")
            % {"abbreviation": organisation.abbreviation, "version": organisation.version}
        )

    def do_delete(self, options: dict[str, Any]) -> None:
        services.delete_organisation(
            actor_named(options["actor"]),
            options["country"],
            options["abbreviation"],
            options["version"],
        )
        self.stdout.write(_("deleted %(key)s") % {"key": options["abbreviation"]})

    def do_import_csv(self, options: dict[str, Any]) -> None:
        path: Path = options["file"]
        result = services.import_csv(
            actor_named(options["actor"]),
            options["country"],
            readers.read_file(path, services.MAX_CSV_BYTES),
            str(path),
        )
        self.stdout.write(
            _("added %(created)s, changed %(updated)s, unchanged %(unchanged)s")
            % {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
        )

    def do_export_csv(self, options: dict[str, Any]) -> None:
        options["output"].write_text(services.export_csv(options["country"]), encoding="utf-8")
        self.stdout.write(_("wrote %(file)s") % {"file": options["output"]})

    def do_jurisdictions(self, options: dict[str, Any]) -> None:
        for j in services.search_jurisdictions(
            options["search"], options["level"], options["country"]
        ):
            self.stdout.write(f"{j.code}\t{j.name.get('en', '')}\t{j.name.get('vi', '')}")

    def do_sync_jurisdictions(self, options: dict[str, Any]) -> None:
        self.stdout.write(
            _("%(count)s jurisdictions added or changed")
            % {"count": jurisdictions.sync_jurisdictions()}
        )


def entry_options(options: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    """The entry's fields from the options, the current value where one is not given."""
    name = current.get("name", {})
    aliases = options["alias"] if options["alias"] is not None else current.get("aliases", [])
    return {
        "abbreviation_vi": pick(options, "abbreviation_vi", current),
        "name": {
            "en": options["name_en"] if options["name_en"] is not None else name.get("en", ""),
            "vi": options["name_vi"] if options["name_vi"] is not None else name.get("vi", ""),
        },
        "kind": pick(options, "kind", current),
        "jurisdiction": pick(options, "jurisdiction", current),
        "parent": pick(options, "parent", current),
        "aliases": aliases,
    }


def pick(options: dict[str, Any], field: str, current: dict[str, Any]) -> str:
    value = options.get(field)
    return str(value) if value is not None else str(current.get(field, ""))
