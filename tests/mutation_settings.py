"""Settings for scripts/mutation: the test settings with the test database in
a file, kept between pytest sessions (`--reuse-db`). Each mutant is tested in
a pytest session of its own; this spares each one the migrations and the demo
load (tests/conftest.py loads the demo only where it is missing)."""

from tests.settings import *  # noqa: F403
from tests.settings import DATABASES, PROJECT_DIR

DATABASES["default"]["TEST"] = {"NAME": str(PROJECT_DIR / "mutation-test.sqlite3")}
