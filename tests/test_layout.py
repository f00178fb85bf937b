"""The design card's layout: the core runs headless, the UI is thin."""

from __future__ import annotations

import ast
from pathlib import Path

STATION = Path(__file__).resolve().parent.parent / "station"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def test_the_core_never_imports_widgets_or_the_ui():
    # The CLI, the hub and the tests run station/ without a screen.
    # The CLI opens the app (`station gui`) and the selftest lazily, inside functions.
    allowed = {"cli/main.py": ("ui.app", "ui.selftest")}
    offenders = {}
    for path in sorted(STATION.rglob("*.py")):
        ok = allowed.get(path.relative_to(STATION).as_posix(), ())
        bad = {
            m for m in _imported_modules(path)
            if ("QtWidgets" in m or m == "ui" or m.startswith("ui.")) and not m.startswith(ok or ("\0",))
        }
        if bad:
            offenders[str(path.relative_to(STATION.parent))] = sorted(bad)
    assert offenders == {}
