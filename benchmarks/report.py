"""Time to render the full demo report (Vietnam 2019: DGRA and ODRA, 109
questions, 601 evidence items, 47 actions) in each format and language.
For PDF, the baseline is WeasyPrint alone rendering the same HTML saved to
disk, measured in the same run; the ratio is our total time (collecting the
data, composing, HTML, charts and PDF) over that baseline.

    .venv/bin/python benchmarks/report.py [--runs 3]

Uses a fresh SQLite copy of the demo in a temporary directory.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def timed(work: Callable[[], object], runs: int) -> float:
    """The median wall time of `runs` runs, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compose_report(assessment: Any, language: str) -> object:
    from readiness.reports import content, services

    return content.compose(services.report_source(assessment, None), language)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "READINESS_VAR_DIR": var,
            "DJANGO_SETTINGS_MODULE": "readiness.settings",
            "READINESS_ENV": "development",
        }
        env.pop("DATABASE_URL", None)
        for command in (["migrate", "--noinput"], ["demo"]):
            subprocess.run(
                [sys.executable, "manage.py", *command],
                env=env,
                cwd=ROOT,
                check=True,
                capture_output=True,
            )
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        import logging

        import weasyprint

        from readiness.assessments.models import Assessment
        from readiness.reports import content, services
        from readiness.reports.formats import html

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        demo = Assessment.objects.get(slug="vietnam-2019")
        print(f"median of {runs} runs; full demo report, working draft")
        print(f"{'language':<9}{'format':<7}{'seconds':>9}")
        for language in ("en", "vi"):
            compose = timed(partial(compose_report, demo, language), runs)
            print(f"{language:<9}{'(data)':<7}{compose:>9.2f}   collect and compose only")
            for fmt in services.FORMAT_NAMES:
                seconds = timed(partial(services.render, None, demo, fmt, language), runs)
                print(f"{language:<9}{fmt:<7}{seconds:>9.2f}")
                if fmt != "pdf":
                    continue
                page = Path(var) / f"report-{language}.html"
                page.write_text(
                    html.page(content.compose(services.report_source(demo, None), language)),
                    encoding="utf-8",
                )
                alone = timed(weasyprint.HTML(filename=str(page)).write_pdf, runs)
                print(
                    f"{language:<9}{'pdf':<7}{alone:>9.2f}   WeasyPrint alone on the saved HTML"
                    f" (baseline); ratio ours/baseline {seconds / alone:.2f}"
                )


if __name__ == "__main__":
    main()
