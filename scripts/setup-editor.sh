#!/usr/bin/env bash
# Installs what the in-editor and UI tests need, without reaching anything but
# the npm registry and Debian's package mirror:
#   - Debian packages chromium (headless browser), libkrb5-dev (a native module
#     of code-server builds against it) and ripgrep (stands in for the rg that
#     @vscode/ripgrep would download from GitHub);
#   - code-server (a VS Code workbench plus extension host) into a cache folder
#     outside the clone, so reruns take seconds and `git clean` keeps it.
# Safe to run again: it installs only what is missing.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3
# The version of @vscode/ripgrep that code-server 4.100.3 depends on, and the
# archive name it looks for in its download cache before going to GitHub.
RIPGREP_CACHE_DIR=vscode-ripgrep-cache-1.15.11
RIPGREP_ARCHIVE=ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz

CACHE="${CIRCLECI_RUNNERS_CACHE:-$HOME/.cache/circleci-runners-dev}"
PREFIX="$CACHE/code-server-$CODE_SERVER_VERSION"
MARKER="$PREFIX/.installed"

say() { printf 'setup-editor: %s\n' "$*"; }

missing_packages() {
  local pkg
  for pkg in chromium libkrb5-dev ripgrep; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed'; then
      printf '%s ' "$pkg"
    fi
  done
}

install_debian_packages() {
  local missing
  missing="$(missing_packages)"
  missing="${missing% }"
  if [ -z "$missing" ]; then
    return
  fi
  if [ "$(id -u)" -ne 0 ]; then
    say "missing Debian packages: $missing"
    say "install them first, for example: sudo apt-get install -y $missing"
    exit 1
  fi
  say "installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086 # the list is meant to split into words
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

install_code_server() {
  if [ -f "$MARKER" ] && [ -x "$PREFIX/node_modules/.bin/code-server" ]; then
    return
  fi
  say "installing code-server@$CODE_SERVER_VERSION into $PREFIX (takes about 90 s)"
  rm -rf "$PREFIX"
  mkdir -p "$PREFIX/tmp/$RIPGREP_CACHE_DIR"

  local rgdir
  rgdir="$(mktemp -d)"
  cp "$(command -v rg)" "$rgdir/rg"
  tar -czf "$PREFIX/tmp/$RIPGREP_CACHE_DIR/$RIPGREP_ARCHIVE" -C "$rgdir" rg
  rm -rf "$rgdir"

  printf '{ "name": "circleci-runners-editor", "private": true }\n' >"$PREFIX/package.json"
  (
    cd "$PREFIX"
    # These settings apply to this install only: its postinstall refuses root
    # without unsafe_perm, runs `npx node-gyp` (yes), and node-gyp would
    # download Node headers unless nodedir points at the installed ones.
    TMPDIR="$PREFIX/tmp" \
      npm_config_unsafe_perm=true \
      npm_config_yes=true \
      npm_config_nodedir=/usr \
      npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
  )
  rm -rf "$PREFIX/tmp"
  "$PREFIX/node_modules/.bin/code-server" --version >/dev/null
  date -u +%FT%TZ >"$MARKER"
}

install_debian_packages
install_code_server
say "ready: $PREFIX/node_modules/.bin/code-server, /usr/bin/chromium"
