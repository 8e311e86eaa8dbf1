#!/usr/bin/env bash
# Installs everything reconcile needs on a fresh Debian machine with Python 3.11.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m pip install --quiet --upgrade pip
python3 -m pip install --quiet -e ".[dev]"
