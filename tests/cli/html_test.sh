# The HTML report (docs/report.md, "The HTML report") in a real headless Chromium: the default
# scenario's run and a review load with no script or console error, render every picture, show
# the table and the charts in a screenshot (counted pixels in each area), and print to PDF. The
# file is self-contained (no address but the SVG namespace) and small.
# Usage: bash html_test.sh ROLLSIM SOURCE_DIR
source "$2/tests/cli/lib.sh" "$1" "$2"
cd "$tmp" || exit 1
browser() {  # browser ARGS... FILE: headless Chromium on the file, stderr kept in $tmp/browser.err
  local file=$1; shift
  timeout 120 chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$tmp/profile" \
    --enable-logging=stderr --v=0 "$@" "file://$tmp/$file" 2>"$tmp/browser.err"
}
check_page() {  # check_page FILE.html CHARTS WHAT
  local page=$1 charts=$2 what=$3
  [[ $(stat -c %s "$page") -lt 600000 ]] || fail "$what: $(stat -c %s "$page") bytes is not small"
  grep -oE "(https?:)?//[a-zA-Z0-9.-]+[^\"' )<]*" "$page" | grep -v "^http://www.w3.org/2000/svg$" >"$tmp/addr.txt"
  [[ ! -s $tmp/addr.txt ]] || fail "$what: fetches from $(head -3 "$tmp/addr.txt")"
  browser "$page" --window-size=1280,8000 --dump-dom >"$tmp/dom.html" || fail "$what: chromium --dump-dom failed: $(tail -3 "$tmp/browser.err")"
  grep -E "CONSOLE|Uncaught" "$tmp/browser.err" >"$tmp/console.txt"
  [[ ! -s $tmp/console.txt ]] || fail "$what: console messages: $(head -3 "$tmp/console.txt")"
  grep -q "data-rendered=\"$charts\"" "$tmp/dom.html" || fail "$what: not $charts pictures rendered: $(grep -o 'data-rendered="[0-9]*"' "$tmp/dom.html")"
  ! grep -q "data-error=" "$tmp/dom.html" || fail "$what: a script error: $(grep -o 'data-error="[^"]*"' "$tmp/dom.html")"
  browser "$page" --window-size=1280,8000 --screenshot="$tmp/shot.png" >/dev/null || fail "$what: no screenshot"
  $py - "$tmp/dom.html" "$tmp/shot.png" "$what" <<'PY' || fail "$what: the screenshot does not show the table and the charts"
import html, json, re, sys
from PIL import Image
dom = open(sys.argv[1]).read()
layout = json.loads(html.unescape(re.search(r'data-layout="([^"]*)"', dom).group(1)))
img = Image.open(sys.argv[2]).convert("RGB")
def ink(box, coloured=False):
    x, y, w, h = box
    region = img.crop((x, y, x + w, y + h))
    n = 0
    for r, g, b in region.getdata():
        if coloured:
            n += max(r, g, b) - min(r, g, b) > 60  # a chart's colours, not grey text or grid
        else:
            n += r + g + b < 600
    return n, w * h
for area in ["table", "cdf-duration", "cdf-harm", "tradeoff"]:
    assert area in layout, (area, sorted(layout))
    n, size = ink(layout[area])
    assert n > 0.01 * size, (sys.argv[3], area, n, size)
    if area != "table":
        c, _ = ink(layout[area], coloured=True)
        assert c > 500, (sys.argv[3], area, "coloured pixels", c)
    print(sys.argv[3], area, n, "of", size, "pixels drawn")
PY
  browser "$page" --print-to-pdf="$tmp/page.pdf" --no-pdf-header-footer >/dev/null || fail "$what: no PDF"
  head -c 5 "$tmp/page.pdf" | grep -q "%PDF-" || fail "$what: the PDF is not a PDF"
  pages=$($py -c 'import re, sys; print(len(re.findall(rb"/Type\s*/Page(?!s)", open(sys.argv[1], "rb").read())))' "$tmp/page.pdf")
  ((pages >= 2 && pages <= 12)) || fail "$what: printed to $pages pages"
}

expect_exit 0 "run --html on the default scenario" -- "$rollsim" run "$src/scenarios/edge-proxy-single-node/scenario.yaml" \
  --trials 50 --html run.html -q
check_page run.html 4 "run --html"
contains run.html "<section id=\"timeline\">" "run --html: the shown trial's timeline"
contains run.html "Recommendation: " "run --html: the recommendation"

v1="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v1.yaml"
v2="$src/scenarios/edge-proxy-single-node/manifests/edge-proxy-v2.yaml"
sed 's/maxUnavailable: 1$/maxUnavailable: 0\n      maxSurge: 1/' "$v2" >surge.yaml
expect_exit 3 "review --html" -- "$rollsim" review --current "$v1" --proposed surge.yaml --trials 10 --html review.html -q
check_page review.html 3 "review --html"
contains review.html "surge-with-host-port" "review --html: the findings"
contains review.html "blocking</span>" "review --html: the severity"

expect_exit 3 "recommend --html" -- "$rollsim" recommend "$src/scenarios/edge-proxy-20-nodes/scenario.yaml" --trials 10 --html rec.html -q
contains rec.html "(recommended)" "recommend --html: the recommended row"
expect_exit 0 "run --html, 2 threads" -- "$rollsim" run "$src/scenarios/edge-proxy-single-node/scenario.yaml" --trials 50 --html run2.html -q --threads 2
expect_exit 0 "run --html, 1 thread" -- "$rollsim" run "$src/scenarios/edge-proxy-single-node/scenario.yaml" --trials 50 --html run1.html -q --threads 1
cmp -s run1.html run2.html || fail "the HTML differs between 1 and 2 threads"
finish html
