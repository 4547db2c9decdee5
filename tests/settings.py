"""Test settings: the application's own, with a fast password hasher
(PBKDF2's deliberate slowness would dominate API test time)."""

import os

# Also inherited by the commands the tests start in subprocesses.
os.environ.setdefault("READINESS_ENV", "development")

from readiness.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
