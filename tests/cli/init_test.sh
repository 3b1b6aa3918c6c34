# rollsim init (docs/scenario.md, "A first scenario"): for every manifest of the real-world
# corpus, the scenario it writes validates and runs, alone and with a proposed image bump; bad
# input is exit 2 with nothing written.
# Usage: bash init_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
mkdir -p "$tmp/s"
for f in "$src"/tests/corpus/*.yaml; do
  n=$(basename "$f" .yaml)
  sed -E 's|^(\s*(- )?image: "?)([^" ]*)("?)$|\1\3-next\4|' "$f" >"$tmp/s/$n-next.yaml"
  expect_exit 0 "init $n" -- "$rollsim" init --current "$f" --out "$tmp/s/$n.yaml"
  expect_exit 0 "validate the init of $n" -- "$rollsim" validate "$tmp/s/$n.yaml"
  expect_exit 0 "run the init of $n" -- "$rollsim" run "$tmp/s/$n.yaml" --trials 3 --quiet
  expect_exit 0 "init $n with a change" -- "$rollsim" init --current "$f" --proposed "$tmp/s/$n-next.yaml" --out "$tmp/s/$n-change.yaml"
  expect_exit 0 "run the init of $n with a change" -- "$rollsim" run "$tmp/s/$n-change.yaml" --trials 3 --report "$tmp/s/$n.json" --quiet
  $py -c "import json,sys; r=json.load(open(sys.argv[1])); assert len(r['variants']) >= 2, r['variants']" "$tmp/s/$n.json" ||
    fail "init $n: fewer than two variants"
  contains "$tmp/s/$n.yaml" "# TODO" "init $n: TODO markers"
done
contains "$tmp/s/nghttpx-ingress-lb.yaml" "kind: host-port-service" "init: the inferred kind"
contains "$tmp/s/nghttpx-ingress-lb.yaml" "testThenPromote" "init: test-then-promote for an isolated host-port service"
contains "$tmp/s/kube-proxy.yaml" "kind: host-agent" "init: kube-proxy is a host agent"
if grep -q testThenPromote "$tmp/s/kube-proxy.yaml"; then fail "init: a test copy offered where it is not isolated"; fi
contains "$tmp/s/node-exporter-addon.yaml" "mode: coverage" "init: coverage for a node agent"
# stdout, and bad input.
expect_exit 0 "init to stdout" -- "$rollsim" init --current "$src/tests/corpus/kube-proxy.yaml"
contains "$tmp/out" "apiVersion: rollsim.io/v1alpha1" "init on stdout"
expect_exit 2 "init without --current" -- "$rollsim" init --out "$tmp/never.yaml"
expect_exit 2 "init of a bad manifest" -- "$rollsim" init --current "$src/tests/bad-input/manifest-duplicate-container.yaml" --out "$tmp/never.yaml"
contains "$tmp/err" 'manifest-duplicate-container.yaml:19: spec.template.spec.containers[1].name: Duplicate value: "proxy"' "init: the bad manifest's message"
[[ ! -e $tmp/never.yaml ]] || fail "init: a failed init wrote its output"
finish init
