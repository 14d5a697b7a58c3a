#!/usr/bin/env bash
# Install Sayso's Python packages into .venv from the hash-pinned lock file.
# Idempotent: does nothing when .venv already matches the lock file and pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.sayso-installed"
WANT=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)

# System packages from Debian, each installed once, with one `apt-get update` at most:
# Chromium, shared by every browser test (web chat and staff pages, through Playwright at
# /usr/bin/chromium; browsers are never downloaded by Playwright itself), and npm, which
# installs GOV.UK Frontend for the staff pages.
APT_UPDATED=""
apt_install() {
  local package=$1 why=$2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "$why needs the $package package. Install it, then run this again." >&2
    return 0
  fi
  echo "Installing $package: $why (once only)."
  if [ -z "$APT_UPDATED" ]; then
    $sudo apt-get update
    APT_UPDATED=yes
  fi
  $sudo apt-get install -y --no-install-recommends "$package"
}
[ -x /usr/bin/chromium ] || apt_install chromium "the browser tests"
command -v npm >/dev/null 2>&1 || apt_install npm "the staff pages' GOV.UK Frontend"
# pdftotext, so the tests can read back the evidence report's PDF (Chromium prints it).
command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils "reading PDFs in the tests"
# The scaled mode (`make run-scaled`, tests/integration/test_scaled.py): PostgreSQL for answers
# and Rasa's tracker store, Redis for Rasa's lock store, nginx in front of the Rasa servers.
# Sayso starts its own copies under var/scaled on other ports; it needs only the programs.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql "the scaled mode"
command -v redis-server >/dev/null 2>&1 || apt_install redis-server "the scaled mode"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_install nginx "the scaled mode"

# GOV.UK Frontend, at the version pinned in package-lock.json; reinstalled only when the lock
# file changes. The staff app serves its files itself, so no page loads anything from a CDN.
NPM_STAMP=node_modules/.sayso-npm-installed
NPM_WANT=$(sha256sum package-lock.json | cut -d' ' -f1)
if command -v npm >/dev/null 2>&1 && \
   { [ ! -f "$NPM_STAMP" ] || [ "$(cat "$NPM_STAMP")" != "$NPM_WANT" ]; }; then
  echo "Installing GOV.UK Frontend for the staff pages."
  npm ci --no-audit --no-fund
  echo "$NPM_WANT" > "$NPM_STAMP"
fi

if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$WANT" ] && [ -x "$VENV/bin/sayso" ]; then
  exit 0
fi

PYTHON=${PYTHON:-}
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null; then
      PYTHON=$candidate; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "Sayso needs Python 3.11. Install it, then run this again." >&2
  echo "(Or point to it: make run PYTHON=/path/to/python3.11)" >&2
  exit 1
fi

echo "Installing Sayso's Python packages into $VENV."
echo "This takes about 3 to 5 minutes the first time, and needs about 3 GB of disk."
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --upgrade "pip==24.3.1"
# Rasa 3.6 says it needs Python < 3.11 but runs on 3.11 with this exact set (see README).
if ! "$VENV/bin/python" -m pip install --progress-bar on --no-deps --ignore-requires-python \
      --require-hashes -r requirements/lock.txt; then
  echo "Installing packages failed. Check your internet connection and disk space," >&2
  echo "then run the same command again. It carries on where it stopped." >&2
  exit 1
fi
"$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .
echo "$WANT" > "$STAMP"
echo "Packages installed."
