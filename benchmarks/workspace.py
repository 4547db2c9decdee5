"""Requests per second for the DGRA workspace of the demo assessment (one
dimension, and every dimension of the framework in turn), as a ratio to a bare
Django view served the same way in the same run; the page size; the SQL
queries per workspace page (which must not grow with the questions); and the
time to load a dimension of a framework at the size limits (300 questions in
one dimension, 2,000 in all; the page shows it in parts of 50 questions),
before and after its page is cached, for its first and its last part.

    .venv/bin/python benchmarks/workspace.py [--requests 300] [--clients 2]

Serves a fresh SQLite copy of the demo with gunicorn (2 sync workers) on
127.0.0.1 and drives it with keep-alive HTTP clients from this process.
"""

import argparse
import http.client
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(args: list[str], env: dict[str, str]) -> str:
    return subprocess.run(
        args, env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout


def log_in(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("GET", "/accounts/login/")
    response = conn.getresponse()
    page = response.read().decode()
    csrf_cookie = re.search(r"csrftoken=([^;]+)", response.getheader("Set-Cookie") or "").group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = f"csrfmiddlewaretoken={token}&username=demo&password=readiness-demo"
    conn.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = conn.getresponse()
    response.read()
    session = re.search(r"sessionid=([^;]+)", response.getheader("Set-Cookie") or "")
    if response.status != 302 or session is None:
        raise SystemExit("could not log in to the benchmark server")
    return f"sessionid={session.group(1)}"


def hammer(port: int, paths: list[str], cookie: str, requests: int, clients: int) -> float:
    """Requests per second over `requests` GETs spread across `clients`
    threads, each thread taking the paths in turn."""

    def worker(count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for number in range(count):
            path = paths[number % len(paths)]
            conn.request("GET", path, headers={"Cookie": cookie})
            response = conn.getresponse()
            response.read()
            if response.status != 200:
                raise SystemExit(f"{path} answered {response.status}")
            if response.getheader("Connection", "").lower() == "close":
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port)

    share = [requests // clients] * clients
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, share))
    return sum(share) / (time.perf_counter() - started)


def query_counts(env: dict[str, str]) -> str:
    script = """
import django
django.setup()
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.contrib.auth import get_user_model
from django.core.cache import cache
from readiness.frameworks.models import Question
client = Client()
client.force_login(get_user_model().objects.get(username="demo"))
for framework, dimension in [("dgra", "3"), ("dgra", "1"), ("odra", "5"), ("odra", "3")]:
    questions = Question.objects.filter(
        framework__key=framework, dimension__key=dimension
    ).count()
    url = f"/assessments/vietnam-2019/{framework}/{dimension}/"
    counts = []
    for cached in (False, True):
        if not cached:
            cache.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url, HTTP_HOST="127.0.0.1")
            assert response.status_code == 200
        counts.append(len(queries))
    print(
        f"  {framework} {dimension}: {questions:2d} questions, {counts[0]} SQL queries"
        f" ({counts[1]} when cached), {len(response.content) / 1000:.0f} kB"
    )
"""
    return run([PYTHON, "-c", script], env)


LIMIT_SETUP = """
import copy
import django
django.setup()
import yaml
from django.contrib.auth import get_user_model
from readiness.assessments import services
from readiness.assessments.models import Membership
from readiness.frameworks.schema import MAX_DIMENSION_QUESTIONS, MAX_FRAMEWORK_QUESTIONS
from readiness.frameworks.services import load_framework, validate_framework_data
with open("readiness/frameworks/builtin/dgra-2018.yaml", encoding="utf-8") as source:
    data = yaml.safe_load(source)
template = data["dimensions"][0]["questions"][0]
sizes = [MAX_DIMENSION_QUESTIONS]
while sum(sizes) < MAX_FRAMEWORK_QUESTIONS:
    sizes.append(min(MAX_DIMENSION_QUESTIONS, MAX_FRAMEWORK_QUESTIONS - sum(sizes)))
dimensions = []
for number, size in enumerate(sizes, start=1):
    dimension = copy.deepcopy(data["dimensions"][(number - 1) % len(data["dimensions"])])
    dimension.update(key=str(number), order=number)
    dimension["questions"] = [
        {**copy.deepcopy(template), "key": f"{number}.{q}"} for q in range(1, size + 1)
    ]
    dimensions.append(dimension)
data.update(key="limits", version="1", dimensions=dimensions)
framework, _ = load_framework(validate_framework_data(data))
assessment = services.create_assessment(
    actor=None, slug="limits", title="At the limits", subject_kind="country",
    subject_code="VN", frameworks=[framework],
)
lead = get_user_model().objects.get(username="demo")
Membership.objects.create(assessment=assessment, user=lead, role="lead")
levels = [level.code for level in framework.levels.all()]
for index, question in enumerate(framework.questions.filter(dimension__key="1")):
    item = services.add_evidence(
        actor=lead, assessment=assessment, question=question, sign="+",
        text=f"Evidence for {question.key}", source_kind="document",
    )
    services.rate_question(
        actor=lead, assessment=assessment, question=question,
        level_code=levels[index % len(levels)], rationale="Seen in the decree.",
        cited_evidence_ids=[item.pk], expected_version=None,
    )
print(f"  {len(sizes)} dimensions, {sum(sizes)} questions; dimension 1: {sizes[0]} questions,")
print(f"  each with one evidence item and a rating")
"""

LIMIT_TIMING = """
import statistics
import time
import django
django.setup()
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
client = Client()
client.force_login(get_user_model().objects.get(username="demo"))
for part in (1, 6):
    url = f"/assessments/limits/limits/1/?part={part}"
    assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200  # imports, templates
    times = {}
    for cached in (False, True):
        samples = []
        for _ in range(5):
            if not cached:
                cache.clear()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_HOST="127.0.0.1")
            samples.append(time.perf_counter() - started)
            assert response.status_code == 200
        times[cached] = (statistics.median(samples), len(queries))
    size = len(response.content) / 1000
    print(f"  part {part} of 6 (50 questions), {size:.0f} kB:")
    for cached, label in ((False, "first load (not cached)"), (True, "later loads (cached)")):
        print(f"    {label:24} {times[cached][0]:6.3f} s median of 5, {times[cached][1]} SQL")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--clients", type=int, default=2)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as var:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "READINESS_VAR_DIR": var,
            "PYTHONPATH": str(ROOT),
            "ACTIVITY_LOG_LEVEL": "WARNING",  # no line per request
        }
        os.makedirs(Path(var) / "static", exist_ok=True)
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "demo"], env)
        limits = run([PYTHON, "-c", LIMIT_SETUP], env)
        port = free_port()
        server = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "gunicorn",
                "benchmarks.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],
            env=env,
            cwd=ROOT,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            cookie = log_in(port)
            workspace = ["/assessments/vietnam-2019/dgra/1/"]
            framework = [f"/assessments/vietnam-2019/dgra/{d}/" for d in range(1, 8)]
            hammer(port, framework, cookie, 28, options.clients)  # warm up both workers
            hammer(port, ["/bare/"], cookie, 20, options.clients)
            bare = hammer(port, ["/bare/"], cookie, options.requests, options.clients)
            page = hammer(port, workspace, cookie, options.requests, options.clients)
            whole = hammer(port, framework, cookie, options.requests, options.clients)
        finally:
            server.terminate()
            server.wait()
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(
            f"{options.requests} requests, {options.clients} clients, "
            f"gunicorn 2 sync workers, SQLite; load average {load} on {os.cpu_count()} CPUs"
        )
        print(f"  bare Django view:        {bare:8.1f} requests/s (baseline)")
        print(f"  DGRA workspace (dim 1):  {page:8.1f} requests/s, ratio {page / bare:.3f}")
        print(f"  DGRA, all 7 dimensions:  {whole:8.1f} requests/s, ratio {whole / bare:.3f}")
        print("SQL queries per workspace page, and its size:")
        print(query_counts(env), end="")
        print("A framework at the size limits:")
        print(limits, end="")
        print(run([PYTHON, "-c", LIMIT_TIMING], env), end="")


if __name__ == "__main__":
    main()
