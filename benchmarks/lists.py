"""Time and SQL queries of the first and the last page of every list (API and
web), against a bare Django view in the same run, over 1,000 assessments and
500,000 evidence items (half of them in one assessment) with one recorded
change each.

    .venv/bin/python benchmarks/lists.py [--repeat 15] [--keep]

Fills a throwaway SQLite file under var/ (bulk inserts, a few minutes), then
requests each page `--repeat` times in this process through Django's test
client, signed in as a site administrator, and prints the median. Keyset
pages should take the same SQL per page and, on the last page, no more than
twice the time of the first.
"""

import argparse
import datetime
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSESSMENTS = 1_000
EVIDENCE = 500_000
BIG = EVIDENCE // 2  # in one assessment: the longest list of one assessment's evidence
BATCH = 5_000
HOST = "127.0.0.1"


def fill() -> None:
    from django.contrib.auth.models import User
    from django.core.management import call_command

    from readiness.assessments.models import Assessment, AssessmentFramework, Evidence
    from readiness.core.models import ChangeRecord
    from readiness.frameworks.models import Framework, Question

    call_command("migrate", "--noinput", verbosity=0)
    call_command("demo", verbosity=0)
    User.objects.create_superuser("bench", password="bench-pass-1")
    dgra = Framework.objects.get(key="dgra")
    questions = list(Question.objects.filter(framework=dgra).values_list("pk", flat=True))
    existing = Assessment.objects.count()
    Assessment.objects.bulk_create(
        Assessment(
            slug=f"bench-{n:04d}",
            title=f"Benchmark assessment {n}",
            subject_kind="country",
            subject_code=("VN", "LA", "KH", "TH")[n % 4],
            period_start=datetime.date(2015 + n % 10, 1, 1),
            state=("draft", "in_review", "published")[n % 3],
        )
        for n in range(ASSESSMENTS - existing)
    )
    generated = list(Assessment.objects.filter(slug__startswith="bench-").order_by("slug"))
    AssessmentFramework.objects.bulk_create(
        AssessmentFramework(assessment=a, framework=dgra, order=1) for a in generated
    )
    big, others = generated[0], generated[1:]
    signs, kinds = ("+", "-", "o"), ("document", "interview", "website", "survey")
    for start in range(0, EVIDENCE, BATCH):
        batch = [
            Evidence(
                assessment=big if n < BIG else others[n % len(others)],
                question_id=questions[n % len(questions)],
                sign=signs[n % 3],
                text=f"Generated evidence item {n}",
                source_kind=kinds[n % 4],
                date=datetime.date(2018, 1, 1) + datetime.timedelta(days=n % 700),
                author=f"Assessor {n % 17}",
            )
            for n in range(start, min(start + BATCH, EVIDENCE))
        ]
        created = Evidence.objects.bulk_create(batch)
        ChangeRecord.objects.bulk_create(
            ChangeRecord(
                assessment_id=item.assessment_id,
                question_id=item.question_id,
                entity="evidence",
                entity_id=item.pk,
                action="create",
                after={"text": item.text},
            )
            for item in created
        )


def measure(client: object, url: str, repeat: int) -> tuple[float, int]:
    """Median milliseconds and the SQL queries of one GET of `url`."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    queries = 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, HTTP_HOST=HOST)  # type: ignore[attr-defined]
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}: {response.content[:300]!r}")
        queries = len(captured)
    return statistics.median(times), queries


def last_page(url: str, sort: str) -> str:
    """The address of the last page of a list (the "Last page" link of the web lists)."""
    from readiness.core.pagination import BEFORE, encode_cursor

    joiner = "&" if "?" in url else "?"
    return f"{url}{joiner}cursor={encode_cursor(sort, BEFORE, None)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    options = parser.parse_args()
    (ROOT / "var").mkdir(exist_ok=True)
    var = tempfile.mkdtemp(prefix="benchmark-lists-", dir=ROOT / "var")
    os.makedirs(Path(var) / "static", exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "READINESS_ENV": "development",
            "READINESS_VAR_DIR": var,
        }
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth.models import User
    from django.test import Client

    try:
        started = time.perf_counter()
        fill()
        print(f"filled {var} in {time.perf_counter() - started:.0f} s")
        client = Client()
        client.force_login(User.objects.get(username="bench"))
        big = "bench-0000"
        lists = [
            ("API assessments", "/api/v1/assessments", "-created"),
            ("API assessments, subject VN", "/api/v1/assessments?subject=VN", "-created"),
            (f"API evidence ({BIG:,} items)", f"/api/v1/assessments/{big}/evidence", "id"),
            (
                "API evidence, sign -, by date",
                f"/api/v1/assessments/{big}/evidence?sign=-&sort=date",
                "date",
            ),
            ("API plan actions (demo)", "/api/v1/assessments/vietnam-2019/plan/actions", "start"),
            (f"API changes ({EVIDENCE:,}+)", "/api/v1/changes", "id"),
            ("web assessments", "/assessments/", "-created"),
            ("web evidence", f"/assessments/{big}/evidence/", "id"),
            ("web actions (demo)", "/assessments/vietnam-2019/plan/list/", "start"),
        ]
        bare_ms, bare_sql = measure(client, "/bare/", options.repeat)
        print(f"median of {options.repeat} requests, Django test client, SQLite, pages of 50")
        print(f"  {'bare Django view':34} {bare_ms:8.2f} ms  {bare_sql:2d} SQL (baseline)")
        print(f"  {'list':34} {'first':>8}    {'last':>8}    last/first  SQL first/last")
        for label, url, sort in lists:
            first_ms, first_sql = measure(client, url, options.repeat)
            last_ms, last_sql = measure(client, last_page(url, sort), options.repeat)
            print(
                f"  {label:34} {first_ms:8.2f} ms {last_ms:8.2f} ms {last_ms / first_ms:8.2f}"
                f"       {first_sql:2d} / {last_sql:2d}"
            )
    finally:
        if not options.keep:
            shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
