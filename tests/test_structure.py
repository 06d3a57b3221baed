"""The code stays one a person can hold in their head (issue 17): small domain files, no import circles.

Read from the source with `ast`, imports inside functions included (a lazy
import still ties two modules together), so these fail the moment someone
adds a circle or lets a file grow past the line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
SHARED_DIALOGS = "tui.screens.dialogs"  # modal dialogs that return a result: any screen may open one


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports_of(path: Path, known: set[str], root: Path = ROOT) -> set[str]:
    """The project's modules this file imports, as `folder.module` names (heartline.x.y is x.y)."""
    name = module_name(path, root)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            targets = [stem] + [f"{stem}.{alias.name}" for alias in node.names]
        for target in targets:
            target = target.removeprefix("heartline.")
            if target in known and target != name:
                found.add(target)
    return found


def graph(folder: str, root: Path = ROOT) -> dict[str, set[str]]:
    paths = sorted((root / folder).rglob("*.py"))
    known = {module_name(p, root) for p in paths}
    return {module_name(p, root): imports_of(p, known, root) for p in paths}


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each as the path that closes it (a depth-first search)."""
    found, state = [], {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == "open":
                found.append(trail[trail.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, trail + [nxt])
        state[node] = "done"

    for node in sorted(edges):
        if node not in state:
            visit(node, [node])
    return found


def without_packages(edges: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's __init__ re-exporting its own parts is not a circle: leave out edges into one's own package."""
    return {m: {n for n in out if not (m.startswith(n + ".") or n.startswith(m + "."))} for m, out in edges.items()}


def test_no_file_in_the_domain_is_over_400_lines():
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / "sessions").rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not long, long


def test_no_import_circle_in_the_domain():
    assert circles(without_packages(graph("sessions"))) == []


def test_screens_never_import_each_other():
    """They post `Go` and the app decides what comes next; only the shared dialogs are imported."""
    screens = {m: out for m, out in graph("tui").items() if m.startswith("tui.screens.")}
    crossing = {m: sorted(n for n in out if n.startswith("tui.screens.") and n != SHARED_DIALOGS)
                for m, out in screens.items()}
    assert {m: out for m, out in crossing.items() if out} == {}
    assert not any(n.startswith("tui.screens.") for n in screens.get(SHARED_DIALOGS, ()))
    assert circles(without_packages(screens)) == []


def test_the_domain_imports_no_textual_and_nothing_above_it():
    for path in (ROOT / "sessions").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            for name in names:
                assert not name.startswith(("textual", "heartline.tui", "heartline.themes")), (path, name)


@pytest.mark.parametrize("edges, expected", [
    ({"a": {"b"}, "b": {"a"}}, [["a", "b", "a"]]),
    ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
    ({"a": {"a.x"}, "a.x": {"a"}}, [["a", "a.x", "a"]]),
])
def test_the_circle_finder_finds_circles(edges, expected):
    assert circles(edges) == expected


def test_the_reader_sees_a_lazy_import_circle(tmp_path):
    """What issue 17 found: the rituals imported the engine back inside a method; that is a circle too."""
    (tmp_path / "sessions" / "rituals").mkdir(parents=True)
    (tmp_path / "sessions" / "__init__.py").write_text("")
    (tmp_path / "sessions" / "engine.py").write_text("from .rituals import Ritual\n")
    (tmp_path / "sessions" / "rituals" / "__init__.py").write_text(
        "def estimate():\n    from ..engine import Settings\n")
    edges = without_packages(graph("sessions", tmp_path))
    assert circles(edges) == [["sessions.engine", "sessions.rituals", "sessions.engine"]]
