"""The application's settings with a URLconf that adds the baseline view."""

from readiness.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
