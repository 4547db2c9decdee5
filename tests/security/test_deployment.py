import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEVELOPMENT_KEY = "insecure-development-key-set-SECRET_KEY-in-production"


def environment(tmp_path: Path, **settings: str) -> dict[str, str]:
    """The test process's environment without anything that chooses a setup
    (the test settings choose development for themselves and their children)."""
    env = {**os.environ, "READINESS_VAR_DIR": str(tmp_path)}
    for name in (
        "READINESS_ENV",
        "SECRET_KEY",
        "DEBUG",
        "HTTPS",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_SETTINGS_MODULE",
        "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' harness
    ):
        env.pop(name, None)
    return {**env, **settings}


def import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "import readiness.settings"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "   "}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": DEVELOPMENT_KEY}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": DEVELOPMENT_KEY, "READINESS_ENV": "production"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "k" * 60, "DEBUG": "1"}, "DEBUG=1 shows settings and tracebacks"),
        ({"SECRET_KEY": "k" * 60, "DEBUG": "true", "HTTPS": "1"}, "DEBUG=1 shows"),
        ({"READINESS_ENV": "staging"}, "READINESS_ENV must be 'development' or 'production'"),
        (
            {"READINESS_ENV": "development", "READINESS_MIN_SOURCES": "0"},
            "READINESS_MIN_SOURCES must be a whole number of at least 1, not '0'",
        ),
        (
            {"READINESS_ENV": "development", "READINESS_MIN_SOURCES": "three"},
            "READINESS_MIN_SOURCES must be a whole number",
        ),
    ],
)
def test_a_deployment_refuses_to_start_unsafe(
    tmp_path: Path, settings: dict[str, str], message: str
) -> None:
    result = import_settings(environment(tmp_path, **settings))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and message in result.stderr


def test_development_is_chosen_explicitly_and_may_use_the_development_key(tmp_path: Path) -> None:
    env = environment(tmp_path, READINESS_ENV="development", DEBUG="1")
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "from readiness import settings; print(settings.DEBUG, settings.SECRET_KEY)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", DEVELOPMENT_KEY]


def test_the_checkouts_manage_py_chooses_development(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_check_deploy_is_clean_with_production_settings(tmp_path: Path) -> None:
    env = environment(
        tmp_path,
        READINESS_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="readiness.example.org",
        HTTPS="1",
        DEBUG="0",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout
