"""One work in, one row out: the batch verbs over ``ynsert.api``, as plain data.

``process`` never raises for a bad work: the failure goes into the row's ``error`` and
``error_kind`` columns, so one broken file never stops a run of a million.

>>> row, data = process("analyse", {"id": "w1", "source": "w1", "filename": "w1.txt",
...                                 "data": b"You ran home, Y/N."}, None)
>>> row["id"], row["person"], row["error"], data is None
('w1', 'second', None, True)
>>> row, data = process("analyse", {"id": "w2", "source": "w2", "filename": "w2.txt",
...                                 "data": b"   "}, None)
>>> row["error_kind"], row["error"]
('format', 'empty story: the input has no text')
"""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any

from ynsert import api

VERBS = ("analyse", "personalise", "import")


@lru_cache(maxsize=1)
def engine_stamp() -> str:
    """What produced the rows (ynsert, report schema, spaCy and warnings models), one string."""
    return "; ".join(f"{key} {value}" for key, value in api.version_stamp().items())


def warm_up() -> None:
    """Load the one spaCy pipeline of this process now, through the API, not on the first work."""
    api.analyse_work(api.open_work(b"You wake up, Y/N. He smiles at you.", filename="warm.txt"))


def process(
    verb: str, item: dict[str, Any], profile: dict[str, Any] | None, *, text_column: bool = False
) -> tuple[dict[str, Any], bytes | None]:
    """The row for ``item`` and, for ``personalise``, the personalised file's bytes."""
    start = time.perf_counter()
    row = empty_row(item)
    data: bytes | None = None
    try:
        if item.get("error"):
            raise api.InputError(item["error"])
        work = api.open_work(item["data"], filename=item.get("filename"), format=item.get("format"))
        row.update(describe(work))
        report = api.analyse_work(work, declared=item.get("metadata") or None)
        row.update(analysis_columns(report.to_dict()))
        if verb == "personalise":
            result = api.personalise(work, profile)
            data = result.data
            row["edits"] = len(result.edits)
            row["notes"] = list(result.notes)
            row["output_format"] = result.format
            if text_column:
                row["personalised_text"] = result.text
    except api.YnsertError as error:
        row["error_kind"], row["error"] = _kind(error), str(error)
        data = None
    except MemoryError:
        row["error_kind"], row["error"] = "memory", "out of memory while processing this work"
        data = None
    except Exception as error:  # an engine bug must not stop the run: record it and go on
        row["error_kind"], row["error"] = "crash", f"{type(error).__name__}: {error}"
        data = None
    row["seconds"] = round(time.perf_counter() - start, 4)
    return row, data


def _kind(error: api.YnsertError) -> str:
    if isinstance(error, api.FormatError):
        return "format"
    if isinstance(error, api.ProfileError):
        return "profile"
    return "input"


def empty_row(item: dict[str, Any]) -> dict[str, Any]:
    """Every column, unset: a failed work still has its id, source and error."""
    data = item.get("data")
    return {
        "id": item["id"],
        "source": item.get("source") or item["id"],
        "format": None,
        "bytes": len(data) if data else 0,
        "words": 0,
        "chapters": 0,
        "title": None,
        "authors": [],
        "declared": None,
        "declared_warnings": [],
        "person": None,
        "tense": None,
        "warnings": [],
        "triggers": [],
        "detections": [],
        "characters": [],
        "cast": None,
        "relationships": [],
        "reader_gender": None,
        "findings": [],
        "edits": None,
        "notes": [],
        "output_format": None,
        "output_path": None,
        "personalised_text": None,
        "engine": engine_stamp(),
        "seconds": 0.0,
        "error_kind": None,
        "error": None,
    }


def describe(work: Any) -> dict[str, Any]:
    """What the file says about itself: format, size in words and chapters, declared metadata."""
    metadata = work.metadata
    declared = {
        key: value
        for key, value in vars(metadata).items()
        if value not in ("", [], {}, None) and key != "extra"
    }
    return {
        "format": work.format,
        "words": len(work.text.split()),
        "chapters": len(work.chapters),
        "title": metadata.title or None,
        "authors": list(metadata.authors),
        "declared": json.dumps(declared, ensure_ascii=False, sort_keys=True) if declared else None,
    }


def analysis_columns(report: dict[str, Any]) -> dict[str, Any]:
    """The report as flat columns plus nested detections with their evidence."""
    content = report.get("content") or {}
    detections = [
        _detection(kind, entry)
        for kind in ("archive", "triggers")
        for entry in content.get(kind) or []
    ]
    cast = report.get("cast") or {}
    declared = report.get("declared") or {}
    gender = report.get("reader_gender") or {}
    narration = report.get("narration") or {}
    return {
        "person": narration.get("person"),
        "tense": narration.get("tense"),
        "declared_warnings": [str(w) for w in declared.get("warnings") or []],
        "warnings": [d["name"] for d in detections if d["kind"] == "archive"],
        "triggers": [d["name"] for d in detections if d["kind"] == "trigger"],
        "detections": detections,
        "characters": [str(c.get("name")) for c in cast.get("characters") or []],
        "cast": json.dumps(cast, ensure_ascii=False, sort_keys=True),
        "relationships": [str(r.get("tag")) for r in report.get("relationships") or []],
        "reader_gender": gender.get("verdict"),
        "findings": [_finding(f) for f in report.get("findings") or []],
    }


def _detection(kind: str, entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "archive" if kind == "archive" else "trigger",
        "name": str(entry.get("name")),
        "confidence": float(entry.get("confidence") or 0.0),
        "status": entry.get("status"),
        "evidence": [_evidence(e) for e in entry.get("evidence") or []],
    }


def _evidence(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "start": int(entry["start"]),
        "end": int(entry["end"]),
        "line": int(entry["line"]),
        "column": int(entry["column"]),
        "text": str(entry.get("text") or ""),
        "note": str(entry.get("note") or ""),
    }


def _finding(entry: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": str(entry["code"]),
        "kind": str(entry["kind"]),
        "severity": str(entry.get("severity") or "warning"),
        "message": str(entry["message"]),
        "line": int(entry["line"]),
        "column": int(entry["column"]),
    }
