"""How long each refusal of a hostile document takes, as a ratio to reading
and validating the largest valid built-in framework file (DGRA) in the same
run: a refusal should cost no more than reading a real file.

    .venv/bin/python benchmarks/refusals.py [--repeat 5]

Runs in this process (the readers and the framework validator need no
database); each figure is the best of `--repeat` runs.
"""

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
os.environ.setdefault("READINESS_ENV", "development")

import django  # noqa: E402

django.setup()

from readiness.core import readers  # noqa: E402
from readiness.core.errors import InvalidInput  # noqa: E402
from readiness.frameworks.services import builtin_framework_files, validate_framework_file  # noqa: E402

DEEP = 100_000
BILLION_LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]\n"
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True)
)


def best_of(repeat: int, action: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            action()
        except InvalidInput:
            pass
        times.append(time.perf_counter() - started)
    return min(times)


def refused(path: Path) -> Callable[[], object]:
    def action() -> object:
        try:
            validate_framework_file(path)
        except InvalidInput:
            return None
        raise SystemExit(f"{path.name} was not refused")

    return action


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    dgra = next(p for p in builtin_framework_files() if p.name.startswith("dgra"))
    valid = dgra.read_bytes()
    with tempfile.TemporaryDirectory() as folder:
        files = {
            "deep nesting, 100,000 levels (YAML)": b"[" * DEEP + b"]" * DEEP,
            "alias bomb, 9^9 expansion (YAML)": BILLION_LAUGHS.encode(),
            "!!python/object tag (YAML)": b"key: !!python/object/apply:os.getcwd []\n",
            "not UTF-8, last byte (DGRA + 0xE9)": valid + b"\xe9",
            "duplicate key at the end (DGRA)": valid + b"key: again\n",
            "5,000 questions": b"",
        }
        questions = "".join(
            f"  - key: d{d}\n    order: {d}\n    title: {{en: D, vi: D}}\n    questions:\n"
            + "".join(f"      - {{key: '{d}.{q}', text: {{en: Q, vi: Q}}}}\n" for q in range(100))
            for d in range(1, 51)
        )
        head = valid.decode().split("\ndimensions:", 1)[0]
        head = head.replace("importance_scale:", "unused_scale:", 1)
        files["5,000 questions"] = (
            head.split("\nunused_scale:", 1)[0] + "\ndimensions:\n" + questions
        ).encode()
        paths = {}
        for index, (name, content) in enumerate(files.items()):
            paths[name] = Path(folder) / f"{index}.yaml"
            paths[name].write_bytes(content)
        sparse = Path(folder) / "sparse.yaml"
        with sparse.open("wb") as file:
            file.truncate(64 * 1024**3)
        paths["oversized, 64 GiB sparse file"] = sparse

        baseline = best_of(options.repeat, lambda: validate_framework_file(dgra))
        print(f"best of {options.repeat} runs, in this process")
        print(
            f"  read + validate dgra-2018.yaml ({len(valid):,} bytes): "
            f"{baseline * 1000:8.2f} ms (baseline)"
        )
        for name, path in paths.items():
            took = best_of(options.repeat, refused(path))
            print(f"  {name:40s} {took * 1000:8.2f} ms  ratio {took / baseline:6.3f}")
        deep_json = "[" * DEEP + "]" * DEEP
        took = best_of(
            options.repeat,
            lambda: readers.read_json(
                deep_json, "deep.json", max_bytes=readers.MAX_ASSESSMENT_BYTES
            ),
        )
        print(
            f"  {'deep nesting, 100,000 levels (JSON)':40s} {took * 1000:8.2f} ms  "
            f"ratio {took / baseline:6.3f}"
        )


if __name__ == "__main__":
    main()
