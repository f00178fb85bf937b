#!/usr/bin/env python3
"""Set up a development copy and run it: one command on Windows and Linux.

    python3 dev.py demo [ARGS...]   set up, then `station demo ARGS...` (demo data, opens the app)
    python3 dev.py test [ARGS...]   set up, then the whole test suite (`pytest ARGS...`, offscreen Qt)
    python3 dev.py lint [ARGS...]   set up, then ruff (ARGS go to it) and mypy on station/ and ui/
    python3 dev.py bench [ARGS...]  set up, then every bench/bench_*.py (ARGS go to each)
    python3 dev.py setup            only set up

Setting up means: on Debian/Ubuntu as root, install the system libraries Qt
needs (only those missing); create .venv if missing; `pip install -e .[dev]`
into it unless pyproject.toml is unchanged since the last install.

Standard library only: this runs with the system python3 before anything
else is installed.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
STAMP = VENV / ".dev-install-stamp"
WINDOWS = os.name == "nt"
MIN_PYTHON = (3, 10)

# What PySide6's wheels load at run time but do not ship, plus the tools the
# tests and reports use (sqlite3 CLI, pdftoppm) and xvfb for a visible demo
# on a machine without a screen.
DEBIAN_PACKAGES = [
    "libegl1", "libgl1", "libxkbcommon0", "libxkbcommon-x11-0", "libfontconfig1", "libdbus-1-3",
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-keysyms1", "libxcb-shape0", "libxcb-xinerama0",
    "libxcb-randr0", "libxcb-render-util0", "libxcb-image0",
    "fonts-noto-cjk", "sqlite3", "poppler-utils", "xvfb",
    "postgresql",  # the hub's tests start a throwaway server with its initdb/pg_ctl (tests/pg_cluster.py)
]  # fmt: skip


def say(msg: str) -> None:
    print(f"[dev] {msg}", flush=True)


def run(cmd: list[str], **kw) -> int:
    return subprocess.call(cmd, **kw)


def check(cmd: list[str], what: str, **kw) -> None:
    rc = run(cmd, **kw)
    if rc != 0:
        say(f"FAILED ({rc}): {what}")
        sys.exit(rc)


# -- system packages -----------------------------------------------------------


def _missing_debian_packages(wanted: list[str]) -> list[str]:
    # dpkg-query prints a line for each known package and exits 1 if any is
    # unknown; "ii" in the status abbreviation means installed.
    out = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${db:Status-Abbrev}\n", *wanted],
        capture_output=True,
        text=True,
    ).stdout
    installed = {line.split()[0].split(":")[0] for line in out.splitlines() if line.split()[1:2] == ["ii"]}
    return [p for p in wanted if p not in installed]


def _apt_available() -> bool:
    return sys.platform.startswith("linux") and bool(shutil.which("dpkg-query") and shutil.which("apt-get"))


def _apt_install(packages: list[str]) -> None:
    say("installing system packages: " + " ".join(packages))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    check(["apt-get", "update", "-qq"], "apt-get update", env=env)
    check(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], "apt-get install", env=env)


def ensure_system_packages() -> None:
    if not _apt_available():
        return
    missing = _missing_debian_packages(DEBIAN_PACKAGES)
    if not missing:
        say("system packages: all present")
    elif os.geteuid() != 0:
        say("system packages missing (Qt may not start): " + " ".join(missing))
        say("  install them with: sudo apt-get install -y " + " ".join(missing))
    else:
        _apt_install(missing)


# -- the virtual environment ---------------------------------------------------


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if WINDOWS else "bin/python")


def venv_script(name: str) -> Path:
    return VENV / ("Scripts" if WINDOWS else "bin") / (name + (".exe" if WINDOWS else ""))


def _install_fingerprint() -> str:
    # Reinstall when the dependencies change or the venv's Python does.
    h = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    h.update(str(venv_python()).encode())
    return h.hexdigest()


def _editable_install_points_here() -> bool:
    """The venv imports `station` from this checkout (not a stale copy elsewhere)."""
    probe = "import pathlib, station; print(pathlib.Path(station.__file__).resolve().parent.parent)"
    res = subprocess.run([str(venv_python()), "-c", probe], capture_output=True, text=True, cwd=VENV)
    return res.returncode == 0 and Path(res.stdout.strip()) == ROOT


def ensure_venv() -> None:
    if not venv_python().exists():
        say(f"creating virtual environment {VENV.name}/ with {sys.executable}")
        fresh = not VENV.exists()
        if run([sys.executable, "-m", "venv", str(VENV)]) != 0:
            # Debian's own python3 ships venv's pip bootstrap separately.
            debian_python = sys.executable.startswith("/usr/")
            if not (_apt_available() and debian_python and os.geteuid() == 0 and fresh):
                say("FAILED: python -m venv (on Debian/Ubuntu: sudo apt-get install python3-venv)")
                sys.exit(1)
            shutil.rmtree(VENV, ignore_errors=True)
            _apt_install(["python3-venv", f"python3.{sys.version_info.minor}-venv"])
            check([sys.executable, "-m", "venv", str(VENV)], "python -m venv")
    fingerprint = _install_fingerprint()
    if STAMP.exists() and STAMP.read_text().strip() == fingerprint and _editable_install_points_here():
        say("python packages: up to date (pyproject.toml unchanged)")
        return
    say("installing the project and its dev tools: pip install -e .[dev]")
    env = dict(os.environ, PIP_DISABLE_PIP_VERSION_CHECK="1")
    check(
        [str(venv_python()), "-m", "pip", "install", "--progress-bar", "off", "-q", "-e", ".[dev]"],
        "pip install -e .[dev]",
        cwd=ROOT,
        env=env,
    )
    STAMP.write_text(fingerprint + "\n")
    say("python packages: installed")


def setup() -> None:
    if sys.version_info < MIN_PYTHON:
        say(f"Python {'.'.join(map(str, MIN_PYTHON))} or newer is needed; this is {sys.version.split()[0]}")
        sys.exit(2)
    ensure_system_packages()
    ensure_venv()


# -- commands ------------------------------------------------------------------


def _has_display() -> bool:
    if WINDOWS or sys.platform == "darwin":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY") or os.environ.get("QT_QPA_PLATFORM"))


# The station's options that belong before its subcommand (`station --data-dir D demo`).
GLOBAL_OPTIONS = ("--data-dir", "--lang")


def _globals_first(args: list[str]) -> tuple[list[str], list[str]]:
    """Split `dev.py demo --data-dir D --members 50` into (["--data-dir", "D"], ["--members", "50"])."""
    front: list[str] = []
    rest: list[str] = []
    it = iter(args)
    for arg in it:
        if arg in GLOBAL_OPTIONS:
            front += [arg, next(it, "")]
        elif arg.startswith(tuple(f"{opt}=" for opt in GLOBAL_OPTIONS)):
            front.append(arg)
        else:
            rest.append(arg)
    return front, rest


def cmd_demo(args: list[str]) -> int:
    if not _has_display():
        say("no display here (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.")
        say("  run it on a virtual screen:  xvfb-run -a python3 dev.py demo")
        say("  or without a window at all: QT_QPA_PLATFORM=offscreen python3 dev.py demo")
        return 2
    setup()
    front, rest = _globals_first(args)
    argv = [*front, "demo", *rest]
    say("starting: station " + " ".join(argv))
    station = venv_script("station")
    if station.exists():
        return run([str(station), *argv], cwd=ROOT)
    return run([str(venv_python()), "-c", "from station.cli.main import main; raise SystemExit(main())", *argv])


def cmd_test(args: list[str]) -> int:
    setup()
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    say(f"running the test suite: pytest {' '.join(args)} (QT_QPA_PLATFORM={env['QT_QPA_PLATFORM']})")
    return run([str(venv_python()), "-m", "pytest", *args], cwd=ROOT, env=env)


def cmd_lint(args: list[str]) -> int:
    """ruff and mypy over station/ and ui/, configured in pyproject.toml; both must find nothing."""
    setup()
    failed = []
    for name, cmd in (
        ("ruff", [str(venv_python()), "-m", "ruff", "check", "station", "ui", *args]),
        ("mypy", [str(venv_python()), "-m", "mypy"]),
    ):
        say(f"lint: {name}")
        if run(cmd, cwd=ROOT) != 0:
            failed.append(name)
    if failed:
        say("lint found problems: " + ", ".join(failed))
        return 1
    say("lint: clean")
    return 0


def cmd_bench(args: list[str]) -> int:
    setup()
    benches = sorted((ROOT / "bench").glob("bench_*.py"))
    if not benches:
        say("no benchmarks in bench/ yet")
        return 0
    env = dict(os.environ)
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    failed = []
    for bench in benches:
        say(f"bench: {bench.relative_to(ROOT).as_posix()}")
        if run([str(venv_python()), str(bench), *args], cwd=ROOT, env=env) != 0:
            failed.append(bench.name)
    if failed:
        say("benchmarks that failed: " + ", ".join(failed))
        return 1
    say(f"{len(benches)} benchmark(s) done")
    return 0


def cmd_setup(args: list[str]) -> int:
    setup()
    say("ready: " + str(venv_python()))
    return 0


COMMANDS = {"demo": cmd_demo, "test": cmd_test, "lint": cmd_lint, "bench": cmd_bench, "setup": cmd_setup}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        print(__doc__.strip())
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    try:
        return COMMANDS[argv[0]](argv[1:])
    except KeyboardInterrupt:
        say("interrupted")
        return 130


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
