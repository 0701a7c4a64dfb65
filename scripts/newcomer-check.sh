#!/usr/bin/env bash
# The newcomer check: a new user's first hour, scripted (issue 16). From a fresh clone of
# the committed tree, non-interactively: both commands of the root README, its shell block,
# then, as an outside plugin author, every package packed with `npm pack`, the tarballs
# installed into an empty folder from the npm registry, and each package README's example
# run there. Finally the clone's `git status` must be clean.
#
# Needs only the npm registry (for the dependencies of the tarballs and `npm ci`); bounded
# by a timeout per step. Usage: scripts/newcomer-check.sh [--skip-test]
#   --skip-test  skip the root README's `npm test` in the clone (when the caller, like
#                .ci/run, has just run it on the same commit)
set -euo pipefail

skip_test=false
[[ "${1:-}" == "--skip-test" ]] && skip_test=true

repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/s2s-newcomer.XXXXXX")
trap 'rm -rf "$work"' EXIT
export CI=true NX_DAEMON=false NX_NO_CLOUD=true NX_TUI=false
NX_CACHE_DIRECTORY=$(mktemp -d "$work/nx-cache.XXXXXX")
export NX_CACHE_DIRECTORY
started=$SECONDS

step() { printf '\n== newcomer check (%d s): %s\n' $((SECONDS - started)) "$*"; }
fail() { printf '\nnewcomer check FAILED: %s\n' "$*" >&2; exit 1; }
# Runs a command with a time limit (seconds) and no terminal on stdin.
bounded() { local limit=$1; shift; timeout --kill-after=30 "$limit" "$@" </dev/null; }

# The first fenced block of language $3 after the heading $2 of a Markdown file.
block() {
  awk -v heading="$2" -v lang="$3" '
    $0 == heading { inside = 1; next }
    inside && !fenced && $0 == "```" lang { fenced = 1; next }
    fenced && $0 == "```" { exit }
    fenced { print }' "$1"
}

step "clone $repo"
git clone --quiet "$repo" "$work/s2s"
cd "$work/s2s"

step "npm ci"
bounded 900 npm ci --no-audit --no-fund

if command -v script >/dev/null; then
  step "nx in a terminal asks nothing (analytics prompt)"
  # A prompt would wait for an answer until the timeout; answering would rewrite nx.json.
  bounded 120 script -qec "env -u CI npx nx show projects" /dev/null >/dev/null ||
    fail "nx did not finish in a terminal: is nx.json's analytics setting gone?"
fi

step "npm run demo"
bounded 1500 npm run demo
[[ -f runs/translation-demo/attention.svg ]] || fail "the demo drew no runs/translation-demo/attention.svg"

if ! $skip_test; then
  step "npm test"
  bounded 3000 npm test
fi

step "the root README's shell block"
shell_block=$(awk '/^## Try it/{t=1} t&&/^```sh/{n++; if(n==2){f=1; next}} f&&/^```$/{exit} f{print}' README.md)
[[ -n "$shell_block" ]] || fail "no shell block found in README.md's 'Try it'"
printf '%s\n' "$shell_block"
bounded 1500 bash -euo pipefail -c "$shell_block"

step "npm pack every published package"
mkdir -p "$work/packs"
mapfile -t packages < <(node -e '
  const { execSync } = require("node:child_process");
  const list = JSON.parse(execSync("npm query .workspace", { encoding: "utf8" }));
  for (const p of list) if (!p.private) console.log(p.location);')
for p in "${packages[@]}"; do
  bounded 600 npm pack --silent --pack-destination "$work/packs" -w "$p" >/dev/null
done
for tarball in "$work"/packs/*.tgz; do
  # The listing is read whole: grep -q closing the pipe early would fail tar (SIGPIPE) under pipefail.
  contents=$(tar -tzf "$tarball")
  grep -qx 'package/dist/index.js' <<<"$contents" || fail "$tarball has no dist/index.js"
  grep -qx 'package/LICENSE' <<<"$contents" || fail "$tarball has no LICENSE"
done

step "install the tarballs into an empty folder, as an outside author"
mkdir -p "$work/outside"
cd "$work/outside"
npm init -y >/dev/null
bounded 900 npm install --no-audit --no-fund "$work"/packs/*.tgz @tensorflow/tfjs@^4.22.0

step "each package README's example"
ts="$work/s2s/node_modules/typescript/lib/typescript.js"
for p in "${packages[@]}"; do
  readme="$work/s2s/$p/README.md"
  name=$(node -p "require('$work/s2s/$p/package.json').name")
  example=$(block "$readme" '## Use' ts)
  if [[ -n "$example" ]]; then
    file="example-$(basename "$p").mjs"
    # The examples are TypeScript; strip the types with the clone's compiler.
    printf '%s\n' "$example" | node -e "
      const ts = require('$ts');
      const source = require('node:fs').readFileSync(0, 'utf8');
      process.stdout.write(ts.transpileModule(source, { compilerOptions: {
        module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } }).outputText);" >"$file"
    echo "-- $name: node $file"
    bounded 900 node "$file" >"$file.log" 2>&1 || { cat "$file.log"; fail "$name's README example failed"; }
    tail -n 3 "$file.log"
  else
    example=$(block "$readme" '## Use' sh)
    [[ -n "$example" ]] || fail "$name's README has no example under '## Use'"
    echo "-- $name: its shell example"
    bounded 900 bash -euo pipefail -c "$example" >"$(basename "$p").log" 2>&1 ||
      { cat "$(basename "$p").log"; fail "$name's README example failed"; }
    tail -n 3 "$(basename "$p").log"
  fi
done

# The CLI's ts example (its programmatic API, which writes its own data and model) says
# whether both of its runs exited 0; node's own status does not show that.
grep -q "trained: 0, status: 0" example-cli.mjs.log ||
  { cat example-cli.mjs.log; fail "the CLI README's programmatic example did not exit 0 twice"; }

step "git status of the clone is clean"
cd "$work/s2s"
status=$(git status --porcelain)
[[ -z "$status" ]] || fail "the clone has changes or untracked files:
$status"

step "passed in $((SECONDS - started)) s"
