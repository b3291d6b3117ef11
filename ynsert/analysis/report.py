"""The report: every registered analysis run over one parse, in dependency order.

``Report`` holds each public component's result under its name (``report.narration``,
``report.cast`` …), the writer-facing findings of all of them, and the version stamp of what
produced it. ``to_dict()`` is plain JSON data.
"""

from __future__ import annotations

import hashlib
import pkgutil
from functools import cache
from importlib import import_module, resources
from importlib.metadata import version
from pathlib import Path
from typing import Any

from ynsert.analysis.base import REGISTRY, Component, Context, Finding, TagItem, _plain
from ynsert.analysis.parsed import Parsed

#: Bumped when the report's JSON changes shape (fields renamed or removed).
REPORT_SCHEMA = 2


class Report:
    """Everything ``analyse`` found; each result is the dataclass its analysis module defines."""

    def __init__(
        self, results: dict[str, Any], findings: list[Finding], version: dict[str, str]
    ) -> None:
        self.results = results
        self.findings = findings
        self.version = version

    def __getattr__(self, name: str) -> Any:
        results = self.__dict__.get("results", {})
        if name in results:
            return results[name]
        raise AttributeError(f"the report has no analysis {name!r}")

    @property
    def tags(self) -> list[TagItem]:
        tags: list[TagItem] = self.results.get("tags", [])
        return tags

    def tag_names(self, kind: str) -> list[str]:
        return [t.name for t in self.tags if t.field == kind]

    def to_dict(self) -> dict[str, Any]:
        data = {"version": dict(self.version)}
        data.update({name: _plain(value) for name, value in self.results.items()})
        data["findings"] = _plain(self.findings)
        return data


def build_report(parsed: Parsed, given: object | None = None) -> Report:
    """Run every registered component over ``parsed``; findings sorted by place and code."""
    context = Context(parsed, parsed.index, given)
    results: dict[str, Any] = {}
    for component in components():
        results[component.name] = component.run(context, results)
    findings = [
        finding
        for component in components()
        if component.findings is not None
        for finding in component.findings(results[component.name], context, results)
    ]
    findings.sort(key=lambda f: (f.start, f.code))
    public = {c.name: results[c.name] for c in sorted(components(), key=lambda c: c.order)}
    return Report(
        {name: value for name, value in public.items() if REGISTRY[name].public},
        findings,
        version_stamp(),
    )


@cache
def components() -> tuple[Component, ...]:
    """Every analysis module of the package imported (so it registers), in dependency order."""
    # the package's folder, not the package object: a module does not import its own package
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        import_module(f"{__package__}.{module.name}")
    ordered: list[Component] = []
    visiting: set[str] = set()

    def visit(name: str) -> None:
        if any(c.name == name for c in ordered):
            return
        if name in visiting or name not in REGISTRY:
            raise RuntimeError(f"analysis {name!r} is missing or depends on itself")
        visiting.add(name)
        for need in REGISTRY[name].needs:
            visit(need)
        ordered.append(REGISTRY[name])

    for name in sorted(REGISTRY, key=lambda n: REGISTRY[n].order):
        visit(name)
    return tuple(ordered)


@cache
def version_stamp() -> dict[str, str]:
    """ynsert, the spaCy model and the warnings models that produced a report."""
    from ynsert.analysis import warnings_model, workmodel
    from ynsert.document.pipeline import MODEL_PACKAGE, MODEL_VERSION

    # both shipped models (passage and work level): a retrained one makes stored reports stale
    data = resources.files("ynsert.analysis").joinpath("data")
    weights = b"".join(
        data.joinpath(name).read_bytes()
        for name in (warnings_model.MODEL_RESOURCE, workmodel.MODEL_RESOURCE)
    )
    return {
        "ynsert": version("ynsert"),  # the package metadata: no import back up to ynsert
        "report_schema": str(REPORT_SCHEMA),
        "spacy_model": f"{MODEL_PACKAGE}=={MODEL_VERSION}",
        "warnings_model": "sha256:" + hashlib.sha256(weights).hexdigest()[:16],
    }
