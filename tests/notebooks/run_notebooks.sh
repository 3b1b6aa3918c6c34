#!/usr/bin/env bash
# Executes every notebook in notebooks/ headlessly with Debian's Jupyter, against this build of
# rollsim; fails if any cell fails (each notebook also asserts the figures it teaches).
# Usage: run_notebooks.sh ROLLSIM SOURCE_DIR
set -uo pipefail
export ROLLSIM="$1"
src="$2"
jupyter=/usr/bin/jupyter
[[ -x $jupyter ]] || { echo "FAIL: $jupyter is missing: bash tools/deps.sh test installs jupyter-nbconvert"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export PYDEVD_DISABLE_FILE_VALIDATION=1 MPLBACKEND=Agg
failures=0
for nb in "$src"/notebooks/*.ipynb; do
  start=$SECONDS
  if $jupyter nbconvert --to notebook --execute --ExecutePreprocessor.timeout=900 \
      --output-dir "$tmp" "$nb" >"$tmp/log.txt" 2>&1; then
    echo "ok: $(basename "$nb") ($((SECONDS - start)) s)"
  else
    echo "FAIL: $(basename "$nb")"
    grep -v "frozen_modules\|debugger\|PYDEVD" "$tmp/log.txt" | tail -30
    failures=$((failures + 1))
  fi
done
((failures == 0)) || { echo "$failures notebook(s) failed"; exit 1; }
echo "all notebooks executed"
