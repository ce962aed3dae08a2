#!/usr/bin/env bash
# Obtains Celery 5.5.2 (Debian trixie) and 5.6.3 (Debian sid) for the interop matrix, and
# django-celery-results 2.5.1 (trixie, with trixie's Django 4.2) and 2.6.0 (sid, with sid's
# Django 5.2) for the django-db matrix, without changing the system: the pure-Python .deb files
# are downloaded from the Debian mirror this machine's apt sources already name, with a private
# apt state, and unpacked into <cache>/<version>/root.
# - Celery: .cache/celery/<version>/python (or $CELERY_VERSIONS_CACHE) puts its tree first on
#   PYTHONPATH and runs /usr/bin/python3 (whose own python3-celery 5.2.6 and other dependencies -
#   amqp, click, dateutil, boto3, pylibmc, psycopg2 - come from scripts/install-test-deps.sh).
# - django-celery-results: .cache/django-results/<version>/python (or $DJANGO_RESULTS_CACHE)
#   puts its tree (django-celery-results, Django, asgiref, sqlparse) first and runs the wrapper
#   of the Celery version it is paired with (bookworm's 2.4.0 with Django 3.2 is the system's).
# Exact versions are pinned (a newer sid upload must not change the tests). Idempotent: a version
# whose wrapper already imports the pinned versions is left alone. Works as root (CI) or a user.
# The unpacked trees are byte-compiled (as Debian's postinst does for python3-celery 5.2.6): the
# tests run Python with PYTHONDONTWRITEBYTECODE=1, and without .pyc files every Python process
# of the matrix compiled ~350 modules (celery, kombu, billiard, redis) again at start-up.
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${CELERY_VERSIONS_CACHE:-$PWD/.cache/celery}"
DJANGO_CACHE="${DJANGO_RESULTS_CACHE:-$PWD/.cache/django-results}"

# version | suite | packages (name=version)
MATRIX=(
  "5.5.2|trixie|python3-celery=5.5.2-2 python3-kombu=5.5.3-1 python3-billiard=4.2.1-2 python3-vine=5.1.0+dfsg-1 python3-redis=6.1.0-2 python3-tzlocal=5.3.1-1"
  "5.6.3|sid|python3-celery=5.6.3-4 python3-kombu=5.6.2-2 python3-billiard=4.3.1-1 python3-vine=5.1.0+dfsg-3 python3-redis=6.4.0-3 python3-tzlocal=5.4.5-1"
)

# django-celery-results version | suite | Celery version it runs with | Django version | packages
DJANGO_MATRIX=(
  "2.5.1|trixie|5.5.2|4.2.28|python3-django-celery-results=2.5.1-3 python3-django=3:4.2.28-0+deb13u2"
  "2.6.0|sid|5.6.3|5.2.18|python3-django-celery-results=2.6.0-2 python3-django=3:5.2.18-2 python3-asgiref=3.12.1-1"
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

# unpack DIR SUITE PACKAGES: download the pinned .debs of SUITE and extract them into DIR/root.
unpack() {
  local dir=$1 suite=$2 pkgs=$3
  rm -rf "$dir"
  local apt_dir="$dir/apt"
  mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$dir/root"
  echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $(mirror) $suite main" >"$apt_dir/sources.list"
  local opts=(-o "Dir::Etc::sourcelist=$apt_dir/sources.list" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache"
    -o "Debug::NoLocking=1" -o "APT::Sandbox::User=$(id -un)")
  apt-get "${opts[@]}" -qq update
  # shellcheck disable=SC2086
  (cd "$apt_dir" && apt-get "${opts[@]}" -qq download $pkgs)
  for deb in "$apt_dir"/*.deb; do dpkg-deb -x "$deb" "$dir/root"; done
  rm -rf "$apt_dir"
}

# wrapper DIR WHAT RUN: DIR/python prepends DIR's tree to PYTHONPATH and execs RUN.
wrapper() {
  local dir=$1 what=$2 run=$3
  cat >"$dir/python" <<WRAP
#!/bin/sh
# $what; this tree must come first on the path.
PYTHONPATH="$dir/root/usr/lib/python3/dist-packages\${PYTHONPATH:+:\$PYTHONPATH}" exec $run "\$@"
WRAP
  chmod +x "$dir/python"
}

# ensure WHAT DIR SUITE PACKAGES CHECK WANT RUN DESCRIPTION: a DIR whose wrapper already prints
# WANT for the Python code CHECK is left alone (only byte-compiled); otherwise the pinned
# PACKAGES of SUITE are unpacked into DIR, its wrapper runs RUN, and it must print WANT.
ensure() {
  local what=$1 dir=$2 suite=$3 pkgs=$4 check=$5 want=$6 run=$7 desc=$8 got
  if [ -x "$dir/python" ] && [ "$("$dir/python" -c "$check" 2>/dev/null)" = "$want" ]; then
    compile "$dir"
    echo "$what present: $dir/python"
    return
  fi
  echo "fetching $what ($suite)"
  unpack "$dir" "$suite" "$pkgs"
  wrapper "$dir" "$desc" "$run"
  got=$("$dir/python" -c "$check")
  [ "$got" = "$want" ] || { echo "$what: wrapper imports $got" >&2; exit 1; }
  compile "$dir"
  echo "$what installed: $dir/python"
}

celery_check='import celery; print(celery.__version__)'
for row in "${MATRIX[@]}"; do
  IFS='|' read -r version suite pkgs <<<"$row"
  ensure "celery $version" "$CACHE/$version" "$suite" "$pkgs" "$celery_check" "$version" \
    /usr/bin/python3 "Celery $version unpacked from Debian $suite"
done

django_check='import celery, django, django_celery_results as r; print(r.__version__, celery.__version__, django.__version__)'
for row in "${DJANGO_MATRIX[@]}"; do
  IFS='|' read -r version suite celery django pkgs <<<"$row"
  ensure "django-celery-results $version with Django $django" "$DJANGO_CACHE/$version" "$suite" \
    "$pkgs" "$django_check" "$version $celery $django" "$CACHE/$celery/python" \
    "django-celery-results $version and Django $django from Debian $suite, on Celery $celery"
done
