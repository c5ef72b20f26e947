#!/usr/bin/env bash
# Make sure Graphviz's `dot` is on this machine (diagrams and their tests need the real
# binary). Installs the Debian package when run as root with apt-get; otherwise says how.
set -euo pipefail
if command -v dot >/dev/null 2>&1; then exit 0; fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Graphviz (apt-get install graphviz)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q graphviz >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q graphviz >/dev/null; }
  command -v dot >/dev/null && exit 0
fi
cat >&2 <<'MSG'
Graphviz's `dot` is missing. Install it, then run make again:
  Debian/Ubuntu: sudo apt-get install graphviz     macOS: brew install graphviz
  Fedora: sudo dnf install graphviz                Windows: winget install graphviz
MSG
exit 1
