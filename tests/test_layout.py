"""Package layout: imports run one way along the stages, with no cycles (lazy imports included).

A module may import from its own stage package, from the stages to its right in ``STAGES``, and
from the top modules; the top modules import only each other. ``verifact/__init__.py`` and
``__main__.py`` are the entry points above every stage.
"""

from __future__ import annotations

import ast
from pathlib import Path

import verifact

PACKAGE = Path(verifact.__file__).resolve().parent
STAGES = ("app", "eval", "verify", "search", "index", "ingest")
TOP = ("types", "errors", "config", "imports")
ENTRY = ("verifact", "verifact.__main__")


def module_names(root: Path) -> dict[str, Path]:
    """Dotted name -> file for every module of the package at ``root``."""
    out = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        out[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return out


def imported(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The package's modules that ``name`` imports, at module level or inside functions.

    ``from . import view`` counts as importing the submodule ``view``; importing ``a.b.c`` from
    outside package ``a.b`` also runs ``a/b/__init__.py``, so that counts too.
    """
    top = name.split(".")[0]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.add(sub if sub in modules else target)
    out = set()
    for target in found:
        if target.split(".")[0] != top:
            continue
        parts = target.split(".")
        for i in range(1, len(parts) + 1):  # the packages a first import runs, then the module
            parent = ".".join(parts[:i])
            if parent in modules and not (name == parent or name.startswith(parent + ".")):
                out.add(parent)
    return out


def stage(name: str) -> str:
    if name in ENTRY:
        return "entry"
    part = name.split(".")[1]
    if part in TOP:
        return "top"
    assert part in STAGES, f"{name} is in no stage; put it in one of {STAGES} or add it to TOP"
    return part


RANK = {"entry": -1, **{s: i for i, s in enumerate(STAGES)}, "top": len(STAGES)}


def check(root: Path) -> tuple[list[str], list[list[str]]]:
    """(imports against the stage order, import cycles) of the package at ``root``."""
    modules = module_names(root)
    graph = {name: imported(name, path, modules) for name, path in modules.items()}
    against = [
        f"{a} ({stage(a)}) imports {b} ({stage(b)})"
        for a, targets in graph.items()
        for b in sorted(targets)
        if RANK[stage(b)] < RANK[stage(a)]
    ]
    cycles, state = [], {}  # state: 1 = on the current path, 2 = done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append(path[path.index(nxt) :] + [nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    return against, cycles


def test_imports_follow_the_stage_order_without_cycles():
    modules = module_names(PACKAGE)
    assert {f"verifact.{s}" for s in STAGES} <= set(modules)
    assert len(modules) > 30  # the walk found the package
    against, cycles = check(PACKAGE)
    assert {"against the stage order": against, "cycles": cycles} == {
        "against the stage order": [],
        "cycles": [],
    }


def test_check_finds_a_backward_import_and_a_cycle(tmp_path):
    root = tmp_path / "verifact"
    files = {
        "__init__.py": "from .config import X\n",
        "config.py": "X = 1\n",
        "index/__init__.py": "",
        "index/store.py": "def f():\n    from ..search.search import g\n",  # lazy, backward
        "search/__init__.py": "from .search import g\n",
        "search/search.py": "from ..index import store\n\ndef g():\n    pass\n",
        "app/__init__.py": "",
        "app/chat.py": "from . import ui\n",
        "app/ui.py": "from .chat import ChatService\n",
    }
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    against, cycles = check(root)
    assert against == [
        "verifact.index.store (index) imports verifact.search (search)",
        "verifact.index.store (index) imports verifact.search.search (search)",
    ]
    assert ["verifact.app.chat", "verifact.app.ui", "verifact.app.chat"] in cycles
    assert any("verifact.index.store" in c and "verifact.search.search" in c for c in cycles)
