#!/usr/bin/env bash
# Install the Debian packages Qt needs, only those missing. Usage: system-deps.sh test|run|bundle|venv
# "test" = what offscreen Qt needs; "run" adds the X11 (xcb) platform plugin's libraries;
# "bundle" adds binutils (PyInstaller reads libraries with objdump);
# "venv" = python3.X-venv for $PYTHON when its `-m venv` cannot work (Debian ships ensurepip separately).
set -eu
test_pkgs="libegl1 libgl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3 libfreetype6"
run_pkgs="$test_pkgs libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-image0 \
libxcb-render-util0 libxcb-render0 libxcb-shape0 libxcb-shm0 libxcb-sync1 libxcb-util1 libxcb-xinerama0 \
libxcb-randr0 libxcb-xfixes0 libxcb-xkb1 libx11-xcb1"
py=${PYTHON:-python3}
case "${1:-test}" in
  run) want=$run_pkgs ;;
  bundle) want="$test_pkgs binutils" ;;
  venv)
    "$py" -c 'import ensurepip, venv' 2>/dev/null && exit 0
    want=$("$py" -c 'import sys; print("python%d.%d-venv" % sys.version_info[:2])') ;;
  *) want=$test_pkgs ;;
esac
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not Debian/Ubuntu: nothing we can do here
missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "필요한 시스템 패키지를 설치합니다:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if ! command -v sudo >/dev/null 2>&1; then
    echo "관리자(root)로 다음 패키지를 설치한 뒤 다시 실행하세요: apt-get install$missing" >&2
    exit 1
  fi
  SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing
