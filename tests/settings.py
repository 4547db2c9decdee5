"""Test settings: the application's own, with a fast password hasher
(PBKDF2's deliberate slowness would dominate API test time)."""

import os

# Also inherited by the commands the tests start in subprocesses.
os.environ.setdefault("READINESS_ENV", "development")

from readiness.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# Workspace pages are cached by revision (the assessment's latest change);
# a rolled-back test can leave a page cached under an id SQLite hands out
# again, and fixtures change rows without a change record. So no caching in
# tests, except in the tests of the cache, which switch it on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}

# The harvest and link-check tests serve real HTTP answers from 127.0.0.1.
CATALOGUE_HARVEST_ALLOW_PRIVATE = True
