#!/usr/bin/env bash
# The README's quick start, proven from a bare clone: the committed repository alone, cloned into an
# empty temporary folder with no sibling folders (so no ../shared reference material), runs
#   npm ci
#   npm run demo -- --check     the demo's start-up check (emulator, simulator, code-server with the VSIX)
#   PC_SKIP_E2E=1 npm test      the layers that need no browser; comparisons with reference material are
#                               skipped, and the summary line must name them
#   npm run bench -- --quick    the bench's smoke run
# Called by .ci/run after the full suite (code-server is then cached in ~/.cache/partner-connect-vscode);
# runs locally too: bash .ci/bare-clone.sh (it tests HEAD, not uncommitted changes).
set -euo pipefail
SRC="$(cd "$(dirname "$0")/.." && pwd)"
T0=$SECONDS
section() { printf '\n######## bare clone: %s (t=%ds)\n' "$*" "$((SECONDS - T0))"; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/pc-bare-clone.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
section "git clone $(git -C "$SRC" rev-parse --short HEAD) into $WORK/repo"
git clone -q --no-checkout --no-hardlinks "$SRC" "$WORK/repo"
git -C "$WORK/repo" checkout -q --detach "$(git -C "$SRC" rev-parse HEAD)"
cd "$WORK/repo"
if [ "$(ls -A "$WORK")" != "repo" ] || [ -e ../shared ]; then echo "the clone must have no sibling folders"; exit 1; fi
# Nothing from the calling environment may point back at the reference material or force the e2e layers.
unset PC_SHARED_DIR CI PC_E2E

section "npm ci"
npm ci --no-audit --no-fund

section "npm run demo -- --check"
npm run demo -- --check

section "PC_SKIP_E2E=1 npm test"
PC_SKIP_E2E=1 npm test 2>&1 | tee "$WORK/test.log"
summary="$(tail -n 1 "$WORK/test.log")"
case "$summary" in
  *"skipped (reference material absent: "*) ;;
  *) echo "the summary line must name the comparisons skipped for lack of reference material: $summary"; exit 1 ;;
esac

section "npm run bench -- --quick"
npm run bench -- --quick

section "done in $((SECONDS - T0)) s"
