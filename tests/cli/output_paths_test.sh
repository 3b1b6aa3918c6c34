#!/usr/bin/env bash
# Output paths that are not regular files (issue #16, item 7): a symlink is written through, a
# character device or FIFO is written in place and stays what it was, anything else (a socket)
# is refused with exit 2 before any output is written. Everything is made in a scratch
# directory; the real /dev is never touched.
# Usage: output_paths_test.sh ROLLSIM SOURCE_DIR
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh" "$1" "$2"

five="$src/tests/scenarios/five-nodes-25s.yaml"
o="$tmp/o" && mkdir -p "$o/real"
expect_exit 0 "reference report" -- "$rollsim" run "$five" --quiet --report "$tmp/ref.json"

# A symlink to a file: the file gets the report, the link stays a link.
echo old >"$o/real/target.json" && ln -s real/target.json "$o/link.json"
expect_exit 0 "--report through a symlink" -- "$rollsim" run "$five" --quiet --report "$o/link.json"
[[ -L "$o/link.json" ]] || fail "the symlink was replaced by a file"
cmp -s "$o/real/target.json" "$tmp/ref.json" || fail "the symlink's target does not hold the report"
# A dangling symlink: its target is created.
ln -s real/new.json "$o/dangling.json"
expect_exit 0 "--report through a dangling symlink" -- "$rollsim" run "$five" --quiet --report "$o/dangling.json"
[[ -L "$o/dangling.json" ]] && cmp -s "$o/real/new.json" "$tmp/ref.json" || fail "a dangling symlink's target was not written"

# A FIFO: written in place, read by a reader; it stays a FIFO.
mkfifo "$o/pipe"
cat "$o/pipe" >"$tmp/from-pipe" &
reader=$!
expect_exit 0 "--report into a FIFO" -- "$rollsim" run "$five" --quiet --report "$o/pipe"
wait "$reader"
[[ -p "$o/pipe" ]] || fail "the FIFO was replaced"
cmp -s "$tmp/from-pipe" "$tmp/ref.json" || fail "the FIFO's reader did not get the report"

# A character device (a scratch /dev/null: major 1, minor 3) stays a device; so does --trace.
if mknod "$o/null" c 1 3 2>/dev/null; then
  expect_exit 0 "--report and --trace into a device" -- "$rollsim" run "$five" --quiet --report "$o/null" \
    --trace "$o/null" --svg "$o/t.svg"
  [[ -c "$o/null" ]] || fail "the character device was replaced by a file"
  [[ -s "$o/t.svg" ]] || fail "the regular file of the same batch was not written"
else
  echo "skip: mknod needs root"
fi

# /dev/stdout-style links (to /proc/self/fd/1): into a pipe, and into a redirected file.
ln -s /proc/self/fd/1 "$o/stdout"
"$rollsim" run "$five" --quiet --report "$o/stdout" | cat >"$tmp/piped.json"
cmp -s "$tmp/piped.json" "$tmp/ref.json" || fail "a report through a link to a piped stdout differs"
"$rollsim" run "$five" --quiet --report "$o/stdout" >"$tmp/redirected.json"
cmp -s "$tmp/redirected.json" "$tmp/ref.json" || fail "a report through a link to a redirected stdout differs"
[[ -L "$o/stdout" ]] || fail "the stdout link was replaced"

# A socket is refused before anything is written: the other output of the batch stays absent.
$py -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$o/sock"
expect_exit 2 "--svg onto a socket" -- "$rollsim" run "$five" --quiet --report "$o/batch.json" --svg "$o/sock"
contains "$tmp/err" "sock: is a socket; rollsim writes regular files, character devices" "the socket's message"
[[ -S "$o/sock" && ! -e "$o/batch.json" ]] || fail "a refused batch wrote something: $(ls -A "$o")"
[[ -z $(find "$o" "${TMPDIR:-/tmp}" -maxdepth 1 -name '.*.rollsim-*' -newer "$tmp/ref.json" 2>/dev/null) ]] ||
  fail "temporary files were left behind"

# `-` is stdout for one output (and the command prints nothing else there), stdin for one input.
"$rollsim" run "$five" --report - >"$tmp/dash.json"
cmp -s "$tmp/dash.json" "$tmp/ref.json" || fail "--report - is not the report on stdout, alone"
"$rollsim" run "$five" --report - | cat >"$tmp/dash-piped.json"
cmp -s "$tmp/dash-piped.json" "$tmp/ref.json" || fail "--report - into a pipe differs"
[[ ! -e ./- ]] || fail "--report - created a file named -"
expect_exit 2 "two outputs on stdout" -- "$rollsim" run "$five" --quiet --report - --svg - --csv "$o/never.csv"
contains "$tmp/err" "- (stdout) is named for 2 outputs: it can take one" "two outputs on stdout: the message"
[[ ! -e "$o/never.csv" ]] || fail "two outputs on stdout: the other output was written"
(cd "$(dirname "$five")" && "$rollsim" validate - <"$five") >"$tmp/validate-stdin.txt" 2>&1 || fail "validate - (stdin) failed: $(head -c 300 "$tmp/validate-stdin.txt")"
contains "$tmp/validate-stdin.txt" "scenario five-nodes-25s (-)" "validate - reads the scenario from stdin"
v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
v2="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml"
"$rollsim" review --current "$v1" --proposed "$v2" --trials 5 --json "$tmp/review-files.json" --quiet
"$rollsim" review --current - --proposed "$v2" --trials 5 --json - <"$v1" >"$tmp/review-stdin.json"
$py - "$tmp/review-files.json" "$tmp/review-stdin.json" <<'PY' || fail "review --current - reads the live DaemonSet from stdin"
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:])
assert a["verdict"] == b["verdict"] and a["findings"] == b["findings"], (a["verdict"], b["verdict"])
PY
expect_exit 2 "stdin for two inputs" -- sh -c "\"\$0\" review --current - --proposed - --trials 5 <\"\$1\"" "$rollsim" "$v1"
contains "$tmp/err" "stdin is named for two inputs: it can give one" "stdin for two inputs: the message"

finish output-paths
