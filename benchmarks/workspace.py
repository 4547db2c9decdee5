"""Requests per second for the DGRA workspace page of the demo assessment,
as a ratio to a bare Django view served the same way in the same run, and
the SQL queries per workspace page (which must not grow with the questions).

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


def hammer(port: int, path: str, cookie: str, requests: int, clients: int) -> float:
    """Requests per second over `requests` GETs spread across `clients` threads."""

    def worker(count: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        for _ in range(count):
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
from readiness.frameworks.models import Question
client = Client()
client.force_login(get_user_model().objects.get(username="demo"))
for framework, dimension in [("dgra", "3"), ("dgra", "1"), ("odra", "5"), ("odra", "3")]:
    questions = Question.objects.filter(
        framework__key=framework, dimension__key=dimension
    ).count()
    url = f"/assessments/vietnam-2019/{framework}/{dimension}/"
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_HOST="127.0.0.1").status_code == 200
    print(f"  {framework} {dimension}: {questions:2d} questions, {len(queries)} SQL queries")
"""
    return run([PYTHON, "-c", script], env)


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
        }
        os.makedirs(Path(var) / "static", exist_ok=True)
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "demo"], env)
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
            workspace = "/assessments/vietnam-2019/dgra/1/"
            hammer(port, workspace, cookie, 20, options.clients)  # warm up both workers
            hammer(port, "/bare/", cookie, 20, options.clients)
            bare = hammer(port, "/bare/", cookie, options.requests, options.clients)
            page = hammer(port, workspace, cookie, options.requests, options.clients)
        finally:
            server.terminate()
            server.wait()
        print(
            f"{options.requests} requests, {options.clients} clients, "
            "gunicorn 2 sync workers, SQLite"
        )
        print(f"  bare Django view:        {bare:8.1f} requests/s (baseline)")
        print(f"  DGRA workspace (dim 1):  {page:8.1f} requests/s")
        print(f"  ratio workspace/bare:    {page / bare:8.3f}")
        print("SQL queries per workspace page:")
        print(query_counts(env), end="")


if __name__ == "__main__":
    main()
