"""Every case event kind is declared once (CaseEventKind), written only if declared, and labelled in the console in
English and Chinese ("event.<kind>" in console/src/i18n/en.ts and zh.ts)."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from omnicase.domain.case_events import EVENT_KINDS, CaseEventKind, CaseEventLog

ROOT = Path(__file__).resolve().parents[2]
LAYER = ROOT / "layers" / "omnicase"
LOG_NAMES = ("log", "here", "there")  # what the code calls a CaseEventLog


def labels(language: str) -> set[str]:
    text = (ROOT / "console" / "src" / "i18n" / f"{language}.ts").read_text(encoding="utf-8")
    return set(re.findall(r'"event\.([a-z_]+)"\s*:', text))


@pytest.mark.parametrize("language", ["en", "zh"])
def test_every_declared_kind_has_a_console_label(language):
    assert sorted(EVENT_KINDS - labels(language)) == []


def test_a_log_refuses_a_kind_nobody_declared():
    log = CaseEventLog("acme", "K1", datetime(2026, 11, 2, tzinfo=UTC))

    log.add(CaseEventKind.ROUTED, "rule x")
    log.add("noted", "a string kind is fine when declared")
    with pytest.raises(ValueError, match="unknown case event kind 'routd'"):
        log.add("routd")

    assert [e.kind for e in log.events] == ["routed", "noted"]


def written_kinds() -> dict[str, str]:
    """The kinds the layer's code writes as literals or module constants: `<log>.add(kind, …)` and
    `CaseEvent(tenant, case, id, at, kind, …)` — kind → where."""
    constants: dict[str, str] = {}
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in LAYER.rglob("*.py")}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                for target in node.targets:
                    if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                        constants[target.id] = node.value.value
    found: dict[str, str] = {}
    for path, tree in trees.items():
        for node in ast.walk(tree):
            kind = _kind_argument(node)
            for part in ast.walk(kind) if kind is not None else ():
                value = part.value if isinstance(part, ast.Constant) else constants.get(getattr(part, "id", ""))
                if isinstance(value, str):
                    found.setdefault(value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _kind_argument(node: ast.AST) -> ast.expr | None:
    if not isinstance(node, ast.Call):
        return None
    func = node.func
    if isinstance(func, ast.Attribute) and func.attr == "add" and node.args:
        receiver = ast.unparse(func.value)
        return node.args[0] if receiver.endswith(LOG_NAMES) else None
    if isinstance(func, ast.Name) and func.id == "CaseEvent":
        keyword = next((k.value for k in node.keywords if k.arg == "kind"), None)
        return keyword if keyword is not None else (node.args[4] if len(node.args) > 4 else None)
    return None


def test_every_kind_the_code_writes_is_declared():
    written = written_kinds()

    assert {"routed", "timer_check_failed", "customer_erased", "problem_unlinked"} <= written.keys()  # the scan works
    assert {kind: where for kind, where in written.items() if kind not in EVENT_KINDS} == {}
