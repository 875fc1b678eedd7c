#!/usr/bin/env bash
# What the other-engine tests (tests/engines/) and the Lighthouse run need, installed if
# missing: Debian's firefox-esr (driven over WebDriver BiDi), webkit2gtk-driver
# (WebKitWebDriver and its MiniBrowser) and xvfb (MiniBrowser needs a display), then this
# folder's pinned npm packages (puppeteer-core for BiDi, lighthouse). As root it installs;
# otherwise it prints the command to run and fails.
set -euo pipefail
cd "$(dirname "$0")"

packages=()
command -v firefox-esr >/dev/null 2>&1 || packages+=(firefox-esr)
command -v WebKitWebDriver >/dev/null 2>&1 || packages+=(webkit2gtk-driver)
command -v Xvfb >/dev/null 2>&1 || packages+=(xvfb)
if [ "${#packages[@]}" -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${packages[@]}"
  else
    echo "error: missing ${packages[*]}. Run: sudo apt-get update && sudo apt-get install -y ${packages[*]}" >&2
    exit 1
  fi
fi

# npm ci, once per lock: node_modules/.installed is newer than package-lock.json.
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  npm ci --no-audit --no-fund --ignore-scripts
  touch node_modules/.installed
fi
