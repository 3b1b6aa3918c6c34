# Installing (docs/development.md, "Installing"): cmake --install to a prefix gives a working
# rollsim, kubectl-rollsim, a man page that renders, and shell completions that complete; the
# Debian package depends on runtime libraries only, and its binary runs.
# Usage: bash install_test.sh ROLLSIM SOURCE_DIR BUILD_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
build=$3
cmake --install "$build" --prefix "$tmp/prefix" >"$tmp/install.log" 2>&1 || fail "cmake --install failed: $(tail -3 "$tmp/install.log")"
p=$tmp/prefix
expect_exit 0 "the installed rollsim" -- "$p/bin/rollsim" version
contains "$tmp/out" "rollsim " "the installed rollsim: its version"
[[ -L $p/bin/kubectl-rollsim ]] || fail "no kubectl-rollsim link"
expect_exit 0 "the installed kubectl plugin" -- "$p/bin/kubectl-rollsim" help
contains "$tmp/out" "kubectl rollsim review -f PROPOSED.yaml" "kubectl-rollsim is the plugin"
man -l "$p/share/man/man1/rollsim.1" >"$tmp/man.txt" 2>"$tmp/man.err" || fail "man -l rollsim.1 failed: $(head -3 "$tmp/man.err")"
contains "$tmp/man.txt" "replay DaemonSet rollouts before you run them" "the man page's name line"
contains "$tmp/man.txt" "--fail-on SEVERITY" "the man page has each command's options"
out=$(bash -c 'source "$1"; COMP_WORDS=(rollsim re); COMP_CWORD=1; _rollsim; echo "${COMPREPLY[*]}"' _ "$p/share/bash-completion/completions/rollsim")
[[ $out == "recommend review" ]] || fail "bash completion of 're': '$out'"
out=$(bash -c 'source "$1"; COMP_WORDS=(rollsim review --fail); COMP_CWORD=2; _rollsim; echo "${COMPREPLY[*]}"' _ "$p/share/bash-completion/completions/rollsim")
[[ $out == "--fail-on" ]] || fail "bash completion of review's --fail: '$out'"
[[ -s $p/share/zsh/vendor-completions/_rollsim && -s $p/share/fish/vendor_completions.d/rollsim.fish ]] || fail "no zsh or fish completion"
[[ -s $p/share/doc/rollsim/LICENSE && -s $p/share/doc/rollsim/scenario.md ]] || fail "no docs or LICENSE installed"
# The .deb: runtime dependencies only, and a binary that runs from it.
(cd "$build" && cpack -G DEB -B "$tmp/pkg") >"$tmp/cpack.log" 2>&1 || fail "cpack failed: $(tail -3 "$tmp/cpack.log")"
deb=$(ls "$tmp"/pkg/rollsim_*_amd64.deb 2>/dev/null | head -1)
[[ -n $deb ]] || fail "no .deb made"
if [[ -n $deb ]]; then
  depends=$(dpkg-deb -f "$deb" Depends)
  [[ $depends == *libyaml-cpp0.7* && $depends == *libfmt9* && $depends == *libboost-program-options1.74.0* ]] ||
    fail "the .deb's Depends lack a runtime library: $depends"
  [[ $depends != *-dev* ]] || fail "the .deb depends on a -dev package: $depends"
  dpkg-deb -x "$deb" "$tmp/root"
  expect_exit 0 "the packaged rollsim" -- "$tmp/root/usr/bin/rollsim" version
  [[ -L $tmp/root/usr/bin/kubectl-rollsim && -s $tmp/root/usr/share/man/man1/rollsim.1 ]] || fail "the .deb lacks the plugin link or the man page"
fi
finish install
