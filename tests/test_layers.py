"""Data flows one way (vocab → document → rewrite/analysis/formats → api.py → cli/web/batch):
no analysis module imports back up to ``ynsert`` itself, no two analysis modules import each
other (directly or round a longer loop), and the CLI reaches the analyses through ``api`` only.

Imports are read from the source with ``ast``, wherever they are written (inside functions and
``if TYPE_CHECKING:`` blocks too): a lazy or type-only import is still a dependency.
"""

from __future__ import annotations

import ast
from importlib.metadata import version
from pathlib import Path

import ynsert
from ynsert import api
from ynsert.analysis.report import version_stamp

PACKAGE = Path(ynsert.__file__).parent
ANALYSIS = PACKAGE / "analysis"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """Every module ``path`` imports; ``from package import name`` counts as the submodule
    ``package.name`` when that is a module of ynsert, else as ``package``."""
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                is_module = _source_of(candidate) is not None
                modules.add(candidate if is_module else node.module)
    return modules


def _source_of(module: str) -> Path | None:
    if not module.startswith("ynsert."):
        return None
    base = PACKAGE.parent.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.exists():
            return path
    return None


def import_graph(folder: Path) -> dict[str, set[str]]:
    """Module → the modules of the same folder it imports."""
    paths = {module_name(p): p for p in sorted(folder.glob("*.py"))}
    return {name: imported(path) & set(paths) - {name} for name, path in paths.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One loop per strongly connected group of two or more modules (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_cycle_finder_finds_direct_and_longer_loops() -> None:
    assert cycles({"a": {"b"}, "b": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set(), "c": {"a", "b"}}) == []


def test_the_import_reader_sees_lazy_and_type_only_imports(tmp_path: Path) -> None:
    source = tmp_path / "m.py"
    source.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from ynsert.analysis.parsed import Parsed\n"
        "def f():\n    from ynsert.analysis import report\n    import ynsert.vocab\n"
    )
    expected = {"ynsert.analysis.parsed", "ynsert.analysis.report", "ynsert.vocab"}
    assert expected <= imported(source)


def test_no_import_cycle_among_analysis_modules() -> None:
    graph = import_graph(ANALYSIS)
    assert "ynsert.analysis.base" in graph and len(graph) > 10
    assert cycles(graph) == []


def test_base_imports_no_analysis_module() -> None:
    """The bottom of the package: it owns the shared parse (``Parsed``) and ``TextIndex``."""
    assert not import_graph(ANALYSIS)["ynsert.analysis.base"]


def test_no_analysis_module_imports_the_top_of_the_package() -> None:
    for path in sorted(ANALYSIS.glob("*.py")):
        assert "ynsert" not in imported(path), path.name  # e.g. ``from ynsert import __version__``


def test_the_version_comes_from_the_package_metadata() -> None:
    assert version_stamp()["ynsert"] == version("ynsert") == ynsert.__version__


def test_the_cli_imports_nothing_from_the_analyses() -> None:
    modules = imported(PACKAGE / "cli.py")
    assert not {m for m in modules if m == "ynsert.analysis" or m.startswith("ynsert.analysis.")}
    assert "ynsert.api" in modules


def test_the_api_has_the_text_verbs_of_tags_and_check() -> None:
    from ynsert.analysis import format_check, format_tags

    text = b"You ran. You fell.\n\nYou hid. Then the door opens and you see him. You breathe."
    work = api.open_work(text, filename="story.txt")
    report = api.analyse_work(work)
    assert api.tags_text(work) == format_tags(report)  # one chapter: no per-chapter lines
    assert api.check_lines(work, "story.txt") == format_check(report, "story.txt")
    assert api.check_lines(work, "story.txt")[0].startswith("story.txt:3:")
