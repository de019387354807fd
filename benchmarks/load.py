"""Load: loading and indexing a CSL-size list, and ``riskscreen check`` cold starts, each in a
fresh process, repeated; medians, with ratios to reading the same file with ``csv.reader``
(the floor any loader pays), measured in the same run.

Python bytecode is cached (in a temporary ``PYTHONPYCACHEPREFIX``, warmed once) as it is for
an installed wheel; the cold start is also measured without it, as in a checkout run with
``PYTHONDONTWRITEBYTECODE=1``.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import measure, report
from benchmarks.measure import Proc


@dataclass(frozen=True)
class Row:
    what: str
    proc: Proc
    ratio: float | None
    note: str


@dataclass(frozen=True)
class Load:
    rows: list[Row]
    cold_start: Proc  # riskscreen check iFlytek, bundled lists, bytecode cached
    cold_start_source: Proc | None  # the same compiling from source
    build: Proc  # parse + merge + index, no cache; extra: assemble, index (s)
    screening: Proc  # a screener over the CSL loaded from the cache, after one screening


def _repeat(run: Callable[[], Proc], repeats: int) -> Proc:
    return measure.median_proc([run() for _ in range(repeats)])


def run(csl: Path | None, repeats: int) -> Load:
    cache = Path(tempfile.mkdtemp(prefix="riskscreen-bench-cache-"))
    pyc = Path(tempfile.mkdtemp(prefix="riskscreen-bench-pyc-"))
    env = {**os.environ, "RISKSCREEN_CACHE_DIR": str(cache), "PYTHONPYCACHEPREFIX": str(pyc)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    source_env = {k: v for k, v in env.items() if k != "PYTHONPYCACHEPREFIX"}
    source_env["PYTHONDONTWRITEBYTECODE"] = "1"
    check = [sys.executable, "-m", "riskscreen", "check", "iFlytek"]
    try:
        measure.command(check, env)  # writes the bytecode cache
        cold = _repeat(lambda: measure.command(check, env), max(repeats, 3))
        imports = _repeat(lambda: measure.python("import riskscreen.cli, riskscreen", env), repeats)
        bare = _repeat(lambda: measure.command([sys.executable, "-c", "pass"], env), repeats)
        source = _repeat(lambda: measure.command(check, source_env), repeats)

        def first_run() -> Proc:
            shutil.rmtree(cache / "index", ignore_errors=True)
            return measure.command(check, env)

        first = _repeat(first_run, repeats)
        startup = (cold, source, first, imports, bare)
        if csl is None:
            empty = Proc(0.0, 0.0, 0.0, {})
            return Load(_startup_rows(*startup), cold, source, empty, empty)
        return _with_csl(csl, repeats, env, startup)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        shutil.rmtree(pyc, ignore_errors=True)


def _startup_rows(cold: Proc, source: Proc, first: Proc, imports: Proc, bare: Proc) -> list[Row]:
    return [
        Row("python -c pass (interpreter start)", bare, None, "whole process"),
        Row("import riskscreen, riskscreen.cli", imports, None, "in process, start excluded"),
        Row("riskscreen check iFlytek (bundled lists)", cold, None, "whole process: cold start"),
        Row("… compiling from source (no bytecode)", source, None, "PYTHONDONTWRITEBYTECODE=1"),
        Row("… first run (empty index cache)", first, None, "bundled lists parsed and indexed"),
    ]


def _with_csl(csl: Path, repeats: int, env: dict[str, str], startup: tuple[Proc, ...]) -> Load:
    path = repr(str(csl))
    baseline = _repeat(
        lambda: measure.python(f"import csv; list(csv.reader(open({path})))", env), repeats
    )
    parse = _repeat(
        lambda: measure.python(
            f"from riskscreen.lists.sources.csl import read_csl_csv; read_csl_csv({path})", env
        ),
        repeats,
    )
    build_code = (
        "from pathlib import Path\n"
        "from riskscreen.index import NameIndex\n"
        "from riskscreen.lists.assemble import assemble\n"
        "from riskscreen.lists.cache import _gc_paused\n"
        "with _gc_paused():\n"
        f"    data = assemble([Path({path})], bundled=True, snapshots=False, strict=False)\n"
        "    extra['assemble'] = time.perf_counter() - t\n"
        "    index = NameIndex(data.entities)\n"
        "extra['index'] = time.perf_counter() - t - extra['assemble']\n"
        "extra['names'] = len(index.names)\n"
        "extra['entities'] = len(data.entities)\n"
    )
    build = _repeat(lambda: measure.python(build_code, env), repeats)
    load_code = (
        "from pathlib import Path\nfrom riskscreen.lists.cache import load_indexed\n"
        f"load_indexed([Path({path})], bundled=True, snapshots=False)"
    )
    measure.python(load_code, env)  # writes the index cache
    warm = _repeat(lambda: measure.python(load_code, env), repeats)
    screen_code = (
        "from riskscreen import Screener\n"
        f"s = Screener.from_paths([{path}], snapshots=False)\n"
        "s.screen('Hikvision')\n"
    )
    screening = _repeat(lambda: measure.python(screen_code, env), repeats)
    check = [sys.executable, "-m", "riskscreen", "check", "Hikvision", "--list", str(csl)]
    check_csl = _repeat(lambda: measure.command(check, env), repeats)
    base = baseline.seconds
    cold, source = startup[0], startup[1]
    rows = [
        Row("baseline: csv.reader over the file", baseline, 1.0, "the floor"),
        Row("parse (CSL adapter)", parse, parse.seconds / base, "rows → entities"),
        Row(
            "parse + merge + index, no cache",
            build,
            build.seconds / base,
            f"of which index {build.extra['index']:.2f} s "
            f"({build.extra['entities']:,.0f} entities, {build.extra['names']:,.0f} name forms)",
        ),
        Row("load lists + index from the cache", warm, warm.seconds / base, "every later run"),
        Row(
            "Screener.from_paths(CSL) + one screening",
            screening,
            screening.seconds / base,
            "rules and corpus index built too: a screening process",
        ),
        Row("riskscreen check Hikvision --list CSL", check_csl, None, "whole process, warm cache"),
        *_startup_rows(*startup),
    ]
    return Load(rows, cold, source, build, screening)


def table(load: Load) -> str:
    return report.table(
        ["step", "median s", "ratio to baseline", "RSS at end MB", "peak RSS MB", "note"],
        [
            (
                r.what,
                f"{r.proc.seconds:.3f}",
                report.ratio(r.ratio),
                f"{r.proc.rss_mb:.0f}" if r.proc.rss_mb else "—",
                f"{r.proc.peak_mb:.0f}" if r.proc.peak_mb else "—",
                r.note,
            )
            for r in load.rows
        ],
    )
