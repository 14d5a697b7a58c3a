#!/usr/bin/env bash
# Install what Sayso needs, and only that:
#   scripts/install.sh          `make run`: Python packages into .venv, GOV.UK Frontend (npm)
#   scripts/install.sh scaled   `make run-scaled`: also PostgreSQL, Redis and nginx
#   scripts/install.sh tests    `make test`: all of that, and Chromium and poppler-utils
# Idempotent: each part is skipped when it is already in place.
# What the installers themselves print goes to the install log; the terminal shows one line
# for each step, and a progress line while the Python packages install.
set -euo pipefail
cd "$(dirname "$0")/.."

WANT_SCALED=""
WANT_TESTS=""
for part in "$@"; do
  case $part in
    scaled) WANT_SCALED=yes ;;
    tests) WANT_SCALED=yes; WANT_TESTS=yes ;;
    *) echo "Usage: scripts/install.sh [scaled|tests]" >&2; exit 2 ;;
  esac
done

VENV=.venv
STAMP="$VENV/.sayso-installed"
WANT=$(cat requirements/lock.txt pyproject.toml | sha256sum | cut -d' ' -f1)
LOG_DIR=${SAYSO_LOG_DIR:-var/logs}
mkdir -p "$LOG_DIR"
LOG="$LOG_DIR/install.log"
ON_TERMINAL=""
[ -t 1 ] && ON_TERMINAL=yes

# A progress line: rewritten in place on a terminal; elsewhere printed only when $2 is "always".
progress() {
  if [ -n "$ON_TERMINAL" ]; then
    printf '\r  %s\033[K' "$1"
  elif [ "${2:-}" = always ]; then
    printf '  %s\n' "$1"
  fi
}
end_progress() {
  if [ -n "$ON_TERMINAL" ]; then printf '\n'; fi
}
# After a step fails: the end of the log, which says why.
show_log_end() {
  echo "The last lines of $LOG:" >&2
  tail -n 15 "$LOG" >&2
}

# System packages from Debian, each installed once, with one `apt-get update` at most.
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
    $sudo apt-get update >>"$LOG" 2>&1 || { show_log_end; exit 1; }
    APT_UPDATED=yes
  fi
  $sudo apt-get install -y --no-install-recommends "$package" >>"$LOG" 2>&1 \
    || { show_log_end; exit 1; }
}
# npm installs GOV.UK Frontend for the staff pages: every mode needs it.
command -v npm >/dev/null 2>&1 || apt_install npm "the staff pages' GOV.UK Frontend"
if [ -n "$WANT_SCALED" ]; then
  # PostgreSQL for answers and Rasa's tracker store, Redis for Rasa's lock store, nginx in
  # front of the Rasa servers. Sayso starts its own copies under var/scaled on other ports.
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql "the scaled mode"
  command -v redis-server >/dev/null 2>&1 || apt_install redis-server "the scaled mode"
  [ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || apt_install nginx "the scaled mode"
fi
if [ -n "$WANT_TESTS" ]; then
  # Chromium, shared by every browser test (through Playwright at /usr/bin/chromium; browsers
  # are never downloaded by Playwright itself) and by the evidence report's PDF; pdftotext
  # reads that PDF back in the tests.
  [ -x /usr/bin/chromium ] || apt_install chromium "the browser tests and PDF reports"
  command -v pdftotext >/dev/null 2>&1 || apt_install poppler-utils "reading PDFs in the tests"
fi

# GOV.UK Frontend, at the version pinned in package-lock.json; reinstalled only when the lock
# file changes. The staff app serves its files itself, so no page loads anything from a CDN.
NPM_STAMP=node_modules/.sayso-npm-installed
NPM_WANT=$(sha256sum package-lock.json | cut -d' ' -f1)
if command -v npm >/dev/null 2>&1 && \
   { [ ! -f "$NPM_STAMP" ] || [ "$(cat "$NPM_STAMP")" != "$NPM_WANT" ]; }; then
  echo "Installing GOV.UK Frontend for the staff pages."
  npm ci --no-audit --no-fund >>"$LOG" 2>&1 || { show_log_end; exit 1; }
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

# pip's own lines go to the log. "Collecting" (or "Processing", for a local file) starts each
# package, so counting them gives the progress line. Unpacking them all comes after, as one
# long step.
follow_pip() {
  local total=$1 count=0 line
  while IFS= read -r line; do
    case $line in
      Collecting*|Processing*)
        count=$((count + 1))
        progress "Fetching packages: $count of $total" \
          "$([ $((count % 50)) -eq 0 ] && echo always)"
        ;;
      "Installing collected packages"*)
        progress "Unpacking $total packages into $VENV (the longest step)" always
        ;;
    esac
  done
  end_progress
}

TOTAL=$(grep -cE '^[A-Za-z0-9]' requirements/lock.txt)
echo "Installing Sayso's Python packages into $VENV (details in $LOG)."
echo "This takes 4 to 8 minutes the first time, and needs about 3.5 GB of disk."
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --upgrade "pip==24.3.1" >>"$LOG" 2>&1 \
  || { show_log_end; exit 1; }
# Rasa 3.6 says it needs Python < 3.11 but runs on 3.11 with this exact set (see README).
if ! "$VENV/bin/python" -m pip install --progress-bar off --no-deps --ignore-requires-python \
      --require-hashes -r requirements/lock.txt 2>&1 | tee -a "$LOG" | follow_pip "$TOTAL"; then
  show_log_end
  echo "Installing packages failed. Check your internet connection and disk space," >&2
  echo "then run the same command again. It carries on where it stopped." >&2
  exit 1
fi
"$VENV/bin/python" -m pip install --no-deps --no-build-isolation -e . >>"$LOG" 2>&1 \
  || { show_log_end; exit 1; }
echo "$WANT" > "$STAMP"
echo "Packages installed."
