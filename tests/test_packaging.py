"""What an installed sbtext says about itself: version, licence, typing, spaCy factories."""

from __future__ import annotations

import ast
from importlib import metadata
from pathlib import Path

import sbtext


def test_one_version_everywhere():
    assert metadata.version("sbtext") == sbtext.__version__


def test_licence_is_declared_as_an_expression_with_its_file():
    meta = metadata.metadata("sbtext")
    assert meta["License-Expression"] == "MIT"
    assert (Path(__file__).parents[1] / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_package_is_marked_typed():
    assert (Path(sbtext.__file__).parent / "py.typed").is_file()


def test_spacy_factories_are_entry_points():
    names = {e.name for e in metadata.entry_points(group="spacy_factories") if e.value.startswith("sbtext.")}
    assert names == {"sbtext_cue_ruler_v2", "sbtext_sentencizer_v1", "sbtext_simplemma_v1"}


def test_openpyxl_is_not_a_runtime_dependency():
    requires = metadata.requires("sbtext") or []
    runtime = [r for r in requires if "extra ==" not in r]
    assert not any(r.lower().startswith("openpyxl") for r in runtime)


def sbtext_imports(path: Path, package: Path) -> set[str]:
    """The sbtext modules a source file imports, at its top or inside a function."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return {name for name in found if name.startswith("sbtext.") and _module_file(name, package)}


def _module_file(name: str, package: Path) -> Path | None:
    base = package.parent.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def import_graph() -> dict[str, set[str]]:
    package = Path(sbtext.__file__).parent
    graph = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(package.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        graph[name] = sbtext_imports(path, package) - {name}
    return graph


def test_no_module_of_sbtext_imports_itself_back_through_another():
    graph = import_graph()
    assert {"sbtext.api", "sbtext.pipeline", "sbtext.distributed", "sbtext.write.run"} <= set(graph)
    visiting: list[str] = []
    done: set[str] = set()

    def visit(name: str) -> None:
        if name in visiting:
            raise AssertionError("import circle: " + " -> ".join([*visiting[visiting.index(name) :], name]))
        if name in done:
            return
        visiting.append(name)
        for other in sorted(graph.get(name, ())):
            visit(other)
        visiting.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_the_writer_and_the_engines_do_not_import_the_flow_or_the_api():
    graph = import_graph()
    for name in ("sbtext.distributed", *[n for n in graph if n.startswith("sbtext.write")]):
        assert not graph[name] & {"sbtext.api", "sbtext.pipeline", "sbtext.cli"}, name
