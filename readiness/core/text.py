"""PostgreSQL cannot store the NUL character; nothing we accept may hold one."""

from typing import Any


def nul_path(data: Any, path: str = "") -> str | None:
    """The path of the first string (or key) in `data` that contains NUL, or None."""
    if isinstance(data, str):
        return path if "\x00" in data else None
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and "\x00" in key:
                return path or "(a key)"
            found = nul_path(value, f"{path}.{key}" if path else str(key))
            if found is not None:
                return found
    if isinstance(data, list | tuple):
        for index, value in enumerate(data):
            found = nul_path(value, f"{path}[{index}]")
            if found is not None:
                return found
    return None
