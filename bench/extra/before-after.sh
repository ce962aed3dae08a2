#!/usr/bin/env bash
# Same-session before/after comparison of `npm run bench` cases (issue 14: "no path slower than
# before", in same-run ratios). Builds the library at BASE (a commit) in a git worktree under
# .cache/bench-base, then runs each case at BASE and at the working tree alternately, ROUNDS
# times, so both see the same machine load. Every case reports ratios against the raw client (or
# Celery) measured inside the same process run; compare those ratios, not absolute rates.
# Usage: bash bench/extra/before-after.sh <base-commit> <case> [<case> …]   (ROUNDS=2 by default)
# Output: .cache/bench-before-after/<side>-<case>-<round>.md, and their paths on stdout.
set -euo pipefail
cd "$(dirname "$0")/../.."
base_ref=$1
shift
rounds=${ROUNDS:-2}
out=.cache/bench-before-after
base=.cache/bench-base
mkdir -p "$out"
if [ ! -d "$base" ] || [ "$(git -C "$base" rev-parse HEAD)" != "$(git rev-parse "$base_ref")" ]; then
  git worktree remove --force "$base" 2>/dev/null || rm -rf "$base"
  git worktree add -q --detach "$base" "$base_ref"
fi
# The base sees today's node_modules, except that its own workspace package (whatever it was
# called then, e.g. @app/result-backend) resolves to the base's library.
if [ ! -d "$base/node_modules" ]; then
  mkdir -p "$base/node_modules"
  for e in node_modules/* node_modules/.bin; do ln -s "$PWD/$e" "$base/node_modules/"; done
  name=$(node -p "require('./$base/libs/result-backend/package.json').name")
  scope=${name%%/*}
  if [ "$scope" != "$name" ]; then
    rm -f "$base/node_modules/$scope"
    mkdir -p "$base/node_modules/$scope"
    for e in node_modules/"$scope"/*; do [ -e "$e" ] && ln -s "$PWD/$e" "$base/node_modules/$scope/"; done
  fi
  rm -f "$base/node_modules/$name"
  ln -s "$PWD/$base/libs/result-backend" "$base/node_modules/$name"
fi
(cd "$base" && npx tsc -p libs/result-backend/tsconfig.lib.json)
npm run build:lib >/dev/null
[ -f bench/tsconfig.json ] && npx tsc -p bench/tsconfig.json
for round in $(seq 1 "$rounds"); do
  for c in "$@"; do
    for side in base current; do
      dir=$PWD
      [ "$side" = base ] && dir=$base
      file="$out/$side-$c-$round.md"
      echo "::: round $round, $c at $side (load $(cut -d' ' -f1 /proc/loadavg))" >&2
      (cd "$dir" && node --expose-gc bench/run.mjs "$c") >"$file" 2>&1 || echo "(failed)" >>"$file"
      echo "$file"
    done
  done
done
