# Shared by the CLI test scripts: `source lib.sh ROLLSIM SOURCE_DIR` sets $rollsim, $src, $py
# and a scratch $tmp (removed on exit), and defines the checks. Each failed check prints FAIL
# and counts; `finish NAME` reports and sets the exit status.
set -uo pipefail
rollsim="$1"
src="$2"
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_exit() {  # expect_exit CODE DESCRIPTION -- command...
  local want=$1 what=$2; shift 3
  "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  [[ $got == "$want" ]] || fail "$what: exit $got, expected $want ($(head -c 300 "$tmp/err"))"
}
contains() {  # contains FILE TEXT DESCRIPTION
  grep -qF -- "$2" "$1" || fail "$3: '$2' not in $(head -c 400 "$1")"
}
valid() {  # valid DESCRIPTION FILES...: every document passes the strict Kubernetes 1.31 schema
  local what=$1; shift
  $py "$src/tests/schemas/validate.py" "$@" >"$tmp/v.txt" 2>&1 || fail "$what fails the strict schema: $(cat "$tmp/v.txt")"
}
finish() {  # finish NAME
  if ((failures > 0)); then
    echo "$failures $1 check(s) failed"
    exit 1
  fi
  echo "all $1 checks passed"
}
