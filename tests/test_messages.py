"""The message catalogue: every message in both languages, same placeholders."""

from __future__ import annotations

import string

from station.messages import MESSAGES


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_message_has_chinese_and_english():
    for key, (zh, en) in MESSAGES.items():
        assert zh.strip() and en.strip(), key
        assert any("\u4e00" <= ch <= "\u9fff" for ch in zh), f"{key}: Chinese text has no Chinese"


def test_both_languages_use_the_same_placeholders():
    for key, (zh, en) in MESSAGES.items():
        assert _fields(zh) == _fields(en), key


# -- every key the code names is in the catalogue, and no key is built at run time -----------------

import ast  # noqa: E402 - the catalogue tests above need nothing of this
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
_CALLS = {"t", "StationError"}


def _sources() -> list[Path]:
    return [p for d in ("station", "ui") for p in sorted((REPO / d).rglob("*.py")) if "migrations" not in p.parts]


def _called(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


def test_message_keys_are_never_built_at_run_time():
    built = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and _called(node) in _CALLS and node.args
                    and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))):
                built.append(f"{path.relative_to(REPO)}:{node.lineno}: {ast.unparse(node.args[0])}")
    assert built == [], "name the key as a constant (a *_KEYS table in the module that owns the values)"


def test_every_key_the_code_names_is_in_the_catalogue():
    missing = []
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            keys: list[ast.expr] = []
            if isinstance(node, ast.Call) and _called(node) == "t" and node.args:
                keys = [node.args[0]]
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                named = [tg.id for tg in targets if isinstance(tg, ast.Name)]
                if any(n.endswith("_KEYS") for n in named) and isinstance(node.value, ast.Dict):
                    keys = list(node.value.values)
            for key in keys:
                if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value not in MESSAGES:
                    missing.append(f"{path.relative_to(REPO)}:{key.lineno}: {key.value}")
    assert missing == []
