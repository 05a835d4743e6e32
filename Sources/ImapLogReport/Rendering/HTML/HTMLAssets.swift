import Foundation

/// The HTML report's one style sheet and one script, and the Content-Security-Policy that allows only them.
///
/// Both are constants: nothing from a log is ever in them, so their SHA-256 hashes, computed once, are all the
/// policy needs to allow (no `'unsafe-inline'`, no inline `style` attribute, no other source of any kind).
enum HTMLAssets {
    /// The policy of the page: nothing but this style sheet and this script; images only as inline SVG.
    static let contentSecurityPolicy =
        "default-src 'none'; style-src '\(hash(style))'; script-src '\(hash(script))'; img-src 'none'; "
        + "base-uri 'none'; form-action 'none'"

    /// `sha256-` and the Base64 of the SHA-256 of `text`'s UTF-8, as CSP writes a hash.
    static func hash(_ text: String) -> String {
        "sha256-" + Data(SHA256.hash(Array(text.utf8))).base64EncodedString()
    }

    /// Okabe and Ito's palette, told apart with any colour vision.
    enum Palette {
        static let blue = "#0072B2"
        static let skyBlue = "#56B4E9"
        static let vermilion = "#D55E00"
        static let orange = "#E69F00"
        static let reddishPurple = "#CC79A7"
        static let bluishGreen = "#009E73"
        static let yellow = "#F0E442"
        static let grey = "#999999"
        static let black = "#000000"
        /// For what is absent (a probe gap): lighter than any colour above.
        static let lightGrey = "#C8C8C8"
    }

    static let style = """

        :root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--soft:#f6f8fa;--crit:#b42318;--warn:#9a6700;--ok:#1a7f37}
        *{box-sizing:border-box}
        body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;\
        color:var(--ink);background:#fff}
        main{max-width:1100px;margin:0 auto;padding:16px 20px 40px}
        header.top{border-bottom:1px solid var(--line);padding-bottom:8px;margin-bottom:16px}
        header.top h1{font-size:20px;margin:0}
        header.top p{margin:2px 0;color:var(--muted);font-size:13px}
        h2{font-size:13px;letter-spacing:.06em;color:var(--muted);margin:28px 0 8px}
        nav.toc{font-size:13px;margin:6px 0 0}
        nav.toc a{color:#0969da;margin-right:12px;text-decoration:none}
        h3{font-size:16px;margin:16px 0 6px}
        section{break-inside:auto}
        .verdict{border:1px solid var(--line);border-left:8px solid var(--muted);border-radius:6px;padding:12px 16px;\
        background:var(--soft)}
        .verdict.critical{border-left-color:var(--crit);background:#fef3f2}
        .verdict.warning{border-left-color:var(--warn);background:#fff8e1}
        .verdict.ok{border-left-color:var(--ok);background:#f0fff4}
        .verdict h2{margin-top:0}
        .verdict .answer{font-size:18px;font-weight:600;margin:4px 0 8px}
        .verdict ul{margin:4px 0 0;padding-left:20px}
        .badge{display:inline-block;font-size:12px;font-weight:600;border-radius:10px;padding:1px 8px;\
        margin-right:6px;border:1px solid var(--line);background:#fff}
        .badge.critical{color:#fff;background:var(--crit);border-color:var(--crit)}
        .badge.warning{color:#1b1f24;background:#ffd33d;border-color:#d4a72c}
        .badge.info{color:#fff;background:#0969da;border-color:#0969da}
        ol.steps{padding-left:24px}
        ol.steps li{margin-bottom:10px}
        .monitor{font-weight:600;margin:12px 0 4px}
        pre{margin:4px 0;padding:8px 10px;background:#f3f4f6;border:1px solid var(--line);border-radius:6px;\
        overflow-x:auto;white-space:pre-wrap;word-break:break-all;font:13px/1.45 ui-monospace,"SFMono-Regular",\
        Menlo,Consolas,monospace}
        .cmd{position:relative}
        .cmd button{position:absolute;top:4px;right:4px;font-size:12px;padding:2px 8px;border:1px solid var(--line);\
        border-radius:4px;background:#fff;cursor:pointer}
        .cmd pre{padding-right:64px}
        .suspect{border:1px solid var(--line);border-radius:6px;padding:8px 14px;margin:10px 0}
        .suspect h3{margin-top:6px}
        .meter{vertical-align:middle;margin-left:6px}
        code{font:13px ui-monospace,"SFMono-Regular",Menlo,Consolas,monospace}
        .rows td:last-child{white-space:pre-wrap;word-break:break-all}
        .muted{color:var(--muted)}
        ul.findings{list-style:none;padding:0}
        ul.findings li{margin:4px 0}
        .scroll{overflow-x:auto;-webkit-overflow-scrolling:touch;margin:6px 0 10px}
        table{border-collapse:collapse;font-size:13px;min-width:100%}
        th,td{border-bottom:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}
        th{background:var(--soft);font-weight:600;white-space:nowrap}
        th.sortable{cursor:pointer}
        td.n,th.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        figure.chart{margin:10px 0 18px;break-inside:avoid;page-break-inside:avoid}
        figure.chart figcaption{font-weight:600;font-size:14px}
        figure.chart svg{width:100%;height:auto;display:block}
        .legend{display:flex;flex-wrap:wrap;gap:4px 14px;font-size:12px;color:var(--muted);margin:4px 0 8px}
        .legend svg{vertical-align:middle;margin-right:4px}
        svg text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;fill:#57606a}
        svg .label{font-weight:600;fill:#1b1f24}
        footer{margin-top:32px;border-top:1px solid var(--line);padding-top:8px;font-size:12px;color:var(--muted)}
        @media (max-width:600px){main{padding:10px}body{font-size:14px}.verdict .answer{font-size:16px}\
        header.top h1{font-size:17px}.plot{overflow-x:auto;-webkit-overflow-scrolling:touch}\
        .plot svg{min-width:500px}}
        @media print{body{font-size:11px}nav.toc{display:none}main{max-width:none;padding:0}.cmd button{display:none}\
        .verdict,.verdict.critical,.verdict.warning,.verdict.ok{background:#fff}.scroll{overflow:visible}\
        pre{white-space:pre-wrap;background:#fff;font-size:9px}code{font-size:9px}h2{break-after:avoid}\
        table{font-size:9px}h3{break-after:avoid}}

        """

    /// Conveniences only, the page reads the same without them: a copy button on each command, and tables sorted
    /// by a click on a column's title.
    static let script = """

        (function(){
        "use strict";
        var d=document,c=d.body.getAttribute("data-copy")||"Copy",k=d.body.getAttribute("data-copied")||"Copied";
        d.querySelectorAll(".cmd").forEach(function(box){
        var pre=box.querySelector("pre");if(!pre||!navigator.clipboard)return;
        var b=d.createElement("button");b.type="button";b.textContent=c;
        b.addEventListener("click",function(){navigator.clipboard.writeText(pre.textContent).then(function(){
        b.textContent=k;setTimeout(function(){b.textContent=c;},1500);},function(){});});
        box.appendChild(b);});
        d.querySelectorAll("table.sortable").forEach(function(t){
        var hs=t.querySelectorAll("thead th");
        hs.forEach(function(h,i){h.classList.add("sortable");h.addEventListener("click",function(){
        var body=t.tBodies[0],rows=Array.prototype.slice.call(body.rows),up=h.getAttribute("aria-sort")!=="ascending";
        hs.forEach(function(o){o.removeAttribute("aria-sort");});
        h.setAttribute("aria-sort",up?"ascending":"descending");
        function key(r){var x=r.cells[i];if(!x)return "";var v=x.getAttribute("data-v");
        return v!==null?parseFloat(v):x.textContent;}
        rows.sort(function(a,b){var p=key(a),q=key(b),o=(typeof p==="number"&&typeof q==="number")?p-q:
        String(p).localeCompare(String(q));return up?o:-o;});
        rows.forEach(function(r){body.appendChild(r);});});});});
        })();

        """
}
