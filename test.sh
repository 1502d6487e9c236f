#!/usr/bin/env bash
# The tests: set up .venv if needed, then run the unit tests and execute the notebooks (nbval)
# on tiny sizes. Extra arguments go to pytest (e.g. bash test.sh tests/test_data.py -x).
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure_env.sh
exec .venv/bin/python -m pytest "$@"
