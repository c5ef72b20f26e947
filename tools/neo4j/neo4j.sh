#!/usr/bin/env bash
# A throwaway Neo4j 5.26 LTS (embedded, Bolt on 127.0.0.1 only) for the tests and for trying
# the Neo4j backend. Needs Java 17 and Maven; Neo4j itself comes from Maven Central.
#
#   neo4j.sh start [--fresh]   build if needed, start in the background, wait until Bolt answers
#   neo4j.sh stop              stop it (TERM, then KILL after 20 s), leaving no process behind
#   neo4j.sh run CMD...        start a fresh one, run CMD against it, stop it however CMD ends
#
# Port: STAKEMAP_NEO4J_PORT (7687). Password: STAKEMAP_NEO4J_PASSWORD (stakemap-test).
# Each port has its own data folder under target/, so two servers can run side by side.
# `run` does nothing to start a server when STAKEMAP_TEST_NEO4J_URL names one already.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/target"
port="${STAKEMAP_NEO4J_PORT:-7687}"
state="$target/run-$port"
pidfile="$state/neo4j.pid"
log="$state/neo4j.log"
python="${STAKEMAP_PYTHON:-python3}"

build() {
  if [ ! -f "$target/classpath.txt" ] || [ "$here/pom.xml" -nt "$target/classpath.txt" ] \
     || [ -n "$(find "$here/src" -newer "$target/classpath.txt" -print -quit)" ]; then
    echo "building the Neo4j launcher (first time: Maven downloads Neo4j)..." >&2
    mvn -q -B -f "$here/pom.xml" package -DskipTests
    touch "$target/classpath.txt"
  fi
}

# Alive and not a zombie: a JVM killed while its parent never reaps it still answers kill -0.
alive() { [ -r "/proc/$1/stat" ] && ! awk '{ exit ($3 == "Z") ? 0 : 1 }' "/proc/$1/stat"; }
running() { [ -f "$pidfile" ] && alive "$(cat "$pidfile")"; }

start() {
  build
  if running; then
    echo "neo4j already running (pid $(cat "$pidfile")): bolt://127.0.0.1:$port" >&2
    echo "bolt://127.0.0.1:$port"; return
  fi
  mkdir -p "$state"
  if [ "${1:-}" = "--fresh" ]; then rm -rf "$state/home"; fi
  # Empty the log here, not in the background redirect below: otherwise the wait loop can
  # read the previous run's ready line before the new JVM has truncated the file.
  : >"$log"
  nohup java -Xmx1g \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$target/classes:$(cat "$target/classpath.txt")" dev.stakemap.neo4j.Launcher \
    "$state/home" >"$log" 2>&1 </dev/null &
  echo $! >"$pidfile"
  for _ in $(seq 1 180); do
    if grep -qs "stakemap-neo4j ready" "$log"; then
      grep "stakemap-neo4j ready" "$log" >&2
      if [ -x "$(command -v "$python")" ] && "$python" -c "import neo4j" 2>/dev/null; then
        "$python" "$here/wait_ready.py" "bolt://127.0.0.1:$port" >&2 || { stop; exit 1; }
      fi
      echo "bolt://127.0.0.1:$port"; return
    fi
    if ! running || grep -qs "stakemap-neo4j failed" "$log"; then
      echo "neo4j failed to start; last lines of $log:" >&2; tail -20 "$log" >&2
      stop; exit 1
    fi
    sleep 1
  done
  echo "neo4j not ready after 180 s; see $log" >&2; stop; exit 1
}

stop() {
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if alive "$pid"; then
    kill "$pid"
    for _ in $(seq 1 20); do alive "$pid" || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

run() {
  if [ -n "${STAKEMAP_TEST_NEO4J_URL:-}" ]; then
    echo "using the Neo4j at STAKEMAP_TEST_NEO4J_URL; not starting one" >&2
    exec "$@"
  fi
  if running; then
    # Someone's own server (make neo4j): use it, leave it running, and let the tests refuse
    # to wipe it if it holds data.
    echo "using the Neo4j already running on port $port" >&2
    exec "$@"
  fi
  trap stop EXIT
  trap 'exit 130' INT TERM
  start --fresh >/dev/null
  # We made this database a moment ago, so the tests may wipe it.
  STAKEMAP_TEST_NEO4J_ALLOW_WIPE=1 "$@"
}

case "${1:-}" in
  start) shift; start "$@" ;;
  stop) stop ;;
  run) shift; [ $# -gt 0 ] || { echo "usage: $0 run CMD..." >&2; exit 2; }; run "$@" ;;
  *) echo "usage: $0 start [--fresh] | stop | run CMD..." >&2; exit 2 ;;
esac
