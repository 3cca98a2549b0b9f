#!/usr/bin/env bash
# Sets up everything the builder needs on a fresh Debian machine: a venv with the pinned
# Python packages and, with --test, the system packages the tests run against: Debian's
# Chromium and CJK fonts (no test tool ever downloads a browser of its own), nginx for the
# documented deploy (openssl for its certificate), and poppler-utils (pdftotext) to read back
# what Chromium prints.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "$@" >/dev/null
}

if ! command -v python3 >/dev/null || ! python3 -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  echo "setup: Python 3.11 or newer is needed" >&2
  exit 2
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi

test_packages=(chromium fonts-noto-cjk nginx openssl poppler-utils)
if [ $want_test = 1 ] && ! dpkg -s "${test_packages[@]}" >/dev/null 2>&1; then
  echo "setup: installing Debian's ${test_packages[*]} for the tests" >&2
  apt_install "${test_packages[@]}"
fi

if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
stamp=.venv/.requirements.lock
if ! cmp -s requirements.lock "$stamp"; then
  .venv/bin/python -m pip install -q --disable-pip-version-check -r requirements.lock
  cp requirements.lock "$stamp"
fi
echo "setup: ready (.venv)" >&2
