#!/bin/sh
# Install, with apt-get, whatever Debian packages scarscore needs and this
# machine lacks. Safe to run again: it does nothing when all are present.
#   scripts/install-deps.sh            build + test dependencies
#   scripts/install-deps.sh --python   also numpy/pytest/PIL for the Python bindings and the accuracy harness test
#   scripts/install-deps.sh --dev      also clang (fuzzing, TSan), valgrind
#   scripts/install-deps.sh --browser  also chromium (renders the HTML report test)
set -eu
pkgs="pkg-config make gcc g++ libpng-dev libjpeg62-turbo-dev libfftw3-dev libcmocka-dev"
for arg in "$@"; do
  case "$arg" in
    --python) pkgs="$pkgs python3 python3-numpy python3-pytest python3-pil" ;;
    --dev) pkgs="$pkgs clang libclang-rt-14-dev valgrind" ;;
    --reference) pkgs="$pkgs python3-numpy python3-scipy python3-skimage python3-pil python3-opencv" ;;
    --browser) pkgs="$pkgs chromium" ;;
    *) echo "install-deps.sh: unknown option '$arg' (use --python, --dev, --reference, --browser)" >&2; exit 2 ;;
  esac
done
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps.sh: installing$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
