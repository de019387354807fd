"""Measuring: medians of repeats, percentiles, resident memory, and fresh Python processes."""

from __future__ import annotations

import math
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def percentile(samples: Sequence[float], p: float) -> float:
    """Nearest-rank percentile (p in 0–100) of unsorted samples."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def rss_mb() -> float:
    """Resident set size of this process now (Linux /proc; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass(frozen=True)
class Proc:
    seconds: float  # as measured inside the process (or wall time for a whole command)
    rss_mb: float  # resident at the end
    peak_mb: float  # peak resident
    extra: dict[str, float]


# Peak memory is VmHWM, not ru_maxrss: Linux carries ru_maxrss over a fork and exec, so a
# child of a large benchmark process would report the parent's size.
_PRELUDE = """\
import sys, time
def _rss(field='VmRSS:'):
    try:
        for line in open('/proc/self/status'):
            if line.startswith(field):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0
extra = {}
t = time.perf_counter()
"""
_POSTLUDE = """
wall = time.perf_counter() - t
print('RESULT', wall, _rss(), _rss('VmHWM:'), *[f'{k}={v}' for k, v in extra.items()])
"""


def python(code: str, env: dict[str, str]) -> Proc:
    """Run ``code`` in a fresh interpreter; time it from inside (startup excluded). The code may
    put named numbers in ``extra`` (e.g. a sub-step's time)."""
    out = subprocess.run(
        [sys.executable, "-c", _PRELUDE + code + _POSTLUDE],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if out.returncode != 0:
        raise RuntimeError(f"benchmark process failed:\n{out.stderr[-2000:]}")
    line = next(x for x in out.stdout.splitlines() if x.startswith("RESULT "))
    _, wall, rss, peak, *rest = line.split()
    extra = {k: float(v) for k, v in (item.split("=", 1) for item in rest)}
    return Proc(float(wall), float(rss), float(peak), extra)


def command(args: Sequence[str], env: dict[str, str], ok: tuple[int, ...] = (0, 1)) -> Proc:
    """Wall time of a whole command (interpreter start included); memory is not measured."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        code = subprocess.run(
            list(args), stdout=subprocess.DEVNULL, stderr=errors, env=env, check=False
        ).returncode
        wall = time.perf_counter() - started
        if code not in ok:
            errors.seek(0)
            raise RuntimeError(f"{' '.join(args)} exited {code}: {errors.read()[-2000:]!r}")
    return Proc(wall, 0.0, 0.0, {})


def median_proc(samples: Sequence[Proc]) -> Proc:
    keys = samples[0].extra.keys()
    return Proc(
        statistics.median(s.seconds for s in samples),
        statistics.median(s.rss_mb for s in samples),
        max(s.peak_mb for s in samples),
        {k: statistics.median(s.extra[k] for s in samples) for k in keys},
    )
