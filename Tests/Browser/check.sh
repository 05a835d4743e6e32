#!/usr/bin/env bash
# The HTML report in a real browser: headless Chromium loads the page offline and must log nothing to its console
# (no script error, no resource or style blocked by the Content-Security-Policy); the rendered DOM must show the
# verdict first and one chart per server; hostile log text must arrive escaped. Screenshots at desktop and phone
# widths and of the printed page are left in OUT.
#
#   Tests/Browser/check.sh [OUT] [BINARY]      default OUT .build/browser-check, BINARY .build/debug/imaplog
#
# Needs chromium (or chromium-headless-shell), python3 and, for the print screenshot, pdftoppm (poppler-utils).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=${1:-.build/browser-check}
binary=${2:-.build/debug/imaplog}
mkdir -p "$out"
out=$(cd "$out" && pwd)

browser=""
for candidate in chromium chromium-headless-shell chromium-browser google-chrome; do
    if command -v "$candidate" >/dev/null 2>&1; then browser=$candidate; break; fi
done
if [ -z "$browser" ]; then
    echo "browser check skipped: no chromium (apt-get install chromium)" >&2
    exit 0
fi
[ -x "$binary" ] || { echo "no imaplog binary at $binary (swift build)" >&2; exit 1; }

# A profile of its own, removed at the end; no network is needed or used (the page loads nothing).
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
run_browser() {
    timeout 120 "$browser" --headless --no-sandbox --disable-gpu --no-first-run --disable-extensions \
        --user-data-dir="$profile" --hide-scrollbars --enable-logging=stderr --v=0 "$@"
}

failures=0
fail() { echo "FAIL: $*" >&2; failures=$((failures + 1)); }

# Loads PAGE, keeps its DOM in PAGE.dom, fails on any console message (errors, CSP violations, blocked loads).
load() {
    local page=$1
    run_browser --dump-dom "file://$page" >"$page.dom" 2>"$page.log" || fail "$browser could not load $page"
    if grep -E ':CONSOLE|Refused to|violates the following Content Security Policy' "$page.log" >"$page.console"; then
        fail "console messages on $(basename "$page"):"
        cat "$page.console" >&2
    fi
}

# 1. The story of the issue: MBX02 refusing logons.
story=SampleLogs/02-mbx02-refusing-logons
"$binary" --format html --monitor ImapCTPMonitor "$story" >"$out/report.html"
servers=$("$binary" --format json --monitor ImapCTPMonitor "$story" \
    | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["servers"]))')
load "$out/report.html"
python3 - "$out/report.html.dom" "$servers" <<'PY' || fail "the rendered DOM of report.html"
import sys
from html.parser import HTMLParser

class Page(HTMLParser):
    def __init__(self):
        super().__init__()
        self.sections, self.figures, self.svgs, self.stack, self.verdict = [], 0, 0, [], ""
        self.in_verdict = 0
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "section":
            self.sections.append(a.get("id", ""))
            if a.get("id") == "verdict": self.in_verdict = 1
            elif self.in_verdict: self.in_verdict += 1
        if tag == "figure" and "chart" in (a.get("class") or "").split(): self.figures += 1
        # A chart: an svg drawn in a chart's figure (the legend's swatches are outside any figure).
        if tag == "svg" and "figure" in self.stack and "svg" not in self.stack: self.svgs += 1
        if tag not in ("meta", "link", "br", "hr", "img", "input", "wbr"): self.stack.append(tag)
    def handle_endtag(self, tag):
        if tag in self.stack:
            while self.stack.pop() != tag: pass
        if tag == "section" and self.in_verdict: self.in_verdict -= 1
    def handle_data(self, data):
        if self.in_verdict: self.verdict += data

page = Page()
page.feed(open(sys.argv[1], encoding="utf-8").read())
servers = int(sys.argv[2])
problems = []
if not page.sections or page.sections[0] != "verdict": problems.append(f"the first section is {page.sections[:1]}, not the verdict")
if "MBX02" not in page.verdict: problems.append("the verdict does not name MBX02")
if page.figures != servers or page.svgs != servers:
    problems.append(f"{page.figures} chart figures and {page.svgs} charts for {servers} servers")
for p in problems: print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# The page's conveniences work: a Copy button on each command, a click on a number column's title sorts it. Checked
# on a copy whose policy is dropped so that a probe script may run after the page's own.
python3 - "$out/report.html" "$out/conveniences.html" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
page = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page)
probe = """<script>
var t=document.querySelector("table.sortable"),h=t.querySelectorAll("thead th.n")[1];h.click();
var v=Array.from(t.tBodies[0].rows).map(function(r){return parseFloat(r.cells[h.cellIndex].getAttribute("data-v"))});
var up=v.every(function(x,i){return i===0||v[i-1]<=x});
console.log("probe: sorted="+up+" buttons="+document.querySelectorAll(".cmd button").length+
" commands="+document.querySelectorAll(".cmd").length);
</script></body>"""
open(sys.argv[2], "w", encoding="utf-8").write(page.replace("</body>", probe))
PY
run_browser --dump-dom "file://$out/conveniences.html" >/dev/null 2>"$out/conveniences.log" || true
probe=$(grep -o 'probe: sorted=[a-z]* buttons=[0-9]* commands=[0-9]*' "$out/conveniences.log" || true)
case "$probe" in
    "probe: sorted=true buttons="*) buttons=${probe#*buttons=}; buttons=${buttons%% *}
        [ "$buttons" = "${probe##*commands=}" ] || fail "copy buttons: $probe" ;;
    *) fail "the page's script: ${probe:-no answer}"; grep CONSOLE "$out/conveniences.log" >&2 || true ;;
esac

# Every other story, in both languages, loads without a console message either.
mkdir -p "$out/stories"
for folder in SampleLogs/*/; do
    name=$(basename "$folder")
    for lang in en fr; do
        page="$out/stories/$name-$lang.html"
        "$binary" --format html --lang "$lang" "$folder" >"$page" 2>/dev/null || true
        load "$page"
    done
done

# 2. Hostile log text: a user named <script>, a quote in a parameter, bidi and control characters.
hostile="$out/hostile"
mkdir -p "$hostile/CAS01"
{
    printf 'dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n'
    printf '#Software: Microsoft Exchange Server\r\n#Version: 15.1.2507.39\r\n#Log-type: IMAP4 Log\r\n'
    printf '#Date: 2026-11-17T09:00:00.000Z\r\n'
    printf '#Fields: dateTime,sessionId,seqNumber,sIp,cIp,user,duration,rqsize,rpsize,command,parameters,context\r\n'
    for i in $(seq 10 59); do
        printf '2026-11-17T09:%s:00.000Z,00000000000000%s,0,10.0.0.1:993,10.0.9.9:5000,,1,0,53,OpenSession,,\r\n' "$i" "$i"
        printf '2026-11-17T09:%s:01.000Z,00000000000000%s,1,10.0.0.1:993,10.0.9.9:5000,<script>alert(1)</script>,30,20,40,login,"<img src=x onerror=alert(2)> ""q\xe2\x80\xaeevil\x1b[31m",' "$i" "$i"
        printf '"R=""a1 NO LOGIN failed."";Msg=Proxy:mbx01.contoso.com:1993:SSL;ErrMsg=ProxyFailed;Excpt=<b>x</b>-MailboxOfflineException"\r\n'
    done
} >"$hostile/CAS01/IMAP42026111709-1.LOG"
"$binary" --format html "$hostile" >"$out/hostile.html" || true
load "$out/hostile.html"
python3 - "$out/hostile.html" "$out/hostile.html.dom" <<'PY' || fail "hostile text not escaped"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
dom = open(sys.argv[2], encoding="utf-8").read()
problems = []
csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"', page)
if not csp or "default-src 'none'" not in csp.group(1) or "unsafe-inline" in csp.group(1):
    problems.append("no strict Content-Security-Policy")
if "&lt;script&gt;alert(1)&lt;/script&gt;" not in page: problems.append("the user <script> is not shown escaped")
for raw in ["<script>alert", "<img src=x", "<b>x</b>", "\u202e", "\x1b"]:
    if raw in page: problems.append(f"{raw!r} reached the page as it is")
if "\\u{202E}" not in page or "\\x1B" not in page: problems.append("bidi and control characters are not made visible")
if len(re.findall(r"<script\b", dom)) != 1: problems.append("a script element other than the page's own")
if re.search(r"<img\b", dom): problems.append("an img element")
for p in problems: print("  " + p, file=sys.stderr)
sys.exit(1 if problems else 0)
PY

# 3. Screenshots: desktop, phone, and the first pages printed.
run_browser --window-size=1280,4000 --screenshot="$out/desktop.png" "file://$out/report.html" 2>/dev/null \
    || fail "desktop screenshot"
run_browser --window-size=390,2400 --screenshot="$out/phone.png" "file://$out/report.html" 2>/dev/null \
    || fail "phone screenshot"
run_browser --no-pdf-header-footer --print-to-pdf="$out/print.pdf" "file://$out/report.html" 2>/dev/null \
    || fail "printing to PDF"
if command -v pdftoppm >/dev/null 2>&1 && [ -s "$out/print.pdf" ]; then
    pdftoppm -png -r 60 -f 1 -l 4 "$out/print.pdf" "$out/print"
else
    echo "no pdftoppm (apt-get install poppler-utils): the print screenshot is left as $out/print.pdf" >&2
fi

if [ "$failures" -gt 0 ]; then
    echo "browser check: $failures failure(s); pages and logs in $out" >&2
    exit 1
fi
echo "browser check passed ($browser): pages, screenshots and logs in $out"
