#!/usr/bin/env bash
# Install everything the project needs, from nothing: Debian's chromium (and Node
# when missing), a Python venv with the SDK, the local Clerk instance and the dev
# tools, and the pinned npm packages. Safe to re-run: finished steps are skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
APT_UPDATED=
apt_install() {
  if [ "$(id -u)" != 0 ]; then
    echo "setup: missing system package(s): $*. Install them (as root: apt-get install -y $*) and re-run." >&2
    exit 1
  fi
  if [ -z "$APT_UPDATED" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq </dev/null
    APT_UPDATED=1
  fi
  echo "setup: apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" </dev/null >/dev/null
}

[ -x /usr/bin/chromium ] || apt_install chromium
command -v node >/dev/null && command -v npm >/dev/null || apt_install nodejs npm
"$PYTHON" -c 'import sys; assert sys.version_info >= (3, 11), sys.version' || {
  echo "setup: Python >= 3.11 is required (found $("$PYTHON" --version))" >&2; exit 1; }
"$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || apt_install python3-venv

stamp_value=$(cat pyproject.toml emulator/pyproject.toml upgrade/pyproject.toml | sha256sum | cut -c1-20)
if [ ! -x .venv/bin/python ] || [ "$(cat .venv/.setup-stamp 2>/dev/null)" != "$stamp_value" ]; then
  echo "setup: creating .venv and installing Python dependencies"
  [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[dev]' -e ./emulator -e ./upgrade
  echo "$stamp_value" > .venv/.setup-stamp
fi
.venv/bin/python build/npm_deps.py >/dev/null
echo "setup: ready"
