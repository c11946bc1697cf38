# Shared by the launchers in bin/: finds the project, builds the apps when their artifacts are missing or
# older than the sources, then runs one of them. Sourced, not executed.

project_root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

# java from JAVA_HOME when set, else from PATH
java_cmd="${JAVA_HOME:+$JAVA_HOME/bin/}java"

# ensure_built APP_DIR: build the reactor unless APP_DIR's jar and lib/ are present and newer than the sources.
ensure_built() {
    local app="$1"
    local jar="$project_root/$app/target/$app.jar"
    if artifacts_fresh "$jar" "$app"; then
        return 0
    fi
    command -v mvn >/dev/null 2>&1 || { echo "$(basename "$0"): Maven (mvn) is needed to build $app" >&2; exit 1; }
    # The lock is held only while building: two launchers started together on a fresh clone build once.
    (
        flock 9
        if ! artifacts_fresh "$jar" "$app"; then
            echo "$(basename "$0"): building (mvn package)..." >&2
            mvn -q -B -f "$project_root/pom.xml" -DskipTests package >&2 \
                || { echo "$(basename "$0"): build failed" >&2; exit 1; }
        fi
    ) 9>"$project_root/.build.lock"
}

artifacts_fresh() {
    local jar="$1" app="$2"
    [[ -f "$jar" && -d "$project_root/$app/target/lib" ]] || return 1
    # Stale when any source or pom of the reactor changed after the jar was built.
    [[ -z "$(find "$project_root" -path "$project_root/.git" -prune -o \
        \( -name '*.java' -o -name 'pom.xml' \) -newer "$jar" -print -quit 2>/dev/null)" ]]
}

# launch APP_DIR MODULE/MAIN_CLASS DEFAULT_JVM_OPTS ARGS...: exec java so signals reach the JVM directly.
launch() {
    local app="$1" main="$2" jvm_opts="$3"
    shift 3
    ensure_built "$app"
    # shellcheck disable=SC2086 # options are words on purpose
    exec "$java_cmd" ${BACKUP_JAVA_OPTS:-$jvm_opts} \
        --module-path "$project_root/$app/target/$app.jar:$project_root/$app/target/lib" \
        -m "$main" "$@"
}
