#!/usr/bin/env bash
# Installs the system packages the test suite runs against, when missing (Debian/Ubuntu):
# redis-server (+ redis-cli for the cluster suite), memcached, openssl (TLS certificates), postgresql (run by the tests as
# an unprivileged user in a temp folder), Debian's Celery 5.2.6 with its redis/boto3/pylibmc/SQLAlchemy+psycopg2 clients
# and django-celery-results 2.4.0 with Django 3.2 (the interop judge), chromium (the demo page's browser test, driven by
# playwright-core), then Celery 5.5.2 and 5.6.3 into .cache/celery (install-celery-versions.sh). Needs root (or sudo) only when something is missing.
set -euo pipefail
pkgs=(redis-server redis-tools memcached openssl postgresql chromium python3-celery python3-redis python3-boto3 python3-pylibmc python3-requests python3-sqlalchemy python3-psycopg2 python3-django python3-django-celery-results)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present: ${pkgs[*]}"
else
  echo "installing: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Celery 5.5.2 and 5.6.3 for the three-version interop matrix (into .cache/celery, git-ignored), and
# django-celery-results 2.5.1 and 2.6.0 for the django-db matrix (into .cache/django-results).
bash "$(dirname "$0")/install-celery-versions.sh"
