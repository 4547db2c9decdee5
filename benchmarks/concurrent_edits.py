"""Concurrent editing of one assessment through the REST API: throughput,
p50/p95 latency, conflicts detected and lost updates (which must be 0), on
SQLite (the embedded default) and on PostgreSQL, with the throughput as a
ratio to a bare Django view served the same way in the same run.

    .venv/bin/python benchmarks/concurrent_edits.py [--clients 8] [--seconds 10]
        [--databases sqlite,postgres]

For each database: a fresh migrated database with the demo loaded, served by
gunicorn (4 sync workers) on 127.0.0.1. PostgreSQL is a throw-away Debian
server started like scripts/postgres.sh does, removed at the end.

Each client has its own API token (Bearer) and, for a fixed time, picks one
of a few hot DGRA questions of dimension 1 (so clients collide often): 70%
rating saves with the version it last saw (a 409 is a conflict detected; the
client adopts the current version and tries again later), 30% evidence
additions. Every acknowledged write carries a unique marker. Afterwards each
acknowledged write must appear, with its value, in the question's history,
no two acknowledged rating saves may share a version (one would have silently
overwritten the other), and the stored rating must be the last acknowledged
one. Anything else counts as a lost update; the exit status is 1 then, and on
any answer other than 200, 201 or 409.
"""

import argparse
import http.client
import json
import os
import pwd
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
WORKERS = 4
SLUG = "vietnam-2019"
FRAMEWORK = "dgra"
HOT_QUESTIONS = ["1.1", "1.2", "1.3", "1.4", "1.5"]
LEVELS = ["green", "yellow_green", "yellow", "yellow_red", "red"]
RATING_SHARE = 0.7
BASELINE_SECONDS = 3.0
USERS = ["demo", "demo-assessor"]  # lead and assessor; alternate between clients
PASSWORD = "readiness-demo"
API = f"/api/v1/assessments/{SLUG}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def run(args: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, env=env, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def percentile(values: list[float], share: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(share * 100) - 1]


# --- databases ------------------------------------------------------------------


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL server with an empty database; yields its URL."""
    bindir = max(
        Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name.split(".")[0])
    )
    directory = Path(tempfile.mkdtemp(prefix="readiness-pg."))
    port = free_port()
    as_postgres: list[str] = []
    if os.geteuid() == 0:
        os.chown(directory, pwd.getpwnam("postgres").pw_uid, -1)
        as_postgres = ["runuser", "-u", "postgres", "--"]
    data = str(directory / "data")
    server_options = f"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c fsync=off"
    initdb = [f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8"]
    pg_ctl = [f"{bindir}/pg_ctl", "-D", data]
    log = ["-l", f"{directory}/log", "-w", "-o", server_options]
    createdb = [f"{bindir}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres"]
    started = False
    try:
        run([*as_postgres, *initdb, "--locale=C.UTF-8"])
        started = True  # or half started: stop it in any case
        run([*as_postgres, *pg_ctl, *log, "start"])
        run([*as_postgres, *createdb, "readiness_bench"])
        yield f"postgres://postgres@127.0.0.1:{port}/readiness_bench"
    finally:
        if started:
            subprocess.run(
                [*as_postgres, *pg_ctl, "-m", "fast", "stop"],
                capture_output=True,
            )
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def database_url(database: str) -> Iterator[str]:
    if database == "postgres":
        with postgres() as url:
            yield url
    else:
        yield ""  # the embedded default: SQLite in READINESS_VAR_DIR


@contextmanager
def server(database: str) -> Iterator[tuple[int, Path]]:
    """Gunicorn serving a fresh demo on `database`; yields its port and log file."""
    with tempfile.TemporaryDirectory() as var, database_url(database) as url:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
            "READINESS_VAR_DIR": var,
            "PYTHONPATH": str(ROOT),
        }
        env.pop("DATABASE_URL", None)
        if url:
            env["DATABASE_URL"] = url
        os.makedirs(Path(var) / "static", exist_ok=True)
        run([PYTHON, "manage.py", "migrate", "--noinput"], env)
        run([PYTHON, "manage.py", "demo"], env)
        port = free_port()
        log = Path(var) / "gunicorn.log"
        with open(log, "w") as log_file:
            gunicorn = [PYTHON, "-m", "gunicorn", "benchmarks.wsgi", "--workers", str(WORKERS)]
            process = subprocess.Popen(
                [*gunicorn, "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
                env=env,
                cwd=ROOT,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_for(port)
                yield port, log
            finally:
                process.terminate()
                process.wait(timeout=30)


def wait_for(port: int) -> None:
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the benchmark server did not start")


# --- HTTP -----------------------------------------------------------------------


class Client:
    """One HTTP connection (re-opened after each answer from a sync worker)."""

    def __init__(self, port: int, authorization: str) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.authorization = authorization

    def call(self, method: str, path: str, payload: Any = None) -> tuple[int, Any, float]:
        """(status, decoded JSON or text, seconds taken); status 0 when the
        connection failed."""
        headers = {"Authorization": self.authorization} if self.authorization else {}
        body = None
        if payload is not None:
            body = json.dumps(payload)
            headers["Content-Type"] = "application/json"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body, headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            return 0, f"{type(error).__name__}: {error}", time.perf_counter() - started
        elapsed = time.perf_counter() - started
        text = raw.decode(errors="replace")
        is_json = (response.getheader("Content-Type") or "").startswith("application/json")
        return response.status, json.loads(text) if is_json else text, elapsed


def cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    jar = SimpleCookie()
    for header in response.msg.get_all("Set-Cookie") or []:
        jar.load(header)
    return {name: morsel.value for name, morsel in jar.items()}


def create_token(port: int, username: str, name: str) -> str:
    """A new API token, as an `Authorization` header value. Made through the
    web login and the session: over real HTTP the API refuses writes with
    HTTP Basic ("CSRF check Failed"), as its session authentication, listed
    before Basic, checks CSRF even when there is no session cookie."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request("GET", "/accounts/login/")
    response = connection.getresponse()
    page = response.read().decode()
    csrf_cookie = cookies(response)["csrftoken"]
    form_token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if form_token is None:
        raise SystemExit("no CSRF token on the login page")
    connection.request(
        "POST",
        "/accounts/login/",
        urlencode(
            {
                "csrfmiddlewaretoken": form_token.group(1),
                "username": username,
                "password": PASSWORD,
            }
        ),
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
            "Referer": f"http://127.0.0.1:{port}/accounts/login/",
        },
    )
    response = connection.getresponse()
    response.read()
    session = cookies(response)
    if response.status != 302 or "sessionid" not in session:
        raise SystemExit(f"could not log in as {username}: {response.status}")
    csrf_cookie = session.get("csrftoken", csrf_cookie)  # rotated at login
    connection.request(
        "POST",
        "/api/v1/account/tokens",
        json.dumps({"name": name}),
        {
            "Content-Type": "application/json",
            "Cookie": f"sessionid={session['sessionid']}; csrftoken={csrf_cookie}",
            "X-CSRFToken": csrf_cookie,
        },
    )
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    if response.status != 201:
        raise SystemExit(f"token for {username}: {response.status} {answer}")
    return f"Bearer {answer['token']}"


def get_ok(client: Client, path: str) -> Any:
    status, answer, _ = client.call("GET", path)
    if status != 200:
        raise SystemExit(f"GET {path}: {status} {str(answer)[:500]}")
    return answer


def hot_ratings(client: Client) -> dict[str, dict[str, Any]]:
    """The stored ratings of the hot questions, by question."""
    ratings = get_ok(client, f"{API}/ratings?framework={FRAMEWORK}&limit=500")["results"]
    return {r["question"]: r for r in ratings if r["question"] in HOT_QUESTIONS}


# --- clients --------------------------------------------------------------------


@dataclass(frozen=True)
class RatingWrite:
    question: str
    version: int
    level: str
    rationale: str


@dataclass(frozen=True)
class EvidenceWrite:
    question: str
    id: int
    text: str


@dataclass
class Outcome:
    latencies: dict[str, list[float]] = field(default_factory=dict)  # by kind of answer
    conflicts: int = 0
    ratings: list[RatingWrite] = field(default_factory=list)
    evidence: list[EvidenceWrite] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)

    @property
    def writes(self) -> int:
        return len(self.ratings) + len(self.evidence)


def edit(
    port: int,
    authorization: str,
    index: int,
    seed: int,
    versions: dict[str, int],
    start: threading.Barrier,
    seconds: float,
) -> Outcome:
    """One client's edits until the time is up."""
    rng = random.Random(seed * 1000 + index)
    versions = dict(versions)  # the last version this client saw, per question
    client = Client(port, authorization)
    outcome = Outcome()
    start.wait()
    deadline = time.perf_counter() + seconds
    number = 0
    while time.perf_counter() < deadline:
        number += 1
        marker = f"c{index}-w{number}"
        question = rng.choice(HOT_QUESTIONS)
        if rng.random() < RATING_SHARE:
            level = rng.choice(LEVELS)
            rationale = f"Benchmark rationale {marker}."
            path = f"{API}/ratings/{FRAMEWORK}/{question}"
            payload = {
                "level": level,
                "rationale": rationale,
                "cited_evidence": [],
                "version": versions[question],
            }
            status, answer, elapsed = client.call("PUT", path, payload)
            kind = {200: "rating saved", 409: "conflict (409)"}.get(status, "other")
            if status == 200:
                versions[question] = answer["version"]
                outcome.ratings.append(RatingWrite(question, answer["version"], level, rationale))
            elif status == 409:
                outcome.conflicts += 1
                versions[question] = answer["current_version"]
        else:
            text = f"Benchmark evidence {marker}."
            path = f"{API}/evidence"
            payload = {
                "framework": FRAMEWORK,
                "question": question,
                "sign": rng.choice(["+", "-", "o"]),
                "text": text,
                "source_kind": "observation",
            }
            status, answer, elapsed = client.call("POST", path, payload)
            kind = "evidence added" if status == 201 else "other"
            if status == 201:
                outcome.evidence.append(EvidenceWrite(question, answer["id"], text))
        outcome.latencies.setdefault(kind, []).append(elapsed)
        if status not in (200, 201, 409):
            outcome.unexpected.append(f"{status} {path}: {str(answer)[:300]}")
    return outcome


def bare(port: int, start: threading.Barrier, seconds: float) -> list[float]:
    """Latencies of GET /bare/ until the time is up."""
    client = Client(port, "")
    latencies = []
    start.wait()
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        status, answer, elapsed = client.call("GET", "/bare/")
        if status != 200:
            raise SystemExit(f"/bare/ answered {status}: {str(answer)[:300]}")
        latencies.append(elapsed)
    return latencies


# --- checks ---------------------------------------------------------------------


def lost_updates(client: Client, outcomes: list[Outcome]) -> tuple[int, list[str]]:
    """Acknowledged writes missing from the history, or silently overwritten;
    and the hot questions whose stored rating is not the last acknowledged one."""
    ratings = [w for o in outcomes for w in o.ratings]
    evidence = [w for o in outcomes for w in o.evidence]
    recorded_ratings: set[RatingWrite] = set()
    recorded_evidence: set[EvidenceWrite] = set()
    for question in HOT_QUESTIONS:
        for change in get_ok(client, f"{API}/history/{FRAMEWORK}/{question}"):
            after = change["after"]
            if after is None or change["action"] == "delete":
                continue
            if change["entity"] == "rating":
                recorded_ratings.add(
                    RatingWrite(question, after["version"], after["level"], after["rationale"])
                )
            elif change["entity"] == "evidence":
                recorded_evidence.add(EvidenceWrite(question, change["entity_id"], after["text"]))
    lost = sum(w not in recorded_ratings for w in ratings)
    lost += sum(w not in recorded_evidence for w in evidence)
    # Two acknowledged saves of the same version: one overwrote the other unseen.
    same_version = Counter((w.question, w.version) for w in ratings)
    lost += sum(count - 1 for count in same_version.values())
    stored = hot_ratings(client)
    wrong = []
    for question in HOT_QUESTIONS:
        mine = [w for w in ratings if w.question == question]
        if not mine:
            continue
        last = max(mine, key=lambda w: w.version)
        now = stored[question]
        if (now["version"], now["level"], now["rationale"]) != (
            last.version,
            last.level,
            last.rationale,
        ):
            wrong.append(f"{question}: stored v{now['version']}, last acknowledged v{last.version}")
    return lost, wrong


# --- the benchmark --------------------------------------------------------------


def benchmark(database: str, clients: int, seconds: float, seed: int) -> bool:
    """Runs and prints one database's figures; False when a check failed."""
    with server(database) as (port, log):
        tokens = [
            create_token(port, USERS[i % len(USERS)], f"benchmark client {i}")
            for i in range(clients)
        ]
        reader = Client(port, tokens[0])
        for _ in range(2 * WORKERS):  # warm up every worker
            get_ok(reader, f"{API}/ratings")
            get_ok(reader, "/bare/")
        versions = {q: r["version"] for q, r in hot_ratings(reader).items()}
        baseline_seconds = min(BASELINE_SECONDS, seconds)
        with ThreadPoolExecutor(clients) as pool:
            start = threading.Barrier(clients)
            started = time.perf_counter()
            bare_runs = list(
                pool.map(lambda _: bare(port, start, baseline_seconds), range(clients))
            )
            bare_elapsed = time.perf_counter() - started
            start = threading.Barrier(clients)
            started = time.perf_counter()
            futures = [
                pool.submit(edit, port, tokens[i], i, seed, versions, start, seconds)
                for i in range(clients)
            ]
            outcomes = [f.result() for f in futures]
            elapsed = time.perf_counter() - started  # the last answers come after `seconds`
        lost, wrong = lost_updates(reader, outcomes)
        server_log = log.read_text(errors="replace")

    bare_latencies = [x for run in bare_runs for x in run]
    bare_rate = len(bare_latencies) / bare_elapsed
    by_kind: dict[str, list[float]] = {}
    for outcome in outcomes:
        for kind, values in outcome.latencies.items():
            by_kind.setdefault(kind, []).extend(values)
    latencies = [x for values in by_kind.values() for x in values]
    writes = sum(o.writes for o in outcomes)
    ratings = sum(len(o.ratings) for o in outcomes)
    unexpected = [u for o in outcomes for u in o.unexpected]
    name = {"sqlite": "SQLite (embedded default)", "postgres": "PostgreSQL"}[database]
    ms = 1000
    print(f"{name}: {clients} clients, {seconds:g} s, gunicorn {WORKERS} sync workers")
    print(f"  requests:              {len(latencies):8d}  {len(latencies) / elapsed:8.1f} /s")
    print(
        f"  acknowledged writes:   {writes:8d}  {writes / elapsed:8.1f} /s"
        f"  ({ratings} ratings, {writes - ratings} evidence)"
    )
    for kind, values in [("all requests", latencies), *sorted(by_kind.items())]:
        print(
            f"  latency {kind + ':':22s} p50 {percentile(values, 0.50) * ms:6.1f} ms,"
            f" p95 {percentile(values, 0.95) * ms:6.1f} ms  ({len(values)})"
        )
    print(f"  conflicts detected:    {sum(o.conflicts for o in outcomes):8d}")
    print(f"  lost updates:          {lost:8d}")
    print(f"  unexpected answers:    {len(unexpected):8d}")
    print(
        f"  bare Django view:      {len(bare_latencies):8d}  {bare_rate:8.1f} /s"
        f"  (baseline, {baseline_seconds:g} s; p50 {percentile(bare_latencies, 0.5) * ms:.1f} ms,"
        f" p95 {percentile(bare_latencies, 0.95) * ms:.1f} ms)"
    )
    print(f"  ratio writes/bare:     {writes / elapsed / bare_rate:8.3f}")
    print(f"  ratio requests/bare:   {len(latencies) / elapsed / bare_rate:8.3f}")
    for line in wrong:
        print(f"  WRONG FINAL RATING {line}")
    if unexpected:
        for status, count in Counter(u.split(":")[0] for u in unexpected).most_common():
            print(f"  UNEXPECTED {count} × {status}")
        print(f"  first: {unexpected[0]}")
        print("  server log (end):", *server_log.splitlines()[-30:], sep="\n    ")
    sys.stdout.flush()
    return lost == 0 and not wrong and not unexpected


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--databases", default="sqlite,postgres")
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    databases = [d.strip() for d in options.databases.split(",") if d.strip()]
    for database in databases:
        if database not in ("sqlite", "postgres"):
            parser.error(f"unknown database {database!r}: use sqlite and/or postgres")
    ok = True
    for database in databases:
        ok = benchmark(database, options.clients, options.seconds, options.seed) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
