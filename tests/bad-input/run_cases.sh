# The bad-input suite (issue #8): every file here named scenario-*, validate-*, manifest-* or
# nodes-*, plus a few inputs made on the fly (@name), is fed to the command that reads it. Each must
#  - exit 2;
#  - print exactly the one line that expected.txt gives for it (file, line, key path, message),
#    and nothing that looks like a crash or a library's internals;
#  - leave the output files and directory exactly as they were.
# Usage: bash run_cases.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
here="$src/tests/bad-input"
out="$tmp/outputs"
declare -A expected
while IFS=$'\t' read -r name message; do
  [[ -z $name || $name == \#* ]] && continue
  expected[$name]=$message
done <"$here/expected.txt"

# The output files a command is asked to write; one of them already exists and must not change.
prepare_outputs() {
  rm -rf "$out" && mkdir -p "$out" && printf 'written before the run\n' >"$out/report.json"
}
outputs_untouched() {  # outputs_untouched CASE
  local listing
  listing=$(ls -A "$out")
  [[ $listing == report.json ]] || fail "$1: the output directory changed: $(echo $listing)"
  [[ $(cat "$out/report.json") == 'written before the run' ]] || fail "$1: report.json was changed"
}

check() {  # check CASE COMMAND...: run in the current directory
  local name=$1; shift
  local want=${expected[$name]-}
  [[ -n $want ]] || { fail "$name: no line in expected.txt"; return; }
  prepare_outputs
  timeout 60 "$@" >"$tmp/stdout" 2>"$tmp/stderr"
  local code=$?
  [[ $code == 2 ]] || fail "$name: exit $code, expected 2 ($(head -c 300 "$tmp/stderr"))"
  local got
  got=$(cat "$tmp/stderr")
  [[ $got == "rollsim: $want" ]] || fail "$name: printed
    $got
  expected
    rollsim: $want"
  if grep -qiE 'terminate|what\(\)|yaml-cpp|exception|assert|sanitizer' "$tmp/stderr"; then
    fail "$name: the message shows internals: $got"
  fi
  outputs_untouched "$name"
  checked=$((checked + 1))
}

checked=0
cd "$here" || exit 1
seen=0
for f in scenario-* validate-* manifest-* nodes-*; do
  seen=$((seen + 1))
  case $f in
    scenario-*)
      check "$f" "$rollsim" run "$f" --quiet --report "$out/report.json" --svg "$out/t.svg" --csv "$out/t.csv" \
        --markdown "$out/report.md" --trace "$out/trace.jsonl"
      check "$f" "$rollsim" recommend "$f" --quiet --out "$out" ;;
    validate-*)
      check "$f" "$rollsim" validate --strict "$f" ;;
    manifest-*)
      check "$f" "$rollsim" review --current good/current.yaml --proposed "$f" --scenario good/scenario.yaml \
        --quiet --markdown "$out/report.json" --json "$out/review.json" ;;
    nodes-*)
      check "$f" "$rollsim" review --current good/current.yaml --proposed good/proposed.yaml --nodes "$f" \
        --scenario good/scenario.yaml --quiet --markdown "$out/report.json" --json "$out/review.json" ;;
  esac
done

# Inputs that are not worth a file in the tree.
cd "$tmp" || exit 1
mkdir -p made && cd made || exit 1
check @missing-file "$rollsim" run missing.yaml --quiet --report "$out/report.json"
mkdir -p a-directory.yaml
check @directory "$rollsim" run a-directory.yaml --quiet --report "$out/report.json"
truncate -s 100M huge.yaml  # sparse: 100 MiB of zeros, refused before it is read
check @100-MiB-file "$rollsim" run huge.yaml --quiet --report "$out/report.json"
if [[ $(id -u) != 0 ]]; then  # root reads a mode-000 file anyway
  cp "$here/good/scenario.yaml" unreadable.yaml && chmod 000 unreadable.yaml
  check @unreadable "$rollsim" run unreadable.yaml --quiet --report "$out/report.json"
else
  echo "skipped @unreadable: root reads a mode-000 file (a-directory.yaml covers the unreadable path)"
fi

((seen >= 40)) || fail "only $seen case files (the suite promises at least 40)"
for name in "${!expected[@]}"; do
  [[ $name == @* || -e $here/$name ]] || fail "expected.txt names $name, which is not a case file"
done
echo "$checked checks over $seen case files and the inputs made here"
finish bad-input
