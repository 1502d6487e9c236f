"""The house rules a newcomer relies on to find their room: short functions, modules of one concern,
no import circle, and no module that changes the process's environment behind the caller's back."""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "hotdog"
SOURCES = sorted(PACKAGE.rglob("*.py"))
MAX_FUNCTION_LINES, MAX_FILE_LINES = 60, 500


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _tree(path: Path) -> ast.AST:
    return ast.parse(path.read_text(), filename=str(path))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_functions_are_short(path):
    long = [f"{node.name} (line {node.lineno}): {node.end_lineno - node.lineno + 1} lines"
            for node in ast.walk(_tree(path)) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
            and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES]
    assert not long, f"functions over {MAX_FUNCTION_LINES} lines in {path.name}: {long}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE.parent)))
def test_files_are_short(path):
    assert len(path.read_text().splitlines()) <= MAX_FILE_LINES


def _imports(path: Path, modules: set[str]) -> set[str]:
    """The hotdog modules ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(_tree(path)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name in modules}


def test_no_import_circle():
    modules = {_module_name(p): p for p in SOURCES}
    graph = {name: _imports(path, set(modules)) - {name} for name, path in modules.items()}
    # a package's __init__ re-exports its modules; importing the package is not a dependency of its members
    for name in graph:
        graph[name] = {m for m in graph[name] if not name.startswith(m + ".")}

    def cycle_from(start, node, seen):
        for nxt in graph[node]:
            if nxt == start:
                return [node, nxt]
            if nxt not in seen:
                seen.add(nxt)
                rest = cycle_from(start, nxt, seen)
                if rest:
                    return [node, *rest]
        return None

    cycles = [c for name in sorted(graph) if (c := cycle_from(name, name, {name}))]
    assert not cycles, "import circles: " + "; ".join(" -> ".join(c) for c in cycles)


def test_runtime_writes_no_environment_variable():
    writes = []
    for node in ast.walk(_tree(PACKAGE / "runtime.py")):
        target = None
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            target = next((t for t in targets if isinstance(t, ast.Subscript) and "environ" in ast.unparse(t.value)), None)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("setdefault", "update", "pop", "putenv") and "environ" in ast.unparse(node.func.value) \
                    or node.func.attr == "putenv":
                target = node
        if target is not None:
            writes.append(f"line {node.lineno}: {ast.unparse(node)[:60]}")
    assert not writes, writes
