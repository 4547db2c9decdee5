"""Helpers for hostile-input tests: row counts that must not move after a
refused import, a real `readiness` process (a signal, a traceback or a
wrong exit code shows only there), and the checks every refusal passes."""

import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]
# The `readiness` entry point (readiness.cli.main), run by this interpreter.
READINESS = [sys.executable, "-c", "from readiness.cli import main; main()"]


def row_counts() -> dict[str, int]:
    """The number of rows of every model, by model label."""
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@contextmanager
def rows_unchanged() -> Iterator[None]:
    """Assert that no model gained or lost a row inside the block."""
    before = row_counts()
    yield
    after = row_counts()
    assert {label: n for label, n in after.items() if before[label] != n} == {}


def assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text, text


def readiness_env(var_dir: Path) -> dict[str, str]:
    # Its own SQLite file in var_dir, also in the PostgreSQL pass of the tests.
    inherited = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "READINESS_ENV": "development",
        "READINESS_VAR_DIR": str(var_dir),
        "PYTHONPATH": str(ROOT),
    }


def run_readiness(var_dir: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    """`readiness ARGS…` in its own process, on the SQLite database in `var_dir`."""
    return subprocess.run(
        [*READINESS, *args],
        env=readiness_env(var_dir),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def assert_refused(result: subprocess.CompletedProcess, *expected: str) -> None:
    """The process ended by itself (no signal) with the failure exit code,
    printed no traceback, and its error output says each `expected` text."""
    output = result.stdout + result.stderr
    assert result.returncode in (1, 2), (result.returncode, output[-2000:])
    assert_no_traceback(output)
    for text in expected:
        assert text in result.stderr, (text, result.stderr[-2000:])


@pytest.fixture(scope="session")
def migrated_var(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with a migrated SQLite database (built-in frameworks loaded,
    no assessment) for commands run in their own process: the test database
    of pytest-django is not visible to another process."""
    var_dir = tmp_path_factory.mktemp("readiness-var")
    result = run_readiness(var_dir, "migrate", "--noinput", "-v", "0")
    assert result.returncode == 0, result.stderr
    return var_dir
