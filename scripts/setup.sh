#!/usr/bin/env bash
# Installs what Passo needs on a fresh Debian machine, and nothing twice:
#   scripts/setup.sh        a virtualenv (.venv) with Passo and its dependencies, for building and serving
#   scripts/setup.sh test   the same plus the test tools: pytest & co, Debian's chromium, nginx, WebKitGTK's driver,
#                           Firefox ESR and Xvfb (the engine tests), npm test packages
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-site}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
extras=""
[ "$mode" = "test" ] && extras="[test]"
# pip is quick when everything is already there; the stamp skips even that when pyproject.toml has not changed.
stamp=".venv/.passo-installed-${mode}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/pip install --quiet --disable-pip-version-check -e ".${extras}"
  touch "$stamp"
fi

if [ "$mode" = "test" ]; then
  missing=""
  command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx"
  # The core journey in the other engines (tests/engines): WebKitWebDriver and MiniBrowser under Xvfb; Firefox ESR
  # speaks WebDriver BiDi itself (no geckodriver).
  [ -x /usr/bin/WebKitWebDriver ] || missing="$missing webkit2gtk-driver"
  [ -x /usr/bin/firefox-esr ] || missing="$missing firefox-esr"
  command -v Xvfb >/dev/null 2>&1 || missing="$missing xvfb"
  if [ -n "$missing" ]; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    echo "installing Debian packages:$missing"
    $sudo apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $missing >/dev/null
  fi
  if [ ! -d node_modules/ical.js ] || [ ! -d node_modules/jose ] || [ ! -d node_modules/puppeteer-core ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --silent --no-audit --no-fund
  fi
fi
