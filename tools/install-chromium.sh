#!/usr/bin/env bash
# Make sure Debian's Chromium and ChromeDriver are on this machine: the review-pack tests
# open the HTML in a real headless browser. Installs the Debian packages when run as root
# with apt-get; otherwise says how. The two packages come from one source, so their
# versions always match.
set -euo pipefail
command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing chromium chromium-driver (apt-get; takes a minute)..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -q chromium chromium-driver >/dev/null 2>&1 \
    || { apt-get update -q >/dev/null && apt-get install -y -q chromium chromium-driver >/dev/null; }
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && exit 0
fi
cat >&2 <<'MSG'
Chromium and ChromeDriver are missing; the review-pack browser tests need both. Install them:
  Debian/Ubuntu: sudo apt-get install chromium chromium-driver
  elsewhere: a Chromium or Chrome with the matching chromedriver on PATH
MSG
exit 1
