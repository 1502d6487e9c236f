#!/usr/bin/env bash
# JupyterLab on the notebooks, in the project's environment (.venv, created on first use).
#   bash lab.sh                 # opens http://localhost:8888/lab in your browser
#   bash lab.sh --no-browser    # extra arguments go to `jupyter lab` (e.g. on a remote machine)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure_env.sh
exec .venv/bin/jupyter lab --notebook-dir=notebooks "$@"
