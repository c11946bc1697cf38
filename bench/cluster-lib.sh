# bench/cluster-lib.sh: starts and stops a PostgreSQL and N backup servers on this machine, for bench/cluster
# (an interactive cluster) and bench/cluster-run (the scale figures). Sourced, not executed.
#
# Everything listens on 127.0.0.1 (the agent of bench/cluster-run on 127.0.0.2): PostgreSQL on a probed free
# port (it cannot take port 0), the servers on port 0 (the kernel picks; each prints its address). Every
# process is started in the background and stopped by its pid only, by cluster_cleanup.
#
# Needs: a PostgreSQL 12+ server on PATH (postgres, initdb, pg_ctl; Debian: apt-get install postgresql) and
# psql; java 17+ (the launchers in bin/ build on first use).

CLUSTER_BENCH_DIR="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
CLUSTER_ROOT="$(cd "$CLUSTER_BENCH_DIR/.." && pwd)"
CLUSTER_BIN="$CLUSTER_ROOT/bin"

# Set while running.
CLUSTER_PIDS=()         # every server and agent started (not PostgreSQL: pg_ctl stops it)
PG_DATA="" PG_PORT="" PG_URL="" PG_OWNER=""
SERVER_PIDS=() SERVER_ADDRS=() SERVER_NAMES=() SERVER_DATA=() SERVER_FPS=()
CLUSTER_TOKEN=""        # the first admin token, in the data dir of the server that made it
CATALOG=""              # "postgres" or "sqlite"

clog() { printf '[%s %(%H:%M:%S)T] %s\n' "${CLUSTER_SCRIPT:-cluster}" -1 "$*" >&2; }
cdie() { printf '%s: %s\n' "${CLUSTER_SCRIPT:-cluster}" "$*" >&2; exit 1; }

# free_port HOST: a port free on HOST right now, from the kernel (bind to port 0, read it, close). Only for
# PostgreSQL, which cannot be told to take port 0; the small race with another process is reported by
# pg_ctl's failure, never papered over.
free_port() {
    python3 -c 'import socket, sys
s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1]); s.close()' "$1"
}

# as_pg_owner CMD...: PostgreSQL refuses to run as root; as root, run its tools as the system's postgres
# user (the Debian package creates it), otherwise as ourselves.
as_pg_owner() {
    if [[ -n "$PG_OWNER" ]]; then
        runuser -u "$PG_OWNER" -- "$@"
    else
        "$@"
    fi
}

pg_tools() {
    local t
    for t in postgres initdb pg_ctl psql; do
        command -v "$t" >/dev/null 2>&1 \
            || cdie "missing: $t (a PostgreSQL 12+ server; Debian/Ubuntu: apt-get install postgresql, then put /usr/lib/postgresql/*/bin on PATH)"
    done
    if ((EUID == 0)); then
        id postgres >/dev/null 2>&1 || cdie "running as root, and there is no 'postgres' user to run PostgreSQL as"
        PG_OWNER=postgres
    fi
}

# pg_start DIR: a fresh PostgreSQL cluster in DIR/pg (trust logins on 127.0.0.1 only, no other listener:
# the Unix socket is in DIR/pg too) with one database "backup". Sets PG_PORT, PG_URL.
pg_start() {
    local dir="$1"
    pg_tools
    PG_DATA="$dir/pg"
    mkdir -p "$PG_DATA"
    [[ -z "$PG_OWNER" ]] || chown "$PG_OWNER" "$PG_DATA"
    as_pg_owner initdb -D "$PG_DATA/data" --auth=trust --username=postgres --encoding=UTF8 --no-sync \
        >"$dir/pg-initdb.log" 2>&1 || cdie "initdb failed: $(tail -n 3 "$dir/pg-initdb.log")"
    local tries=5
    while ((tries-- > 0)); do
        PG_PORT="$(free_port 127.0.0.1)"
        if as_pg_owner pg_ctl -D "$PG_DATA/data" -l "$PG_DATA/postgres.log" -w -t 60 start \
            -o "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PG_DATA -c max_connections=100" >/dev/null 2>&1; then
            break
        fi
        PG_PORT=""
    done
    [[ -n "$PG_PORT" ]] || cdie "PostgreSQL did not start: $(tail -n 5 "$PG_DATA/postgres.log" 2>/dev/null)"
    psql_admin -q -c "CREATE DATABASE backup" >/dev/null || cdie "cannot create the database"
    PG_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/backup"
    clog "PostgreSQL $(postgres --version | awk '{ print $3 }') on 127.0.0.1:$PG_PORT, data in $PG_DATA/data"
}

psql_admin() { psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres "$@"; }
psql_catalog() { psql -X -h 127.0.0.1 -p "$PG_PORT" -U postgres -d backup "$@"; }

pg_stop() {
    [[ -n "$PG_PORT" && -d "$PG_DATA/data" ]] || return 0
    as_pg_owner pg_ctl -D "$PG_DATA/data" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    PG_PORT=""
}

# wait_gone PID SECONDS: true once PID has exited (reaped if it is our child).
wait_gone() {
    local pid="$1" tries=$(($2 * 10))
    while kill -0 "$pid" 2>/dev/null && ((tries-- > 0)); do
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        return 1
    fi
    wait "$pid" 2>/dev/null || true
}

# wait_listening NAME PID STDOUT STDERR: prints the address of the daemon's "listening on HOST:PORT" line.
wait_listening() {
    local name="$1" pid="$2" out="$3" err="$4" tries=3000 line
    while ((tries-- > 0)); do
        line="$(grep -m1 '^listening on ' "$out" 2>/dev/null || true)"
        if [[ -n "$line" ]]; then
            printf '%s\n' "${line#listening on }"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || cdie "$name exited before listening: $(tail -n 5 "$err")"
        sleep 0.1
    done
    cdie "$name did not print 'listening on' within 300 s"
}

# servers_start DIR COUNT SHARED [SERVER_ARGS...]: COUNT servers s0..s(COUNT-1) on the catalog of CATALOG
# (PostgreSQL at PG_URL, or, for one server, SQLite in its data dir). SHARED=1 gives them one data dir
# (DIR/data), which needs the shared archive store (one identity, a lock per server name); SHARED=0 gives
# each its own (DIR/data-sN), as before that store. The servers start together, as a cluster's do.
servers_start() {
    local dir="$1" count="$2" shared="$3" i data
    shift 3
    local catalog_args=()
    if [[ "$CATALOG" == postgres ]]; then
        catalog_args=(--catalog "$PG_URL" --catalog-user postgres)
    fi
    # The identities, made before the servers start, for the agent to trust: one per data dir, made in
    # parallel (a JVM start each).
    local makers=()
    for ((i = 0; i < count; i++)); do
        if ((shared)); then data="$dir/data"; else data="$dir/data-s$i"; fi
        SERVER_DATA+=("$data")
        SERVER_NAMES+=("s$i")
        if ((i == 0 || !shared)); then
            "$CLUSTER_BIN/backup-server" fingerprint --data-dir "$data" >"$dir/fingerprint-s$i" &
            makers+=($!)
        fi
    done
    for i in "${makers[@]}"; do
        wait "$i" || cdie "backup-server fingerprint failed"
    done
    for ((i = 0; i < count; i++)); do
        SERVER_FPS+=("$(sed -n 's/^fingerprint //p' "$dir/fingerprint-s$((shared ? 0 : i))")")
    done
    for ((i = 0; i < count; i++)); do
        "$CLUSTER_BIN/backup-server" --listen 127.0.0.1:0 --data-dir "${SERVER_DATA[i]}" "${catalog_args[@]}" \
            --name "s$i" "$@" >"$dir/s$i.out" 2>"$dir/s$i.log" </dev/null &
        SERVER_PIDS+=($!)
        CLUSTER_PIDS+=($!)
    done
    for ((i = 0; i < count; i++)); do
        SERVER_ADDRS+=("$(wait_listening "server s$i" "${SERVER_PIDS[i]}" "$dir/s$i.out" "$dir/s$i.log")")
        [[ "$(cat "/proc/${SERVER_PIDS[i]}/comm")" == java ]] || cdie "the launcher's pid is not the JVM"
        clog "server s$i on ${SERVER_ADDRS[i]} (pid ${SERVER_PIDS[i]}), data dir ${SERVER_DATA[i]}"
    done
    # Tokens live in the shared catalog: the first server to start finds none and writes the first admin
    # token into its data dir; it is good on every server.
    for ((i = 0; i < count; i++)); do
        [[ -z "$CLUSTER_TOKEN" && -f "${SERVER_DATA[i]}/admin.token" ]] && CLUSTER_TOKEN="${SERVER_DATA[i]}/admin.token"
    done
    [[ -n "$CLUSTER_TOKEN" ]] || cdie "no server wrote an admin.token (does the catalog already hold a token?)"
}

# ctl_on I ARGS...: backupctl against server I, pinning its identity, with its first admin token.
ctl_on() {
    local i="$1"
    shift
    XDG_CONFIG_HOME="$CLUSTER_WORK/operator" "$CLUSTER_BIN/backupctl" --server "${SERVER_ADDRS[i]}" \
        --server-fingerprint "${SERVER_FPS[i]}" --token-file "$CLUSTER_TOKEN" "$@"
}

# forget_pid PID: drop it from CLUSTER_PIDS (it is gone), so the cleanup never signals a reused pid.
forget_pid() {
    local pid="$1" p kept=()
    for p in "${CLUSTER_PIDS[@]}"; do
        [[ "$p" == "$pid" ]] || kept+=("$p")
    done
    CLUSTER_PIDS=("${kept[@]}")
}

# cluster_cleanup: SIGTERM to every daemon we started (by pid), SIGKILL after 20 s, then PostgreSQL.
cluster_cleanup() {
    local pid
    for pid in "${CLUSTER_PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${CLUSTER_PIDS[@]}"; do
        wait_gone "$pid" 20 || kill -KILL "$pid" 2>/dev/null || true
    done
    CLUSTER_PIDS=()
    pg_stop
}
