#!/usr/bin/env bash
# Regenerate a packed Celery vector fixture from an installed Celery (npm run vectors:capture).
#
#   scripts/celery-vectors/capture.sh --celery <5.2.6|5.5.2|5.6.3> --out <dir>
#       [--backends filesystem,redis,s3,cache,couchdb] [--passes plain,extended]
#       [--modes api,worker] [--folder <dir>]
#
# Runs capture_vectors.py with that Celery's interpreter (5.2.6: $CELERY_PYTHON or
# /usr/bin/python3; others: .cache/celery/<v>/python from scripts/install-celery-versions.sh)
# into a temp folder (or --folder, kept), then pack_vectors.py writes <dir>/celery-<v>.json.gz.
# By default every block is captured: api mode (the backend API) and worker mode (a real
# `celery worker`) of all five backends. Blocks left out (--backends, --passes, --modes) are
# carried over from the committed test/fixtures/celery-vectors/celery-<v>.json.gz.
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
version="" out="" folder="" extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --celery) version="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --folder) folder="$2"; shift 2 ;;
    --backends|--passes|--modes) extra+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -n "$version" ] && [ -n "$out" ] || { sed -n 2,14p "$0" >&2; exit 2; }
if [ "$version" = 5.2.6 ]; then
  python="${CELERY_PYTHON:-/usr/bin/python3}"
else
  python="${CELERY_VERSIONS_CACHE:-$ROOT/.cache/celery}/$version/python"
fi
got=$("$python" -c 'import celery; print(celery.__version__)' 2>/dev/null || true)
[ "$got" = "$version" ] || { echo "$python imports celery '${got:-none}', not $version: run scripts/install-test-deps.sh" >&2; exit 1; }
base="$ROOT/test/fixtures/celery-vectors/celery-$version.json.gz"
tmp=""
if [ -z "$folder" ]; then tmp=$(mktemp -d); folder="$tmp"; fi
trap '[ -n "$tmp" ] && rm -rf "$tmp"' EXIT
mkdir -p "$out"
packed="$(cd "$out" && pwd)/celery-$version.json.gz"
"$python" "$ROOT/scripts/celery-vectors/capture_vectors.py" --out "$folder" "${extra[@]}"
# read the base before the output may overwrite it
cp "$base" "$folder/.base.json.gz"
python3 "$ROOT/scripts/celery-vectors/pack_vectors.py" "$folder" "$packed" --base "$folder/.base.json.gz"
