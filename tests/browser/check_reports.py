#!/usr/bin/env python3
"""check_reports.py OUTDIR REPORT.html|REPORTS_DIR... -- each report as a committee member sees it.

Loads every report in headless Chromium (Debian's chromium, driven by
chromium-driver through Selenium) at 1280 px and checks:

  - the page logs no console error;
  - every figure is an inline SVG drawn with a non-zero size, with a title
    and an aria-label that are not gnuplot's default;
  - figure text is drawn in a sans-serif font, and in a bold face where the
    figure says bold: the font Chromium actually used for the text nodes
    (DevTools CSS.getPlatformFontsForNode), not only the declared style;
  - element ids are unique;
  - no element is wider than the page;
  - printing to PDF (DevTools Page.printToPDF, the engine of `--pdf`)
    succeeds, on A4 pages with the wide tables and figures landscape.

A folder argument stands for every REPORTS_DIR/*/report.html.  It writes,
under OUTDIR/NAME/, screenshots of the page in 1280 x 1000 tiles
(screen-00.png, ...) and the PDF (report.pdf), for a person to look at.
Exit status: 0 when every check passes, 1 otherwise, 77 (skipped) when
chromium or chromium-driver is missing and EVS_REQUIRE_TEST_DEPS is not 1.
"""
import base64
import glob
import os
import shutil
import sys
import tempfile

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

WIDTH, HEIGHT = 1280, 1000
failures = []


def fail(report, msg):
    failures.append(f"{report}: {msg}")
    print(f"FAIL: {report}: {msg}")


def browser(profile):
    opts = webdriver.ChromeOptions()
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", f"--user-data-dir={profile}",
                f"--window-size={WIDTH},{HEIGHT}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
    return webdriver.Chrome(service=Service(driver), options=opts)


FIGURES_JS = """
return Array.from(document.querySelectorAll('figure')).map(f => {
  const svg = f.querySelector('svg');
  if (!svg) return {id: f.id, svg: false};
  const r = svg.getBoundingClientRect();
  const t = svg.querySelector('title');
  return {id: f.id, svg: true, w: r.width, h: r.height,
          label: svg.getAttribute('aria-label') || '', title: t ? t.textContent : '',
          texts: svg.querySelectorAll('text').length};
});"""

# Each text element's declared font: family and weight as computed, and
# whether the figure asks for bold (font-weight="bold" on it or an ancestor).
TEXTS_JS = """
return Array.from(document.querySelectorAll('figure svg text')).map((t, i) => {
  const cs = getComputedStyle(t);
  return {i: i, family: cs.fontFamily, weight: cs.fontWeight,
          bold: t.closest('[font-weight="bold"]') !== null || /bold/i.test(cs.fontFamily),
          text: t.textContent.slice(0, 40)};
});"""

WIDE_JS = """
const W = document.documentElement.clientWidth;
const out = [];
for (const e of document.body.querySelectorAll('*')) {
  const r = e.getBoundingClientRect();
  if (r.width > 0 && (r.right > W + 0.5 || r.left < -0.5))
    out.push(e.tagName + (e.id ? '#' + e.id : '') + ' ' + Math.round(r.left) + '..' +
             Math.round(r.right));
}
return {page: W, scroll: document.documentElement.scrollWidth, wide: out.slice(0, 5)};"""


def platform_fonts(drv, sample):
    """The fonts Chromium used for the given text elements (DevTools)."""
    root = drv.execute_cdp_cmd("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    drv.execute_cdp_cmd("CSS.enable", {})
    nodes = drv.execute_cdp_cmd("DOM.querySelectorAll",
                                {"nodeId": root, "selector": "figure svg text"})["nodeIds"]
    used = {}
    for i in sample:
        if i >= len(nodes):
            continue
        fonts = drv.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": nodes[i]})["fonts"]
        used[i] = [(f["familyName"], f.get("postScriptName", "")) for f in fonts]
    return used


def check(drv, path, outdir):
    name = os.path.basename(os.path.dirname(os.path.abspath(path)))
    os.makedirs(outdir, exist_ok=True)
    drv.get("file://" + os.path.abspath(path))
    drv.execute_script("return document.fonts.ready")

    for entry in drv.get_log("browser"):
        if entry.get("level") == "SEVERE":
            fail(name, f"console error: {entry.get('message')}")

    figs = drv.execute_script(FIGURES_JS)
    if not figs:
        fail(name, "no figures in the page")
    for f in figs:
        if not f["svg"]:
            fail(name, f"{f['id']}: no inline SVG")
            continue
        if not (f["w"] > 0 and f["h"] > 0):
            fail(name, f"{f['id']}: drawn with size {f['w']} x {f['h']}")
        if not f["label"] or not f["title"] or f["title"] == "Gnuplot":
            fail(name, f"{f['id']}: title {f['title']!r}, aria-label {f['label']!r}")
        if f["texts"] == 0:
            fail(name, f"{f['id']}: no text")

    ids = drv.execute_script(
        "const c = {}; for (const e of document.querySelectorAll('[id]')) c[e.id] = (c[e.id]||0)+1;"
        "return Object.keys(c).filter(k => c[k] > 1);")
    if ids:
        fail(name, f"{len(ids)} ids used more than once, e.g. {ids[:3]}")

    texts = drv.execute_script(TEXTS_JS)
    bold = [t for t in texts if t["bold"]]
    if not bold:
        fail(name, "no bold text in any figure (headers and pooled rows are bold)")
    for t in texts:
        fam = t["family"].replace('"', "").lower()
        if fam != "sans-serif" and not fam.endswith(", sans-serif"):
            fail(name, f"figure text {t['text']!r} in font family {t['family']!r}")
            break
    for t in texts:
        if t["bold"] != (int(t["weight"]) >= 700):
            fail(name, f"figure text {t['text']!r}: weight {t['weight']}, bold {t['bold']}")
            break
    # The fonts used: every bold text and one normal text in ten.
    sample = [t["i"] for t in bold] + [t["i"] for t in texts if not t["bold"]][::10]
    used = platform_fonts(drv, sample)
    for i, fonts in used.items():
        t = texts[i]
        for fam, ps in fonts:
            if "serif" in fam.lower() and "sans" not in fam.lower():
                fail(name, f"figure text {t['text']!r} drawn in {fam}")
            if t["bold"] and "bold" not in ps.lower() and "bold" not in fam.lower():
                fail(name, f"bold figure text {t['text']!r} drawn in {fam} ({ps})")
    if len(failures) > 50:
        return

    wide = drv.execute_script(WIDE_JS)
    if wide["scroll"] > wide["page"] or wide["wide"]:
        fail(name, f"wider than the page ({wide['page']} px): scroll width {wide['scroll']}, "
                   f"{wide['wide']}")

    height = drv.execute_script("return document.documentElement.scrollHeight")
    view = drv.execute_script("return window.innerHeight")
    y, n = 0, 0
    while y < height:
        drv.execute_script(f"window.scrollTo(0, {y})")
        drv.save_screenshot(os.path.join(outdir, f"screen-{n:02d}.png"))
        y += view
        n += 1

    pdf = drv.execute_cdp_cmd("Page.printToPDF", {"printBackground": True,
                                                  "preferCSSPageSize": True,
                                                  "displayHeaderFooter": False})
    data = base64.b64decode(pdf["data"])
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        fail(name, "print to PDF did not give a PDF")
    with open(os.path.join(outdir, "report.pdf"), "wb") as out:
        out.write(data)
    pages = data.count(b"/Type /Page\n") + data.count(b"/Type /Page>") + data.count(b"/Type/Page")
    print(f"{name}: {len(figs)} figures, {len(texts)} figure texts ({len(bold)} bold), "
          f"{n} screenshots, PDF of {len(data)} bytes in {outdir}")


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    outdir, reports = sys.argv[1], []
    for arg in sys.argv[2:]:  # a report.html, or a folder of report folders
        if os.path.isdir(arg):
            reports += sorted(glob.glob(os.path.join(arg, "*", "report.html")))
        else:
            reports.append(arg)
    if not reports:
        print("no report.html given")
        return 1
    for tool in ("chromium", os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")):
        if shutil.which(tool) is None:
            print(f"{tool} not installed (Debian: chromium chromium-driver)")
            return 1 if os.environ.get("EVS_REQUIRE_TEST_DEPS") == "1" else 77
    with tempfile.TemporaryDirectory() as profile:
        drv = browser(profile)
        try:
            for path in reports:
                name = os.path.basename(os.path.dirname(os.path.abspath(path)))
                check(drv, path, os.path.join(outdir, name))
        finally:
            drv.quit()
    if failures:
        print(f"browser checks: {len(failures)} failed")
        return 1
    print(f"browser checks: {len(reports)} report(s) passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
