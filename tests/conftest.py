"""Shared fixtures: a migrated school workspace built once and copied per test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parent.parent
SHARED_REAL = ROOT.parent / "shared" / "fixtures" / "real"


@pytest.fixture(scope="session")
def _template_ws(tmp_path_factory) -> Path:
    from schoolvault import services
    path = tmp_path_factory.mktemp("template") / "school.sqlite"
    ws = services.init_workspace(path, name="서울시험초등학교", level="초", district="동부", year=2025,
                                 code="B000000001")
    ws.close()
    return path


@pytest.fixture(scope="session")
def _template_demo_ws(_template_ws, tmp_path_factory) -> Path:
    from schoolvault.demo import fill_demo
    from schoolvault.workspace import open_workspace
    path = tmp_path_factory.mktemp("template_demo") / "demo.sqlite"
    shutil.copy(_template_ws, path)
    with open_workspace(path) as ws:
        fill_demo(ws, seed=11)
    return path


@pytest.fixture
def fresh_ws_path(_template_ws, tmp_path) -> Path:
    """Path to a new, initialised (empty) school workspace for this test."""
    path = tmp_path / "school.sqlite"
    shutil.copy(_template_ws, path)
    return path


@pytest.fixture
def fresh_ws(fresh_ws_path):
    from schoolvault.workspace import open_workspace
    ws = open_workspace(fresh_ws_path)
    yield ws
    ws.close()


@pytest.fixture
def demo_ws_path(_template_demo_ws, tmp_path) -> Path:
    """Path to a school workspace filled by `demo` (plan, ratings, answers of every group)."""
    path = tmp_path / "demo.sqlite"
    shutil.copy(_template_demo_ws, path)
    return path


@pytest.fixture
def demo_ws(demo_ws_path):
    from schoolvault.workspace import open_workspace
    ws = open_workspace(demo_ws_path)
    yield ws
    ws.close()


@pytest.fixture
def real_fixtures() -> Path:
    if not SHARED_REAL.is_dir():
        pytest.skip("../shared/fixtures/real is not present")
    return SHARED_REAL
