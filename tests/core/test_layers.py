"""The core must run without Qt: importing every core module must not load PySide6."""

import pkgutil
import subprocess
import sys

import schoolvault


def core_modules() -> list[str]:
    names = []
    for m in pkgutil.walk_packages(schoolvault.__path__, "schoolvault."):
        if not m.name.startswith("schoolvault.ui") and not m.name.endswith("__main__"):
            names.append(m.name)
    return names


def test_core_modules_do_not_import_qt():
    mods = core_modules()
    code = ("import importlib, sys\n"
            f"for m in {mods!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
            "print(bad)\nsys.exit(1 if bad else 0)\n")
    r = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
