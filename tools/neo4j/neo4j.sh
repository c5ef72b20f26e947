#!/usr/bin/env bash
# Start or stop the throwaway Neo4j the tests use (Neo4j 5.26 LTS, embedded, Bolt on 127.0.0.1).
#   tools/neo4j/neo4j.sh start   build if needed, start in the background, wait for readiness
#   tools/neo4j/neo4j.sh stop    stop it (TERM, then KILL after 20 s), leaving no process
# Port: STAKEMAP_NEO4J_PORT (7687). Password: STAKEMAP_NEO4J_PASSWORD (stakemap-test).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
target="$here/target"
pidfile="$target/neo4j.pid"
log="$target/neo4j.log"
port="${STAKEMAP_NEO4J_PORT:-7687}"

build() {
  if [ ! -f "$target/classpath.txt" ] || [ "$here/pom.xml" -nt "$target/classpath.txt" ] \
     || [ -n "$(find "$here/src" -newer "$target/classpath.txt" -print -quit)" ]; then
    mvn -q -B -f "$here/pom.xml" package -DskipTests
  fi
}

start() {
  build
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "neo4j already running (pid $(cat "$pidfile")): bolt://127.0.0.1:$port"; return
  fi
  rm -rf "$target/neo4j-home"
  nohup java -Xmx1g \
    --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.lang=ALL-UNNAMED \
    -cp "$target/classes:$(cat "$target/classpath.txt")" dev.stakemap.neo4j.Launcher \
    "$target/neo4j-home" >"$log" 2>&1 &
  echo $! >"$pidfile"
  for _ in $(seq 1 180); do
    if grep -q "stakemap-neo4j ready" "$log"; then
      grep "stakemap-neo4j ready" "$log"; echo "bolt://127.0.0.1:$port"; return
    fi
    if ! kill -0 "$(cat "$pidfile")" 2>/dev/null; then
      echo "neo4j failed to start; last lines of $log:" >&2; tail -20 "$log" >&2; exit 1
    fi
    sleep 1
  done
  echo "neo4j not ready after 180 s; see $log" >&2; stop; exit 1
}

stop() {
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
