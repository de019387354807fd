from __future__ import annotations

from pathlib import Path

import pytest

from riskscreen import Screener

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
