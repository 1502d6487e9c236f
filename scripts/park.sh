#!/usr/bin/env bash
# Carry a study seed's unfinished training into the next session, whose checkout may start fresh.
#
# A seed cut off mid-training resumes from `<study>/seed<k>.checkpoints/` (its `<mode>.resume.pt` and the
# models it has finished), which git ignores: a new checkout has none, and the seed would start again.
# On a slow 2-core CPU one seed of the tuned recipe can outlast a session, so before stopping:
#
#   bash scripts/park.sh tuned 4            # commit results/studies/tuned/seed4.checkpoints (a few MB)
#   python -m hotdog study tuned ... --seeds 4   # next session: the same command goes on from there
#   bash scripts/park.sh --drop tuned 4     # once seed4.json has landed: stop tracking the checkpoints
#
# Only park what a study will resume; a finished seed needs nothing but its seed<k>.json.
set -euo pipefail
cd "$(dirname "$0")/.."
drop=0
if [ "${1:-}" = "--drop" ]; then drop=1; shift; fi
if [ $# -ne 2 ]; then
  echo "usage: bash scripts/park.sh [--drop] STUDY SEED" >&2; exit 2
fi
if ! [[ "$2" =~ ^[0-9]+$ ]]; then
  echo "SEED is a study seed's number (e.g. 4), not '$2'" >&2; exit 2
fi
root="${HOTDOG_RESULTS:-results}/studies/$1"
folder="$root/seed$2.checkpoints"
if ! git diff --cached --quiet; then  # the commit below must hold the checkpoints and nothing else
  echo "other changes are staged (git status): commit or unstage them first" >&2; exit 1
fi
if [ "$drop" = 1 ]; then
  git rm -r -q --cached --ignore-unmatch "$folder"
  if git diff --cached --quiet; then echo "nothing of $folder was tracked"; exit 0; fi
  git commit -q -m "$1 seed $2 landed: its parked checkpoints are no longer tracked"
  echo "no longer tracking $folder (the files stay on disk)"
  exit 0
fi
if [ ! -d "$root" ]; then
  echo "there is no study '$1' ($root does not exist): check the name (ls ${HOTDOG_RESULTS:-results}/studies)" >&2; exit 1
fi
if [ -e "$root/seed$2.json" ]; then
  echo "$root/seed$2.json exists: seed $2 of $1 has landed, so there is nothing to park" >&2; exit 1
fi
if ! compgen -G "$folder/*.pt" > /dev/null; then
  echo "$folder holds no checkpoints: run the study first (python -m hotdog study $1 ... --seeds $2)" >&2; exit 1
fi
git add -f "$folder"
if git diff --cached --quiet; then
  echo "$folder is parked already, unchanged since: nothing to commit"; exit 0
fi
git commit -q -m "$1 seed $2 parked unfinished: its checkpoints, so a fresh checkout resumes it"
echo "parked $folder ($(du -sh "$folder" | cut -f1)); the same study command resumes it"
