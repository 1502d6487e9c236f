#!/usr/bin/env bash
# The main job: set up .venv if needed, then render, train the three ways and compare.
#   bash run.sh                 # small default sizes, about 10 minutes on a 2-core laptop CPU
#   bash run.sh --size article  # the article's full schedule (hours on a CPU, minutes on a GPU)
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/ensure_env.sh
exec .venv/bin/python -m hotdog run "$@"
