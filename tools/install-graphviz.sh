#!/usr/bin/env bash
# Make sure Graphviz's `dot` is on this machine (diagrams and their tests need the real
# binary), with a font that has CJK glyphs so names such as 王芳 do not render as boxes in
# PNG and PDF. Installs Debian packages when run as root with apt-get; otherwise says how.
set -euo pipefail
need=()
command -v dot >/dev/null 2>&1 || need+=(graphviz)
if command -v fc-list >/dev/null 2>&1 && [ -z "$(fc-list :lang=zh 2>/dev/null | head -1)" ]; then
  need+=(fonts-wqy-zenhei)
fi
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing ${need[*]} (apt-get)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q "${need[@]}" >/dev/null; }
  command -v dot >/dev/null && exit 0
fi
if ! command -v dot >/dev/null 2>&1; then
  cat >&2 <<'MSG'
Graphviz's `dot` is missing. Install it, then run make again:
  Debian/Ubuntu: sudo apt-get install graphviz     macOS: brew install graphviz
  Fedora: sudo dnf install graphviz                Windows: winget install graphviz
MSG
  exit 1
fi
echo "note: no CJK font found; CJK names will show as boxes in PNG/PDF (SVG is fine)" >&2
