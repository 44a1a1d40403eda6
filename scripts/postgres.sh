#!/usr/bin/env bash
# A PostgreSQL server for the tests: Debian's cluster (pg_lsclusters; made with
# pg_createcluster when there is none), started when down, listening on 127.0.0.1 and the
# socket, with role `musrenbang` (password `musrenbang`, CREATEDB) and database `musrenbang`.
# Safe and fast to run again. Prints the admin URL the tests use (MUSRENBANG_TEST_PG) on the
# last line of stdout; when no server can be started it says why on stderr, prints nothing
# on stdout and exits 0, so the PostgreSQL tests skip with that reason.
set -uo pipefail

ROLE=musrenbang
PASSWORD=musrenbang
DB=musrenbang

say() { echo "postgres.sh: $*" >&2; }
give_up() { say "PostgreSQL tidak dapat dijalankan: $*"; exit 0; }

if [ "$(id -u)" = 0 ]; then
  as_root() { "$@"; }
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  as_root() { sudo -n "$@"; }
else
  give_up "bukan root dan sudo tanpa kata sandi tidak tersedia"
fi
if command -v runuser >/dev/null 2>&1; then
  as_postgres() { as_root runuser -u postgres -- "$@"; }
else
  as_postgres() { as_root su postgres -s /bin/sh -c "$(printf '%q ' "$@")"; }
fi

command -v pg_lsclusters >/dev/null 2>&1 || give_up "paket postgresql (Debian) tidak terpasang"

# the newest cluster pg_lsclusters shows: "15 main 5432 online postgres /var/lib/... log"
line=$(pg_lsclusters --no-header 2>/dev/null | sort -k1,1V | tail -n 1)
if [ -z "$line" ]; then
  version=$(ls /usr/lib/postgresql 2>/dev/null | sort -V | tail -n 1)
  [ -n "$version" ] || give_up "tidak ada versi PostgreSQL di /usr/lib/postgresql"
  say "membuat cluster $version/main"
  as_root pg_createcluster "$version" main >/dev/null 2>&1 || give_up "pg_createcluster $version main gagal"
  line=$(pg_lsclusters --no-header | sort -k1,1V | tail -n 1)
fi
read -r version cluster port status _ <<<"$line"

if [ "${status%%,*}" != online ]; then
  as_root pg_ctlcluster "$version" "$cluster" start >/dev/null 2>&1 \
    || give_up "pg_ctlcluster $version $cluster start gagal (lihat /var/log/postgresql/postgresql-$version-$cluster.log)"
fi
for _ in $(seq 1 50); do  # ready within ~10 s or never
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
pg_isready -q -h 127.0.0.1 -p "$port" || give_up "server $version/$cluster tidak menjawab di 127.0.0.1:$port"

psql_admin() { as_postgres psql -p "$port" -X -q -v ON_ERROR_STOP=1 -At "$@"; }
psql_admin -d postgres -c "DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  ELSE
    ALTER ROLE $ROLE LOGIN CREATEDB PASSWORD '$PASSWORD';
  END IF;
END \$\$;" >/dev/null || give_up "role $ROLE tidak dapat dibuat"
if [ "$(psql_admin -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB'")" != 1 ]; then
  psql_admin -d postgres -c "CREATE DATABASE $DB OWNER $ROLE" >/dev/null \
    || give_up "database $DB tidak dapat dibuat"
fi

url="postgresql://$ROLE:$PASSWORD@127.0.0.1:$port/$DB"
PGPASSWORD=$PASSWORD psql -X -q -At -h 127.0.0.1 -p "$port" -U "$ROLE" -d "$DB" -c "SELECT 1" >/dev/null 2>&1 \
  || give_up "login $ROLE lewat 127.0.0.1:$port ditolak (periksa pg_hba.conf)"
say "PostgreSQL $version/$cluster siap di 127.0.0.1:$port"
echo "$url"
