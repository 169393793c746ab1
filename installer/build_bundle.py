"""Build the SchoolVault bundle (and on Windows the installer) in one command.

    python installer/build_bundle.py              # dist/SchoolVault/ + smoke test (make bundle)
    python installer/build_bundle.py --installer  # Windows: also dist/SchoolVault-<version>-setup.exe

Steps: PyInstaller builds dist/SchoolVault/ from installer/schoolvault.spec; its size is printed;
installer/smoke_test.py runs the bundled CLI and GUI outside any venv; with --installer, the two
executables are signed when a certificate is configured (see installer/README.md) and Inno Setup's
ISCC compiles installer/schoolvault.iss with the version from schoolvault.__version__.
Run from any directory; paths are relative to the repository.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import buildinfo

ROOT = buildinfo.ROOT
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
BUNDLE = DIST / buildinfo.DIST_NAME
ISS = buildinfo.INSTALLER / "schoolvault.iss"
TIMESTAMP_URL = os.environ.get("SCHOOLVAULT_SIGN_TIMESTAMP", "http://timestamp.digicert.com")


class BuildError(Exception):
    pass


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MiB"


def run(cmd: list[str], **kw) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, **kw)


def check_tools() -> None:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise BuildError("PyInstaller is not installed: pip install -e '.[bundle]'") from None
    if sys.platform.startswith("linux") and not shutil.which("objdump"):
        raise BuildError("PyInstaller needs objdump on Linux: apt-get install binutils")


def build(clean: bool) -> Path:
    cmd = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
           "--distpath", DIST, "--workpath", WORK, ISS.with_name("schoolvault.spec")]
    if clean:
        cmd.insert(3, "--clean")
    started = time.perf_counter()
    run(cmd, cwd=ROOT)
    print(f"bundle built in {time.perf_counter() - started:.0f} s: {BUNDLE}")
    return BUNDLE


def report_size(bundle: Path) -> int:
    size = dir_size(bundle)
    internal = bundle / "_internal"
    biggest = sorted(((dir_size(p) if p.is_dir() else p.lstat().st_size, p.name)
                      for p in internal.iterdir() if not p.is_symlink()), reverse=True)[:8] if internal.is_dir() else []
    print(f"bundle size: {human_size(size)} ({size} bytes) in {sum(1 for _ in bundle.rglob('*'))} files")
    for n, name in biggest:
        print(f"  {human_size(n):>10}  _internal/{name}")
    return size


# ---------------------------------------------------------------- Windows: signing and installer
def signtool_args() -> list[str] | None:
    """signtool's certificate arguments from the environment, or None when no certificate is set.

    SCHOOLVAULT_SIGN_THUMBPRINT picks a certificate in the Windows store (also hardware tokens);
    SCHOOLVAULT_SIGN_PFX (+ SCHOOLVAULT_SIGN_PASSWORD) a .pfx file.
    """
    thumb = os.environ.get("SCHOOLVAULT_SIGN_THUMBPRINT")
    pfx = os.environ.get("SCHOOLVAULT_SIGN_PFX")
    if thumb:
        cert = ["/sha1", thumb]
    elif pfx:
        cert = ["/f", pfx] + (["/p", os.environ["SCHOOLVAULT_SIGN_PASSWORD"]]
                              if os.environ.get("SCHOOLVAULT_SIGN_PASSWORD") else [])
    else:
        return None
    return ["sign", "/fd", "sha256", "/tr", TIMESTAMP_URL, "/td", "sha256", "/d", "SchoolVault", *cert]


def find_signtool() -> str:
    found = shutil.which("signtool")
    if found:
        return found
    kits = Path(os.environ.get("ProgramFiles(x86)", r"C:\Program Files (x86)")) / "Windows Kits" / "10" / "bin"
    candidates = sorted(kits.glob("10.*/x64/signtool.exe"), reverse=True)
    if not candidates:
        raise BuildError("signtool.exe not found: install the Windows SDK (Signing Tools) or add it to PATH")
    return str(candidates[0])


def find_iscc() -> str:
    found = shutil.which("iscc") or shutil.which("ISCC")
    if found:
        return found
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base and (Path(base) / "Inno Setup 6" / "ISCC.exe").is_file():
            return str(Path(base) / "Inno Setup 6" / "ISCC.exe")
    raise BuildError("Inno Setup 6 (ISCC.exe) not found: install it (winget install JRSoftware.InnoSetup)")


def build_installer(bundle: Path, version: str) -> Path:
    if sys.platform != "win32":
        raise BuildError("--installer needs Windows (Inno Setup)")
    iscc = [find_iscc(), f"/DAppVersion={version}", f"/DBundleDir={bundle}", f"/O{DIST}"]
    sign = signtool_args()
    if sign:
        signtool = find_signtool()
        for exe in (buildinfo.GUI_EXE, buildinfo.CLI_EXE):
            run([signtool, *sign, bundle / f"{exe}.exe"])
        # Inno signs the setup and its uninstaller through a named sign tool: $f is the file, $q a quote.
        quoted = " ".join(f"$q{a}$q" if " " in a else a for a in sign)
        iscc += ["/DSign", f"/Sschoolvaultsign=$q{signtool}$q {quoted} $f"]
    else:
        print("no signing certificate configured: the installer is unsigned "
              "(SmartScreen will warn; see installer/README.md)")
    run([*iscc, ISS])
    setup = DIST / f"SchoolVault-{version}-setup.exe"
    if not setup.is_file():
        raise BuildError(f"ISCC finished but {setup} is missing")
    print(f"installer: {setup} ({human_size(setup.stat().st_size)})")
    return setup


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Windows CI log is cp1252: never die on Korean text
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--installer", action="store_true", help="Windows: also build the Inno Setup installer")
    ap.add_argument("--no-smoke", action="store_true", help="skip the smoke test (not for releases)")
    ap.add_argument("--clean", action="store_true", help="drop PyInstaller's cache first")
    args = ap.parse_args(argv)
    version = buildinfo.read_version()
    print(f"SchoolVault {version} on {sys.platform}, Python {sys.version.split()[0]}")
    try:
        check_tools()
        bundle = build(args.clean)
        report_size(bundle)
        if not args.no_smoke:
            run([sys.executable, buildinfo.INSTALLER / "smoke_test.py", bundle])
        if args.installer:
            build_installer(bundle, version)
    except BuildError as e:
        print(f"build failed: {e}", file=sys.stderr)
        return 1
    except subprocess.CalledProcessError as e:
        print(f"build failed: {e.cmd[0]} exited with {e.returncode}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
