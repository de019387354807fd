from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from riskscreen import Screener

# CI explores the same examples on every run (a red CI must be reproducible); local runs keep
# exploring new ones, and hypothesis replays any failure it finds from its database.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")

# Never read or write the real per-user cache (downloaded snapshots, index cache) in tests.
os.environ["RISKSCREEN_CACHE_DIR"] = tempfile.mkdtemp(prefix="riskscreen-test-cache-")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def screener() -> Screener:
    return Screener.bundled()


@pytest.fixture(scope="session")
def shared_data() -> Path:
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip("../shared/data is not beside this checkout")
    return data
