"""The driver of scripts/mutation: mutmut over one rule module at a time.

Each module of mutation.toml is mutated in a copy of the project of its own,
var/mutation/NAME: mutmut writes its mutants beside the code, and the working
tree is shared. Each mutant runs only those of the module's tests that call
the mutated function (mutmut records which do), in a pytest session of its
own forked from a warm process; tests/mutation_settings.py keeps the test
database with the demo between those sessions."""

import argparse
import json
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "mutation"
MUTMUT = Path(sys.executable).parent / "mutmut"
COPIED = ("readiness", "tests", "pyproject.toml")
PYTEST_ARGS = [
    "--ds=tests.mutation_settings",
    "--reuse-db",
    # pytest-django would put the directory of the nearest manage.py (the
    # unmutated project's) first on sys.path; the mutants must come first.
    "-o",
    "django_find_project=false",
    "-m",
    "not browser and not rendering",
]
# A mutant that makes the tests hang is caught by mutmut's time limit.
DETECTED = {"killed", "timeout", "caught by type check"}


@dataclass
class Score:
    name: str
    source: str
    statuses: dict[str, str] = field(default_factory=dict)
    survivors: list[str] = field(default_factory=list)  # "file:line: mutation"

    @property
    def killed(self) -> int:
        return sum(1 for status in self.statuses.values() if status in DETECTED)

    def line(self) -> str:
        total = len(self.statuses)
        percent = 100 * self.killed / total if total else 0.0
        return f"{self.name:<12} {self.killed:>4} / {total:<4} {percent:5.1f} %  {self.source}"


def load_modules() -> dict[str, dict[str, Any]]:
    with (ROOT / "mutation.toml").open("rb") as file:
        modules: dict[str, dict[str, Any]] = tomllib.load(file)["modules"]
    return modules


def prepare(name: str, module: dict[str, Any]) -> Path:
    """A fresh copy of the project with mutmut configured for this module."""
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for part in COPIED:
        if (ROOT / part).is_dir():
            ignore = shutil.ignore_patterns("__pycache__", ".hypothesis")
            shutil.copytree(ROOT / part, work / part, ignore=ignore)
        else:
            shutil.copy2(ROOT / part, work / part)
    config = {
        "source_paths": ["readiness"],
        "only_mutate": [module["source"]],
        "pytest_add_cli_args": PYTEST_ARGS,
        "pytest_add_cli_args_test_selection": module["tests"],
    }
    with (work / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n[tool.mutmut]\n")
        file.writelines(f"{key} = {json.dumps(value)}\n" for key, value in config.items())
    return work


def mutmut(work: Path, *args: str) -> str:
    done = subprocess.run(
        [str(MUTMUT), *args], cwd=work, capture_output=True, text=True, check=True
    )
    return done.stdout


def function_name(mutant: str) -> str:
    """readiness.x.rollup.x_half__mutmut_3 → half; …xǁFrameworkDataǁlevel__mutmut_1 → level"""
    tail = mutant.rsplit(".", 1)[-1].split("ǁ")[-1].removeprefix("x_")
    return tail.rsplit("__mutmut_", 1)[0]


def location(source: Path, mutant: str, diff: str) -> str:
    """file:line and the changed line, before → after, from mutmut's diff of the function."""
    lines = source.read_text(encoding="utf-8").splitlines()
    definition = re.compile(rf"^\s*(async\s+)?def {re.escape(function_name(mutant))}\(")
    start = next((i for i, text in enumerate(lines) if definition.match(text)), 0)
    removed = added = ""
    offset = position = 0
    for text in diff.splitlines():
        if hunk := re.match(r"@@ -(\d+)", text):
            position = int(hunk[1])
        elif text.startswith(("---", "+++")):
            continue
        elif text.startswith("+"):
            added = added or text[1:].strip()
        else:
            if text.startswith("-") and not removed:
                removed, offset = text[1:].strip(), position
            position += 1
    # The function as mutmut prints it starts at its `def`; find the removed text
    # in the source nearest that offset (the printed function may lose comments).
    guess = start + max(offset - 1, 0)
    matches = [i for i, text in enumerate(lines) if removed and text.strip() == removed]
    line = min(matches, key=lambda i: (abs(i - guess), i)) if matches else guess
    return f"{source.relative_to(ROOT)}:{line + 1}: {removed}  →  {added}"


def mutate(name: str, module: dict[str, Any]) -> Score | None:
    score = Score(name, module["source"])
    print(f"== {name}: {module['source']} with {', '.join(module['tests'])}", flush=True)
    work = prepare(name, module)
    log = work / "mutmut.log"
    with log.open("w", encoding="utf-8") as output:
        # One mutant at a time: they share the module's test database file.
        run = [str(MUTMUT), "run", "--max-children", "1"]
        done = subprocess.run(run, cwd=work, stdout=output, stderr=subprocess.STDOUT)
    if done.returncode != 0:
        print(log.read_text(encoding="utf-8", errors="replace")[-3000:])
        print(f"   mutmut failed (exit {done.returncode}); whole log: {log}")
        return None
    for text in mutmut(work, "results", "--all", "true").splitlines():
        mutant, _, status = text.strip().rpartition(": ")
        if mutant:
            score.statuses[mutant] = status
    for mutant, status in sorted(score.statuses.items(), key=lambda item: item[0]):
        if status not in DETECTED:
            where = location(ROOT / module["source"], mutant, mutmut(work, "show", mutant))
            score.survivors.append(f"{status}: {where}  ({mutant})")
    print("   " + score.line())
    for survivor in sorted(score.survivors):
        print(f"   {survivor}")
    return score


def main() -> None:
    modules = load_modules()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="*", metavar="MODULE", help=", ".join(modules))
    arguments = parser.parse_args()
    unknown = [name for name in arguments.modules if name not in modules]
    if unknown:
        parser.error(f"unknown module {', '.join(unknown)}; known: {', '.join(modules)}")
    scores = [mutate(name, modules[name]) for name in arguments.modules or modules]
    print("\n== mutation scores (killed / total)")
    for score in scores:
        if score is not None:
            print(score.line())
    if None in scores:
        sys.exit(1)


if __name__ == "__main__":
    main()
