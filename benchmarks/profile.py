"""Profiles for missed targets: where a screening spends its time (cProfile), what a cold
start imports (``-X importtime``), and which parts of a CSL-size screener hold the memory.
"""

from __future__ import annotations

import contextlib
import cProfile
import pstats
import subprocess
import sys
from collections.abc import Sequence

from benchmarks import measure, report
from riskscreen import InputError, Screener


def screening(screener: Screener, names: Sequence[str], top: int = 12) -> str:
    """The functions with the most cumulative time over ``names``, screened one by one."""
    screener.screen("warm-up query")
    profile = cProfile.Profile()
    profile.enable()
    for name in names:
        with contextlib.suppress(InputError):
            screener.screen(name)
    profile.disable()
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats  # type: ignore[attr-defined]
    ranked = sorted(entries.items(), key=lambda kv: -kv[1][3])
    for (file, line, func), (_, calls, tottime, cumtime, _) in ranked:
        if "riskscreen" not in file and "rapidfuzz" not in file and "pydantic" not in file:
            continue
        where = file.split("site-packages/")[-1].split("src/")[-1]
        rows.append((f"`{where}:{line} {func}`", calls, f"{tottime:.3f}", f"{cumtime:.3f}",
                     report.pct(cumtime / total)))  # fmt: skip
        if len(rows) == top:
            break
    return f"cProfile over {len(names):,} screenings ({total:.2f} s profiled):\n\n" + report.table(
        ["function", "calls", "own s", "cumulative s", "share"], rows
    )


def imports(env: dict[str, str], top: int = 10) -> str:
    """The modules whose import (with what they import) takes longest in a cold start."""
    out = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "riskscreen", "check", "iFlytek"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    rows: list[tuple[int, int, str]] = []
    for line in out.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        parts = line.split("|")
        try:
            own, cumulative = int(parts[0].split(":")[1]), int(parts[1])
        except ValueError:
            continue
        name = parts[2].rstrip()
        depth = (len(name) - len(name.lstrip())) // 2
        if depth <= 2:
            rows.append((cumulative, own, name.strip()))
    rows.sort(reverse=True)
    return report.table(
        ["module (top levels)", "cumulative ms", "own ms"],
        [(f"`{n}`", f"{c / 1000:.0f}", f"{o / 1000:.0f}") for c, o, n in rows[:top]],
    )


def memory(csl: str, env: dict[str, str]) -> str:
    """Resident memory as a screening process builds up: interpreter and imports, the merged
    lists, the name index, the corpus index with every entity's mentions."""
    code = (
        "import gc\n"
        "from pathlib import Path\n"
        "import riskscreen\n"
        "from riskscreen.index import NameIndex\n"
        "from riskscreen.lists.assemble import assemble\n"
        "from riskscreen.screen import Screener\n"
        "extra['imports'] = _rss()\n"
        f"data = assemble([Path({csl!r})], bundled=True, snapshots=False, strict=False)\n"
        "gc.collect(); extra['lists'] = _rss()\n"
        "index = NameIndex(data.entities)\n"
        "gc.collect(); extra['index'] = _rss()\n"
        "s = Screener.from_paths([], snapshots=False)\n"
        "s = Screener(data, index=index, packs=s.packs, corpus=s.corpus)\n"
        "s.screen('Hikvision')\n"
        "gc.collect(); extra['screener'] = _rss()\n"
    )
    proc = measure.python(code, env)
    x = proc.extra
    steps = [
        ("interpreter + imports", x["imports"], x["imports"]),
        ("+ merged lists (ListData)", x["lists"], x["lists"] - x["imports"]),
        ("+ name index (NameIndex)", x["index"], x["index"] - x["lists"]),
        ("+ rules, corpus, corpus index, one screening", x["screener"], x["screener"] - x["index"]),
    ]
    return (
        report.table(
            ["stage", "RSS MB", "added MB"], [(w, f"{r:.0f}", f"{d:+.0f}") for w, r, d in steps]
        )
        + f"\n\nPeak RSS of that process: {proc.peak_mb:.0f} MB."
    )
