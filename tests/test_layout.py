"""The architecture the folder list promises (docs/architecture.md), checked on the source.

* The core runs headless: nothing in station/ imports QtWidgets or the UI.
* Packages are layered: a package imports only from its own layer or below,
  and the package graph has no cycle.
* No module-level import cycle between modules.
* The hub depends on the shared pure rules only: importing it loads nothing
  of the station's store, sync client, security services or UI.
* Screens reach the core through ui/operations: no SQLAlchemy, no models and
  no database session in ui/.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STATION = REPO / "station"
UI = REPO / "ui"

# Lower layers never import higher ones.  Within a layer, packages may use
# each other as long as the package graph stays acyclic.
LAYERS: dict[str, int] = {
    "errors": 0, "i18n": 0, "messages": 0,
    "people": 1,
    "store": 2,
    "security": 3,
    "roster": 4, "signup": 4, "checkin": 4, "posters": 4, "draw": 4,
    "reports": 5, "sync": 5,
    "demo": 6, "cli": 6,
}  # fmt: skip

# What the hub may load of station/: the pure rules both sides share.
HUB_MAY_LOAD = (
    "station.errors", "station.i18n", "station.messages", "station.people",
    "station.roster.tabular", "station.roster.charsets", "station.roster.workbook", "station.roster.detection",
    "station.roster.mapping",
    "station.security.masking", "station.security.audit_chain",
    "station.checkin.ecard", "station.draw.rules", "station.sync.bundle_format",
)  # fmt: skip


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path, *, top_level_only: bool = False) -> set[str]:
    """Modules a file imports (``from a import b`` yields a and a.b); TYPE_CHECKING blocks are left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()

    def visit(node: ast.AST, top: bool) -> None:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        for child in ast.iter_child_nodes(node):
            inner = top and not isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
            if inner or not top_level_only:
                visit(child, inner)

    visit(tree, True)
    return found


def _station_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted(STATION.rglob("*.py")) if "migrations" not in p.parts}


def _package(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "station" else None


def test_the_core_never_imports_widgets_or_the_ui():
    # The CLI, the hub and the tests run station/ without a screen.
    # The CLI opens the app (`station gui`) and the selftest lazily, inside functions.
    allowed = {"station.cli.main": ("ui.app", "ui.selftest")}
    offenders = {}
    for name, path in _station_modules().items():
        ok = allowed.get(name, ())
        bad = {
            m for m in _imports(path)
            if ("QtWidgets" in m or m == "ui" or m.startswith("ui.")) and not m.startswith(ok or ("\0",))
        }
        if bad:
            offenders[name] = sorted(bad)
    assert offenders == {}


def test_every_station_package_has_a_layer():
    packages = {p.name for p in STATION.iterdir() if (p / "__init__.py").exists()} - {"hub"}
    modules = {p.stem for p in STATION.glob("*.py")} - {"__init__", "__main__"}
    assert packages | modules == set(LAYERS), "give a new package its layer here and in docs/architecture.md"


def _package_edges() -> dict[tuple[str, str], list[str]]:
    modules = _station_modules()
    edges: dict[tuple[str, str], list[str]] = {}
    for name, path in modules.items():
        src = _package(name)
        if src is None or src not in LAYERS:
            continue
        for imported in _imports(path):
            dst = _package(imported)
            if dst and dst != src and dst in LAYERS and imported in modules:
                edges.setdefault((src, dst), []).append(f"{name} -> {imported}")
    return edges


def test_no_package_imports_from_a_higher_layer():
    upward = {
        f"{src} (layer {LAYERS[src]}) -> {dst} (layer {LAYERS[dst]})": where
        for (src, dst), where in _package_edges().items()
        if LAYERS[dst] > LAYERS[src]
    }
    assert upward == {}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def strong(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                strong(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for v in sorted(graph):
        if v not in index:
            strong(v)
    return found


def test_the_package_graph_has_no_cycle():
    graph: dict[str, set[str]] = {}
    for src, dst in _package_edges():
        graph.setdefault(src, set()).add(dst)
    assert _cycles(graph) == []


def test_no_module_level_import_cycle():
    modules = _station_modules()
    graph = {
        name: {m for m in _imports(path, top_level_only=True) if m in modules and m != name and m != "station"}
        for name, path in modules.items()
    }
    assert _cycles(graph) == []


def test_the_hub_loads_only_the_shared_pure_rules():
    probe = (
        "import json, sys\n"
        "import station.hub.app, station.hub.bundle, station.hub.db, station.hub.keys, station.hub.models\n"
        "import station.hub.roster, station.hub.schemas, station.hub.service\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('station.', 'ui')))))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True)
    loaded = json.loads(out.stdout)
    foreign = [
        m for m in loaded
        if not m.startswith("station.hub") and not any(m == ok or m.startswith(ok + ".") for ok in HUB_MAY_LOAD)
        and m.count(".") > 1  # a package's own __init__ (station.sync) holds only its docstring
    ]
    assert foreign == []
    assert "PySide6.QtWidgets" not in loaded


def test_package_inits_hold_no_code():
    # Importing station.sync.bundle_format must not pull in the sync client: an
    # __init__ is the package's docstring, nothing else.
    busy = []
    for init in sorted(STATION.rglob("__init__.py")):
        if "migrations" in init.parts or init.parent == STATION or init.parent.name in ("hub", "messages"):
            continue
        body = ast.parse(init.read_text(encoding="utf-8")).body
        if any(not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)) for node in body):
            busy.append(str(init.relative_to(REPO)))
    assert busy == []


def test_screens_reach_the_core_only_through_operations():
    offenders = {}
    for path in sorted(UI.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        bad = sorted(
            m for m in _imports(path)
            if m == "sqlalchemy" or m.startswith(("sqlalchemy.", "station.store.models"))
        )
        if ".session()" in text:
            bad.append(".session()")
        if bad:
            offenders[str(path.relative_to(REPO))] = bad
    assert offenders == {}


def test_the_cycle_finder_finds_cycles():
    # The checks above pass only because there is nothing to find, so the finder itself is tested here.
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []
