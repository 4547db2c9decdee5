"""The application's settings with a URLconf that adds the baseline view."""

import os

os.environ.setdefault("READINESS_ENV", "development")

from readiness.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
