#!/usr/bin/env bash
# Create (or refresh) the project's virtual environment in .venv, once; later calls return at once.
# bpy exists for Python 3.11 and 3.13 only, so we look for those (override with HOTDOG_PYTHON).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${HOTDOG_VENV:-.venv}"
STAMP="$VENV/.hotdog-installed"
WANT="$(cat pyproject.toml | sha256sum | cut -c1-16)"

if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$WANT" ]; then
  exit 0
fi

PYTHON="${HOTDOG_PYTHON:-}"
if [ -z "$PYTHON" ]; then
  for candidate in python3.11 python3.13; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c "import venv" >/dev/null 2>&1; then
      PYTHON="$candidate"; break
    fi
  done
fi
if [ -z "$PYTHON" ]; then
  echo "hotdog needs Python 3.11 or 3.13 (bpy, Blender as a Python module, exists for those only)." >&2
  echo "Install one (e.g. 'sudo apt install python3.11-venv', pyenv, or conda: 'conda env create -f environment.yml')," >&2
  echo "or point HOTDOG_PYTHON at one." >&2
  exit 1
fi

echo "Setting up $VENV with $PYTHON ($("$PYTHON" --version)); the first time takes a few minutes."
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
LOG="$VENV/install.log"
if ! { "$VENV/bin/python" -m pip install --disable-pip-version-check --upgrade pip &&
       "$VENV/bin/python" -m pip install --disable-pip-version-check -e ".[dev]"; } > "$LOG" 2>&1; then
  tail -n 40 "$LOG" >&2
  echo "installing hotdog's dependencies failed; the whole log is in $LOG" >&2
  exit 1
fi
"$VENV/bin/python" -c "import hotdog, torch, torchvision, joblib, nbval" || { echo "installing hotdog failed (see above)" >&2; exit 1; }
echo "$WANT" > "$STAMP"
