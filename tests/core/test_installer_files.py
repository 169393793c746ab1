"""The installer files agree with the code: paths exist, one version, and the user's data is never deleted.

The bundle itself is built and smoke-tested by `make bundle` (too slow for `make test`); these checks
read the spec, the Inno Setup script and the workflow, and exercise installer/buildinfo.py.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml

import schoolvault
from schoolvault import paths

ROOT = Path(__file__).resolve().parents[2]
INSTALLER = ROOT / "installer"
ISS = INSTALLER / "schoolvault.iss"
SPEC = INSTALLER / "schoolvault.spec"
WORKFLOW = ROOT / ".github" / "workflows" / "windows-installer.yml"
# Changing it makes Windows treat the next release as a different program: no upgrade in place.
APP_ID = "{{16760C8F-1AFD-42DC-80DE-D6FFED828650}"

sys.path.insert(0, str(INSTALLER))
import buildinfo


def iss_text() -> str:
    return ISS.read_text(encoding="utf-8-sig")


def iss_sections() -> dict[str, list[str]]:
    """Section name (lower case) -> its non-comment lines; preprocessor lines are dropped."""
    sections: dict[str, list[str]] = {}
    current = ""
    for raw in iss_text().splitlines():
        line = raw.strip()
        if not line or line.startswith((";", "#")):
            continue
        m = re.fullmatch(r"\[(\w+)\]", line)
        if m:
            current = m.group(1).lower()
            sections.setdefault(current, [])
        else:
            sections.setdefault(current, []).append(line)
    return sections


def setup_directives() -> dict[str, str]:
    return dict(line.split("=", 1) for line in iss_sections()["setup"])


def iss_define(name: str) -> str:
    m = re.search(rf'^#define {name} "([^"]*)"', iss_text(), re.MULTILINE)
    assert m, f"#define {name} missing in {ISS.name}"
    return m.group(1)


# ------------------------------------------------------------------ version: one place
def test_build_reads_the_package_version():
    assert buildinfo.read_version() == schoolvault.__version__


@pytest.mark.parametrize("version, expected", [
    ("0.1.0", (0, 1, 0, 0)), ("2.3", (2, 3, 0, 0)), ("0.2.0rc1", (0, 2, 0, 0)),
    ("1.2.3.4.5", (1, 2, 3, 4)), ("1.0.0.dev3", (1, 0, 0, 0)),
])
def test_windows_version_has_four_numbers(version, expected):
    assert buildinfo.version_tuple(version) == expected


def test_version_file_carries_the_package_version():
    """The generated file is the expression PyInstaller evaluates; evaluate it with recording stand-ins."""
    def record(kind):
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable", "StringStruct",
             "VarFileInfo", "VarStruct"]
    text = buildinfo.version_file_text("1.4.2", "schoolvault", "SchoolVault 학교평가")
    info = eval(text, {n: record(n) for n in names})
    ffi = info[2]["ffi"][2]
    assert ffi["filevers"] == ffi["prodvers"] == (1, 4, 2, 0)
    strings = dict(s[1] for s in info[2]["kids"][0][1][0][0][1][1])
    assert strings["ProductVersion"] == strings["FileVersion"] == "1.4.2"
    assert strings["OriginalFilename"] == "schoolvault.exe"
    assert strings["FileDescription"] == "SchoolVault 학교평가"
    assert info[2]["kids"][0][1][0][0][1][0] == "041204B0"  # Korean, Unicode


# ------------------------------------------------------------------ the PyInstaller spec
def test_spec_names_files_that_exist():
    spec = SPEC.read_text(encoding="utf-8")
    scripts = re.findall(r'"(entry_\w+\.py)"', spec)
    assert sorted(scripts) == ["entry_cli.py", "entry_gui.py"]
    for s in scripts:
        assert (INSTALLER / s).is_file()
    assert '"resources"' in spec and (ROOT / "resources").is_dir()
    for icon in ("schoolvault.ico", "schoolvault.png", "schoolvault.svg"):
        assert (ROOT / "resources" / "icons" / icon).is_file()
    assert "console=False" in spec and "console=True" in spec


def test_entry_points_match_the_installed_scripts():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert 'schoolvault-cli = "schoolvault.cli:main"' in pyproject
    assert 'schoolvault = "schoolvault.ui.app:main"' in pyproject
    assert "from schoolvault.cli import main" in (INSTALLER / "entry_cli.py").read_text(encoding="utf-8")
    assert "from schoolvault.ui.app import main" in (INSTALLER / "entry_gui.py").read_text(encoding="utf-8")


def test_qt_modules_are_read_from_the_gui_source(tmp_path):
    (tmp_path / "a.py").write_text("from PySide6.QtSvg import QSvgRenderer\nimport PySide6.QtPrintSupport\n")
    (tmp_path / "b.py").write_text("from PySide6 import QtCharts, QtCore\nfrom .pages import x\n")
    used = buildinfo.used_qt_modules(tmp_path)
    assert used == {"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtPrintSupport", "QtCharts"}
    excluded = buildinfo.qt_excludes({"QtCore", "QtGui", "QtWidgets", "QtSvg", "QtQuick", "QtNetwork"}, used)
    assert excluded == ["PySide6.QtNetwork", "PySide6.QtQuick"]


def test_the_real_gui_keeps_what_it_imports():
    used = buildinfo.used_qt_modules()
    assert {"QtCore", "QtGui", "QtWidgets"} <= used
    assert not used & {"QtWebEngineCore", "Qt3DCore", "QtMultimedia", "QtQuick", "QtQml"}


@pytest.mark.parametrize("dest, windows, dropped", [
    ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", False, True),
    ("PySide6/Qt/plugins/platforms/libqvnc.so", False, True),
    ("PySide6/Qt/plugins/generic/libqtuiotouchplugin.so", False, True),
    ("PySide6/Qt/plugins/imageformats/libqwebp.so", False, True),
    ("PySide6\\plugins\\imageformats\\qtiff.dll", True, True),
    ("PySide6/Qt/plugins/platforms/libqxcb.so", False, False),
    ("PySide6/Qt/plugins/platforms/libqoffscreen.so", False, False),  # the smoke test runs on it
    ("PySide6\\plugins\\platforms\\qwindows.dll", True, False),
    ("PySide6\\plugins\\platforms\\qoffscreen.dll", True, False),
    ("PySide6/Qt/plugins/imageformats/libqsvg.so", False, False),
    ("PySide6/Qt/translations/qtbase_ko.qm", False, False),
    ("PySide6/Qt/translations/qtbase_de.qm", False, True),
    ("PySide6\\opengl32sw.dll", True, True),
    ("PySide6/Qt/lib/libQt6Gui.so.6", False, False),
])
def test_lean_bundle_drops_only_unused_qt_parts(dest, windows, dropped):
    assert buildinfo.dropped(dest, windows) is dropped


def test_libraries_only_a_dropped_plugin_needed_are_pruned():
    graph = {
        "/s/ext.so": ["libQt6Gui.so.6", "libffi.so.8"],
        "/s/libqxcb.so": ["libQt6Gui.so.6", "libxcb.so.1"],
        "/s/libqgtk3.so": ["libgtk-3.so.0", "libcairo.so.2", "libQt6Gui.so.6"],
        "/s/libcairo.so.2": ["libpixman-1.so.0"],
        "/s/libQt6Gui.so.6": ["libQt6Core.so.6"],
        "/s/_avif.so": ["libavif-1a.so.16"],
    }
    before = [
        ("PySide6/QtGui.abi3.so", "/s/ext.so", "EXTENSION"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/s/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/s/libqgtk3.so", "BINARY"),
        ("libcairo.so.2", "/s/libcairo.so.2", "BINARY"),
        ("libpixman-1.so.0", "/s/libpixman-1.so.0", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/s/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/s/libQt6Core.so.6", "BINARY"),
        ("libffi.so.8", "/s/libffi.so.8", "BINARY"),
        ("libxcb.so.1", "/s/libxcb.so.1", "BINARY"),
        ("libctypes-only.so", "/s/libctypes-only.so", "BINARY"),  # found via ctypes, not DT_NEEDED
        ("libcairo.so.2", "PySide6/Qt/lib/libcairo.so.2", "SYMLINK"),
        ("PIL/_avif.cpython-311-x86_64-linux-gnu.so", "/s/_avif.so", "EXTENSION"),
        ("pillow.libs/libavif-1a.so.16", "/s/libavif-1a.so.16", "BINARY"),
    ]
    after = [e for e in before if "qgtk3" not in e[0] and "_avif" not in e[0]]  # excluded module, too
    kept, gone = buildinfo.prune_orphans(before, after, needed=lambda path: graph.get(path, []))
    assert gone == {"libcairo.so.2", "libpixman-1.so.0", "libavif-1a.so.16"}
    kept_names = {e[0] for e in kept}
    assert {"libffi.so.8", "libxcb.so.1", "libctypes-only.so", "PySide6/Qt/lib/libQt6Core.so.6"} <= kept_names
    assert not any(e[0] == "libcairo.so.2" for e in kept)  # the symlink goes with its library


# ------------------------------------------------------------------ the Inno Setup script
def test_iss_is_utf8_with_bom():
    assert ISS.read_bytes().startswith(b"\xef\xbb\xbf")  # Inno Setup < 6.3 needs it for the Korean text


def test_iss_installs_per_user_in_korean_and_upgrades_in_place():
    d = setup_directives()
    assert d["AppId"] == APP_ID
    assert d["PrivilegesRequired"] == "lowest"
    assert d["DefaultDirName"].startswith("{autopf}\\")
    assert d["AppVersion"] == "{#AppVersion}"
    assert d["OutputBaseFilename"] == "SchoolVault-{#AppVersion}-setup"
    assert (INSTALLER / d["SetupIconFile"].replace("\\", "/")).resolve().is_file()
    assert d["UninstallDisplayIcon"] == "{app}\\{#AppExe}"
    assert iss_define("AppExe") == f"{buildinfo.GUI_EXE}.exe"
    langs = iss_sections()["languages"]
    assert langs == ['Name: "korean"; MessagesFile: "compiler:Languages\\Korean.isl"']
    icons = "\n".join(iss_sections()["icons"])
    assert "{group}\\" in icons and "{autodesktop}\\" in icons and "Tasks: desktopicon" in icons


def test_iss_bundle_dir_is_where_build_bundle_puts_it():
    m = re.search(r'#define BundleDir AddBackslash\(SourcePath\) \+ "\.\.\\dist\\(\w+)"', iss_text())
    assert m and m.group(1) == buildinfo.DIST_NAME
    build = (INSTALLER / "build_bundle.py").read_text(encoding="utf-8")
    assert 'f"SchoolVault-{version}-setup.exe"' in build
    assert "/DAppVersion=" in build and "/DBundleDir=" in build


def test_iss_data_dir_is_the_apps_user_data_dir(monkeypatch):
    """The folder the installer keeps is the one platformdirs gives the app on Windows."""
    import platformdirs
    import platformdirs.windows as win

    calls = []
    monkeypatch.delenv(paths.DATA_DIR_ENV, raising=False)
    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: calls.append((a, k)) or "/x")
    paths.user_data_dir()
    assert calls == [((paths.APP_DIR_NAME,), {"appauthor": False})]

    monkeypatch.setattr(win, "get_win_folder", lambda csidl: {"CSIDL_LOCAL_APPDATA": "C:/U/AppData/Local"}[csidl])
    on_windows = win.Windows(appname=paths.APP_DIR_NAME, appauthor=False).user_data_dir
    assert on_windows.replace("\\", "/") == "C:/U/AppData/Local/SchoolVault"
    assert iss_define("DataDir") == "{localappdata}\\" + paths.APP_DIR_NAME


def test_data_dir_can_be_moved_for_a_portable_copy(monkeypatch, tmp_path):
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(tmp_path / "USB"))
    assert paths.default_workspace() == tmp_path / "USB" / paths.DEFAULT_WORKSPACE_NAME


def test_cli_default_workspace_is_in_the_data_dir():
    from schoolvault.cli import default_db
    assert default_db() == paths.default_workspace()
    assert paths.default_workspace().parent == paths.user_data_dir()


def test_iss_never_deletes_the_users_data():
    sections = iss_sections()
    assert "uninstalldelete" not in sections
    for line in sections.get("installdelete", []):
        name = re.search(r'Name: "([^"]+)"', line).group(1)
        assert name.startswith("{app}\\"), line
    dirs = [d for d in sections["dirs"] if "{#DataDir}" in d]
    assert dirs and all("uninsneveruninstall" in d for d in dirs)
    code = "\n".join(sections.get("code", []))
    assert not re.search(r"\b(DelTree|DeleteFile|RemoveDir|DelayDeleteFile)\b", code, re.IGNORECASE)
    # No line anywhere removes a user-data constant.
    for line in iss_text().splitlines():
        if re.search(r"Type:\s*(files|filesandordirs|dirifempty)", line):
            assert not re.search(r"\{(localappdata|userappdata|appdata|userdocs|#DataDir)", line), line


# ------------------------------------------------------------------ the Windows workflow
def test_workflow_runs_the_documented_command_on_windows():
    wf = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    job = wf["jobs"]["installer"]
    assert job["runs-on"].startswith("windows")
    steps = job["steps"]
    runs = "\n".join(s.get("run", "") for s in steps)
    assert "python installer/build_bundle.py --installer" in runs
    assert 'pip install -e ".[bundle]"' in runs
    setup_py = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup_py["with"]["python-version"] == "3.11"
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "dist/SchoolVault-*-setup.exe"
    for p in wf[True]["pull_request"]["paths"]:  # YAML reads the `on:` key as True
        base = p.split("/**")[0]
        assert (ROOT / base).exists(), p


def test_bundle_extra_is_separate_from_test_extra():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    test_extra = pyproject.split("test = [", 1)[1].split("]", 1)[0]
    assert "pyinstaller" not in test_extra.lower()
    assert re.search(r'^bundle = \["pyinstaller', pyproject, re.MULTILINE)
