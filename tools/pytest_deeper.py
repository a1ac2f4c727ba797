"""pytest plugin for the book's test pipeline (pytest.ini loads it for every test run).

nbval executes each chapter once (an instrumented copy written by tools/check_exercises.py).
This plugin turns that one execution into everything else the tests and the build need:

- each cell's outputs are kept; when a chapter passes, its executed notebook (the stored cells,
  without the inserted exercise guards) goes into the book's execution cache, so the book build
  that follows executes nothing;
- a cell that writes to stderr fails, naming its chapter, cell and text, unless the text matches
  ALLOWED_STDERR (each entry says why it is allowed);
- at the end it prints one line per chapter: code cells run, seconds, and the first failure
  (chapter, cell, error).
"""

import copy
import re
import time
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "_build" / ".jupyter_cache"
ALLOWED_STDERR = {  # pattern: why it may appear
    r"^\s*$": "blank lines",
}
_notebooks = {}  # nbval file item -> record


def _is_cell(item):
    return type(item).__name__ == "IPyNbCell"


def _record(file_item):
    return _notebooks.setdefault(
        file_item, {"ran": 0, "seconds": 0.0, "failed": None, "started": None}
    )


def _strip_ansi(text):
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def _stderr(outputs):
    bad = []
    for out in outputs or []:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            bad += [
                line
                for line in out.get("text", "").splitlines()
                if not any(re.search(p, line) for p in ALLOWED_STDERR)
            ]
    return "\n".join(bad[:20])


def _where(item):
    chapter = Path(str(item.parent.fspath)).stem
    index = item.cell.get("metadata", {}).get("deeper", {}).get("cell")
    return chapter, ("inserted exercise check" if index is None else f"cell {index}")


def pytest_collection_modifyitems(items):
    for item in items:
        if _is_cell(item):
            item.add_marker(pytest.mark.notebooks)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    t0 = time.perf_counter()
    yield
    if _is_cell(item):
        _record(item.parent)["seconds"] += time.perf_counter() - t0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if not _is_cell(item) or call.when != "call":
        return
    rec = _record(item.parent)
    rec["ran"] += 1
    item.cell.outputs = [nbformat.from_dict(dict(o)) for o in (item.test_outputs or [])]
    chapter, where = _where(item)
    if report.failed and rec["failed"] is None:
        errors = [o for o in item.test_outputs or [] if o.get("output_type") == "error"]
        if errors:
            err = f"{errors[-1]['ename']}: {_strip_ansi(str(errors[-1]['evalue']))}"
        else:
            lines = _strip_ansi(
                str(call.excinfo.value) if call.excinfo else ""
            ).splitlines()
            err = next(
                (l for l in lines if re.search(r"Error|Exception|Timeout", l)), "failed"
            )
        rec["failed"] = f"{where}: {err.strip()[:300]}"
    elif report.passed and (text := _stderr(item.test_outputs)):
        report.outcome = "failed"
        report.longrepr = (
            f"{chapter}, {where} wrote to stderr (allowed patterns: tools/pytest_deeper.py):\n"
            f"{text}"
        )
        rec["failed"] = (
            rec["failed"] or f"{where}: wrote to stderr: {text.splitlines()[0][:200]}"
        )


def _executed_original(nb):
    """The chapter as stored: inserted guard cells dropped, with the outputs nbval got."""
    nb = copy.deepcopy(nb)
    cells = []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("deeper", {})
        if meta.get("inserted"):
            continue
        if "cell" in meta:
            del meta["cell"]
            if not meta:
                del cell.metadata["deeper"]
        if cell.cell_type == "code":
            cell.execution_count = None
        cells.append(cell)
    nb.cells = cells
    source = nb.metadata.pop("deeper", {}).get("source")
    return nb, source


def pytest_sessionfinish(session):
    if not _notebooks:
        return
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(CACHE))
    for file_item, rec in _notebooks.items():
        n_code = sum(c.cell_type == "code" for c in file_item.nb.cells)
        if rec["failed"] or rec["ran"] < n_code:
            continue
        nb, source = _executed_original(file_item.nb)
        if source:
            bundle = CacheBundleIn(
                nb, str(ROOT / source), data={"execution_seconds": rec["seconds"]}
            )
            cache.cache_notebook_bundle(bundle, check_validity=False, overwrite=True)


def pytest_terminal_summary(terminalreporter):
    if not _notebooks:
        return
    tr = terminalreporter
    tr.section("chapters executed (each once)")
    total = 0.0
    for file_item, rec in _notebooks.items():
        total += rec["seconds"]
        status = (
            f"FAILED at {rec['failed']}"
            if rec["failed"]
            else "ok, cached for the build"
        )
        tr.write_line(
            f"{Path(str(file_item.fspath)).stem:22s} {rec['seconds']:6.1f} s  {status}"
        )
    tr.write_line(f"{len(_notebooks)} chapter executions, {total:.0f} s in all")
