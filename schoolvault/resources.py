"""Where shipped resources live: next to the package in a checkout, in _MEIPASS in a bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resource_dir() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def instruments_dir() -> Path:
    return resource_dir() / "instruments"


def fonts_dir() -> Path:
    return resource_dir() / "fonts"


def templates_dir() -> Path:
    return resource_dir() / "templates"
