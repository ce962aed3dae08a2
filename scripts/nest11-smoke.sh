#!/usr/bin/env bash
# Peer-range check: the built library (ESM) inside a Nest 11 + terminus 11 CommonJS app,
# loaded through require(esm) (Node >= 20.19). Packs the library, installs it with Nest 11 in a
# temp dir, and runs scripts/nest11-smoke/smoke.cjs (watch, failure, health, shutdown).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npm run --silent --prefix "$root" build:lib
tarball=$(cd "$root/libs/result-backend" && npm pack --silent --pack-destination "$tmp" | tail -1)
cd "$tmp"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund \
  @nestjs/common@11 @nestjs/core@11 @nestjs/terminus@11 reflect-metadata rxjs "$tmp/$tarball" >/dev/null
cp "$root/scripts/nest11-smoke/smoke.cjs" .
out=$(node smoke.cjs)
echo "$out"
grep -q '^closed$' <<<"$out"
