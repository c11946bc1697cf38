# Shared by the launchers in bin/: finds the project, builds the apps when their artifacts are missing or
# older than the sources, then runs one of them. Sourced, not executed.

project_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

# java from JAVA_HOME when set, else from PATH
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# ensure_built APP_DIR: build the reactor unless APP_DIR's jar and lib/ are present and were built after the
# last change to a main source or pom. A stamp marks the build: Maven leaves a jar untouched (old mtime)
# when its content did not change, so the jar's own mtime cannot tell.
ensure_built() {
    local app="$1"
    local stamp="$project_root/$app/target/.launcher-built"
    if artifacts_fresh "$stamp" "$app"; then
        return 0
    fi
    # The lock is held only while building: two launchers started together on a fresh clone build once.
    (
        flock 9
        if ! artifacts_fresh "$stamp" "$app"; then
            echo "$(basename "$0"): building (mvn package)..." >&2
            local started="$project_root/.build-started"
            touch "$started"
            # Maven's console library still writes colour resets; strip them so stderr stays plain text.
            "$project_root/mvnw" -q -B -Dstyle.color=never -f "$project_root/pom.xml" -DskipTests package 2>&1 \
                | sed 's/\x1b\[[0-9;]*m//g' >&2 \
                || { echo "$(basename "$0"): build failed" >&2; exit 1; }
            # Stamp every app with the time the build began: a source edited during the build stays stale.
            for built in "$project_root"/*/target/lib; do
                touch -r "$started" "$(dirname "$built")/.launcher-built"
            done
            rm -f "$started"
        fi
    ) 9>"$project_root/.build.lock"
}

artifacts_fresh() {
    local stamp="$1" app="$2"
    [[ -f "$stamp" && -f "$project_root/$app/target/$app.jar" && -d "$project_root/$app/target/lib" ]] || return 1
    # Stale when a module's main source, resource or pom (or the root pom) changed after the last launcher build.
    [[ -z "$(find "$project_root"/pom.xml "$project_root"/backup-*/pom.xml "$project_root"/backup-*/src/main \
        \( -name '*.java' -o -name 'pom.xml' -o -path '*/resources/*' \) -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

# utf8_locale: make the locale's character set UTF-8, whatever the environment says. The JVM takes its
# file-name encoding from the locale (LC_ALL, LC_CTYPE, LANG) and ignores -Dsun.jnu.encoding (JDK 17): under
# the POSIX locale (LANG unset, as for systemd services and cron) it cannot even name a file called café.txt.
utf8_locale() {
    [[ "$(locale charmap 2>/dev/null)" == "UTF-8" ]] && return 0
    local available candidate
    available="$(locale -a 2>/dev/null || true)"
    for candidate in C.UTF-8 C.utf8 en_US.UTF-8 en_US.utf8; do
        if grep -qx "$candidate" <<<"$available"; then
            export LC_ALL="$candidate"
            return 0
        fi
    done
    export LC_ALL=C.UTF-8 # built into glibc 2.35 and later even where locale -a does not list it
}

# launch APP_DIR MODULE/MAIN_CLASS DEFAULT_JVM_OPTS ARGS...: exec java so signals reach the JVM directly.
launch() {
    local app="$1" main="$2" jvm_opts="$3"
    shift 3
    ensure_built "$app"
    utf8_locale
    # ExitOnOutOfMemoryError whatever BACKUP_JAVA_OPTS says: a JVM that ran out of heap may live on with a
    # dead listener thread; exiting lets the supervisor (systemd, Docker) start a fresh one.
    # shellcheck disable=SC2086 # options are words on purpose
    exec "$java_cmd" -Dfile.encoding=UTF-8 -XX:+ExitOnOutOfMemoryError ${BACKUP_JAVA_OPTS:-$jvm_opts} \
        --module-path "$project_root/$app/target/$app.jar:$project_root/$app/target/lib" \
        -m "$main" "$@"
}
