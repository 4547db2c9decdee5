"""Every write to the inventory goes through these functions: the web
views, the REST API, the CLI and the jobs call them."""

from readiness.catalogues.services.citations import cite_figure, refresh_citations
from readiness.catalogues.services.imports import ImportOutcome, import_file, import_records
from readiness.catalogues.services.inventory import (
    DEFAULT_MAX_DATASETS,
    DEFAULT_MAX_SECONDS,
    EXPORT_FORMATS,
    MAX_HARVEST_DATASETS,
    MAX_HARVEST_SECONDS,
    ExportFile,
    create_catalogue,
    create_dataset,
    delete_catalogue,
    delete_dataset,
    export_catalogue,
    start_harvest,
    start_link_check,
    update_catalogue,
    update_dataset,
)

__all__ = [
    "DEFAULT_MAX_DATASETS",
    "DEFAULT_MAX_SECONDS",
    "EXPORT_FORMATS",
    "MAX_HARVEST_DATASETS",
    "MAX_HARVEST_SECONDS",
    "ExportFile",
    "ImportOutcome",
    "cite_figure",
    "create_catalogue",
    "create_dataset",
    "delete_catalogue",
    "delete_dataset",
    "export_catalogue",
    "import_file",
    "import_records",
    "refresh_citations",
    "start_harvest",
    "start_link_check",
    "update_catalogue",
    "update_dataset",
]
