"""Time and peak memory of a CKAN catalogue import (`import_file`: read,
score, store) against a baseline in the same run that parses the same file
with orjson and bulk-inserts the same rows (Dataset and Distribution,
batches of 1,000) without reading rules or scores.

    .venv/bin/python benchmarks/catalogue.py [--datasets 100000] [--keep]

Writes a CKAN package_search dump of `--datasets` packages (and one of a
tenth of them) into a throwaway folder under var/: the packages of the
Birmingham portal's real answer (/work/shared/realdata/ckan_birmingham_1.json)
taken in turn, each with its own id, name and title and 2 to 5 resources.
Each measurement runs in its own process on its own copy of one migrated
SQLite database, so that the peak memory of one does not hide another's;
the peak is the process's largest resident set (resource.getrusage), Django
included. Goals (issue 12):
within 3 times the baseline's time; the peak at the full size no more than
1.5 times the peak at a tenth of it.
"""

import argparse
import copy
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BIRMINGHAM = Path("/work/shared/realdata/ckan_birmingham_1.json")
BATCH = 1_000
SLUG = "catalogue-benchmark"


def write_dump(path: Path, datasets: int) -> None:
    """A package_search answer, written a package at a time."""
    template = json.loads(BIRMINGHAM.read_bytes())["result"]["results"]
    with path.open("w", encoding="utf-8") as out:
        out.write('{"help": "package_search", "success": true, "result": {')
        out.write(f'"count": {datasets}, "results": [')
        for n in range(datasets):
            package = copy.deepcopy(template[n % len(template)])
            package["id"] = f"{package['id'][:24]}{n:012d}"
            package["name"] = f"{package['name'][:80]}-{n}"
            package["title"] = f"{package['title']} ({n})"
            resources = package.get("resources") or [{"format": "CSV", "url": ""}]
            wanted = 2 + n % 4
            package["resources"] = [
                dict(
                    resources[r % len(resources)],
                    id=f"{n:08d}-{r}",
                    url=f"https://data.example.org/dataset/{n}/resource/{r}/file.csv",
                    position=r,
                )
                for r in range(wanted)
            ]
            package["num_resources"] = wanted
            out.write(("," if n else "") + json.dumps(package))
        out.write("]}}")


def setup_django(database: Path) -> None:
    os.environ["READINESS_ENV"] = "development"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "readiness.settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def prepare(database: Path) -> None:
    """Migrate, and add the assessment and catalogue every run imports into."""
    import datetime

    from django.core.management import call_command
    from django.db import connection

    from readiness.assessments.models import Assessment
    from readiness.catalogues.models import Catalogue

    call_command("migrate", "--noinput", verbosity=0)
    assessment = Assessment.objects.create(
        slug=SLUG,
        title="Catalogue benchmark",
        subject_kind="country",
        subject_code="GB",
        period_start=datetime.date(2021, 1, 1),
    )
    Catalogue.objects.create(assessment=assessment, key="portal", title="Portal", kind="ckan")
    connection.close()  # the last connection folds SQLite's write-ahead log into the file copied


def ours(dump: Path) -> int:
    from readiness.catalogues.models import Catalogue
    from readiness.catalogues.services import import_file

    catalogue = Catalogue.objects.get(assessment__slug=SLUG, key="portal")
    with dump.open("rb") as data:
        outcome = import_file(catalogue, data, dump.name, actor=None)
    return outcome.added


def baseline(dump: Path) -> int:
    import orjson
    from django.db import transaction

    from readiness.catalogues.models import Catalogue, Dataset, Distribution

    catalogue = Catalogue.objects.get(assessment__slug=SLUG, key="portal")
    packages = orjson.loads(dump.read_bytes())["result"]["results"]
    with transaction.atomic():
        for start in range(0, len(packages), BATCH):
            batch = packages[start : start + BATCH]
            rows = Dataset.objects.bulk_create(
                Dataset(
                    catalogue=catalogue,
                    identifier=package["id"],
                    order=start + number,
                    title=package["title"],
                    description=package.get("notes") or "",
                    publisher_name=(package.get("organization") or {}).get("title", ""),
                    licence=package.get("license_id") or "",
                )
                for number, package in enumerate(batch)
            )
            Distribution.objects.bulk_create(
                Distribution(
                    dataset=row,
                    order=position,
                    title=resource.get("name") or "",
                    format=resource.get("format") or "",
                    access_url=resource.get("url") or "",
                )
                for row, package in zip(rows, batch, strict=True)
                for position, resource in enumerate(package["resources"])
            )
    return len(packages)


def measure(options: argparse.Namespace) -> None:
    """One measurement, in this process: prints a JSON line."""
    setup_django(Path(options.database))
    started = time.perf_counter()
    count = (ours if options.measure == "ours" else baseline)(Path(options.dump))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    print(json.dumps({"datasets": count, "seconds": seconds, "peak": peak}))


def run(folder: Path, template: Path, dump: Path, which: str) -> dict[str, Any]:
    database = folder / f"{which}-{dump.stem}.sqlite3"
    shutil.copyfile(template, database)
    command = [sys.executable, __file__, "--measure", which, "--dump", str(dump)]
    command += ["--database", str(database)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{which} on {dump.name} failed:\n{done.stderr}")
    database.unlink()
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--datasets", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the folder with the dumps")
    parser.add_argument("--measure", choices=["ours", "baseline"], help=argparse.SUPPRESS)
    parser.add_argument("--dump", help=argparse.SUPPRESS)
    parser.add_argument("--database", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.measure:
        measure(options)
        return
    (ROOT / "var").mkdir(exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="benchmark-catalogue-", dir=ROOT / "var"))
    try:
        template = folder / "migrated.sqlite3"
        setup_django(template)
        prepare(template)
        sizes = [max(1, options.datasets // 10), options.datasets]
        dumps = {size: folder / f"ckan-{size}.json" for size in sizes}
        for size, dump in dumps.items():
            write_dump(dump, size)
        print(f"CKAN package_search dumps, 2 to 5 resources a dataset, SQLite, {folder}")
        peaks = {}
        for size, dump in dumps.items():
            base = run(folder, template, dump, "baseline")
            our = run(folder, template, dump, "ours")
            assert our["datasets"] == base["datasets"] == size, (our, base)
            peaks[size] = our["peak"]
            print(
                f"  {size:>7,} datasets ({dump.stat().st_size / 2**20:6.1f} MiB):"
                f" import_file {size / our['seconds']:8,.0f} datasets/s,"
                f" baseline {size / base['seconds']:8,.0f} datasets/s,"
                f" time ratio {our['seconds'] / base['seconds']:5.2f} (goal <= 3),"
                f" peak memory {peaks[size] / 2**20:7.1f} MiB"
                f" (baseline {base['peak'] / 2**20:7.1f} MiB)"
            )
        small, large = sizes
        print(
            f"  peak memory at {large:,} / at {small:,}: {peaks[large] / peaks[small]:5.2f}"
            " (goal <= 1.5)"
        )
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
