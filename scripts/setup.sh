#!/usr/bin/env bash
# Installs everything reconcile needs on a fresh Debian machine with Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
# System packages: headless Chromium and a CJK font for the browser tests of the HTML report.
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "wenquanyi"; then
  # wait for another apt process to release its lock rather than fail
  $SUDO apt-get -o DPkg::Lock::Timeout=600 update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -q chromium fonts-wqy-zenhei
fi
python3 -m pip install --quiet --upgrade pip
python3 -m pip install --quiet -e ".[dev]"
# Bytecode for the package's own modules, as an installed wheel has it: a shell that sets
# PYTHONDONTWRITEBYTECODE=1 would otherwise compile them from source at every start
# (about 0.1 s of each cold `reconcile check`; docs/performance.md).
python3 -m compileall -q src
