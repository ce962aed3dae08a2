#!/usr/bin/env bash
# Obtains Celery 5.5.2 (Debian trixie) and 5.6.3 (Debian sid) for the interop matrix, without
# changing the system: the pure-Python .deb files are downloaded from the Debian mirror this
# machine's apt sources already name, with a private apt state, and unpacked into
# .cache/celery/<version>/root. A wrapper .cache/celery/<version>/python puts that tree first on
# PYTHONPATH and runs /usr/bin/python3 (whose own python3-celery 5.2.6 and other dependencies
# - amqp, click, dateutil, boto3, pylibmc - come from scripts/install-test-deps.sh).
# Exact versions are pinned (a newer sid upload must not change the tests). Idempotent: a version
# whose wrapper already imports the pinned Celery is left alone. Works as root (CI) or a user.
# The unpacked trees are byte-compiled (as Debian's postinst does for python3-celery 5.2.6): the
# tests run Python with PYTHONDONTWRITEBYTECODE=1, and without .pyc files every Python process
# of the matrix compiled ~350 modules (celery, kombu, billiard, redis) again at start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${CELERY_VERSIONS_CACHE:-$PWD/.cache/celery}"

# version | suite | packages (name=version)
MATRIX=(
  "5.5.2|trixie|python3-celery=5.5.2-2 python3-kombu=5.5.3-1 python3-billiard=4.2.1-2 python3-vine=5.1.0+dfsg-1 python3-redis=6.1.0-2 python3-tzlocal=5.3.1-1"
  "5.6.3|sid|python3-celery=5.6.3-4 python3-kombu=5.6.2-2 python3-billiard=4.3.1-1 python3-vine=5.1.0+dfsg-3 python3-redis=6.4.0-3 python3-tzlocal=5.4.5-1"
)

mirror() {
  local uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb"{for(i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list)
  fi
  echo "${uri:-http://deb.debian.org/debian}"
}

# Byte-compile a version's tree (a no-op when its .pyc files are current).
compile() {
  /usr/bin/python3 -m compileall -q -j 0 "$1/root" >/dev/null
}

for row in "${MATRIX[@]}"; do
  IFS='|' read -r version suite pkgs <<<"$row"
  dir="$CACHE/$version"
  if [ -x "$dir/python" ] && [ "$("$dir/python" -c 'import celery; print(celery.__version__)' 2>/dev/null)" = "$version" ]; then
    compile "$dir"
    echo "celery $version present: $dir/python"
    continue
  fi
  echo "fetching celery $version ($suite)"
  rm -rf "$dir"
  apt_dir="$dir/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $suite main" >"$apt_dir/sources.list"
  opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" -qq update
  # shellcheck disable=SC2086
  (cd "$apt_dir" && apt-get "${opts[@]}" -qq download $pkgs)
  for deb in "$apt_dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  rm -rf "$apt_dir"
  cat >"$dir/python" <<WRAP
#!/bin/sh
# Celery $version unpacked from Debian $suite; this tree must come first on the path.
PYTHONPATH="$dir/root/usr/lib/python3/dist-packages\${PYTHONPATH:+:\$PYTHONPATH}" exec /usr/bin/python3 "\$@"
WRAP
  chmod +x "$dir/python"
  compile "$dir"
  got=$("$dir/python" -c 'import celery; print(celery.__version__)')
  [ "$got" = "$version" ] || { echo "celery $version: wrapper imports $got" >&2; exit 1; }
  echo "celery $version installed: $dir/python"
done
