"""Both offline pages in a real browser: Debian's chromium driven by playwright (which
never downloads a browser here). No console error, no network request at all, a clicked
fact scrolls its box into view, every table 三 fact has a visible box, screenshots are not
blank. Skipped, with the reason, where playwright or chromium is absent (CI has both).

``GOVREPORT_SCREENSHOTS=docs/img`` keeps the screenshots (the docs show them).
"""
import io
import json
import os
import shutil
from pathlib import Path

import pytest

import govreport
from _corpus import CORPUS, needs_corpus
from govreport.testing import make_report
from govreport.view import view_html
from govreport.view.dashboard import dashboard_html

CHROMIUM = os.environ.get("GOVREPORT_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed "
                               "(pip install -e '.[test]')")
if not os.path.exists(CHROMIUM):
    pytest.skip(f"no chromium at {CHROMIUM} (apt-get install chromium fonts-wqy-microhei)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


class Opened:
    """A page opened from a file, with every request and console error it made."""

    def __init__(self, browser, path: Path, size=(1280, 860)):
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.url = path.resolve().as_uri()

        def route(r):
            self.requests.append(r.request.url)
            if r.request.url == self.url:
                r.continue_()
            else:
                r.abort()
        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.goto(self.url)
        self.page.wait_for_load_state("load")

    def assert_clean(self):
        assert self.errors == []
        outside = {u for u in self.requests if u != self.url and not u.startswith("data:")}
        assert outside == set()

    def in_view(self, selector: str) -> bool:
        return self.page.eval_on_selector(selector, """el => {
            const r = el.getBoundingClientRect();
            if (r.width <= 0 || r.height <= 0) return false;
            let p = el.parentElement;
            while (p) {  // inside every scrolled ancestor and the window
                const s = getComputedStyle(p);
                if (/(auto|scroll)/.test(s.overflowY)) {
                    const q = p.getBoundingClientRect();
                    if (r.bottom < q.top || r.top > q.bottom) return false;
                }
                p = p.parentElement;
            }
            return r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth;
        }""")

    def screenshot(self, name: str, tmp_path: Path, *, keep: bool = True) -> None:
        """A screenshot that is not blank; kept small under $GOVREPORT_SCREENSHOTS
        (``keep=False``: never — a page of a real report is not copied into the docs)."""
        from PIL import Image, ImageStat

        png = self.page.screenshot()
        image = Image.open(io.BytesIO(png)).convert("L")
        assert ImageStat.Stat(image).stddev[0] > 10
        assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 8
        wanted = os.environ.get("GOVREPORT_SCREENSHOTS") if keep else None
        folder = Path(wanted) if wanted else tmp_path
        folder.mkdir(parents=True, exist_ok=True)
        small = Image.open(io.BytesIO(png)).convert("RGB").quantize(colors=96)
        small.save(folder / f"{name}.png", optimize=True)

    def close(self):
        self.context.close()


def _facts_placed(opened: Opened, prefix: str) -> dict[str, str]:
    return opened.page.evaluate("""prefix => {
        const out = {};
        document.querySelectorAll('li.fact[data-t]').forEach(li => {
            const key = li.querySelector('.k').textContent;
            const el = document.getElementById(li.dataset.t);
            const r = el && el.getBoundingClientRect();
            if (key.startsWith(prefix) && r && r.width > 0 && r.height > 0) out[key] = li.dataset.t;
        });
        return out;
    }""", prefix)


def _click_fact_and_back(opened: Opened, key: str) -> None:
    page = opened.page
    li = page.locator("li.fact", has_text=key).first
    li.click()
    page.wait_for_timeout(700)  # smooth scrolling
    target = li.get_attribute("data-t")
    assert opened.in_view(f"#{target}")
    assert "current" in page.get_attribute(f"#{target}", "class")
    # scroll the list away, click the box: the fact comes back into view
    page.eval_on_selector("#side", "el => el.scrollTop = el.scrollHeight")
    page.click(f"#{target}")
    page.wait_for_timeout(700)
    assert opened.in_view(f"#{li.get_attribute('id')}")


def test_html_view_in_the_browser(browser, tmp_path):
    gen = make_report(tmp_path, {"requests.carried_over.total": 7}, kind="html")
    report, page_html = view_html(gen.path)
    path = tmp_path / "view.html"
    path.write_text(page_html, encoding="utf-8")
    opened = Opened(browser, path)
    try:
        placed = _facts_placed(opened, "requests.")
        assert set(placed) == {k for k in report.facts if k.startswith("requests.")}
        _click_fact_and_back(opened, "requests.carried_forward.natural_person")
        # a T3-BAL finding: clicking it lights up the row and its addends
        opened.page.click("button[data-tab=checks]")
        opened.page.locator("li.check", has_text="T3-BAL").first.click()
        lit = opened.page.eval_on_selector_all(".box.hl, .box.current", "els => els.length")
        bal = next(c for c in report.checks if c.rule == "T3-BAL")
        assert lit >= len(bal.keys)
        opened.assert_clean()
        opened.screenshot("view-html", tmp_path)
    finally:
        opened.close()


def test_pdf_view_in_the_browser(browser, tmp_path):
    gen = make_report(tmp_path, kind="pdf")
    report, page_html = view_html(gen.path)
    path = tmp_path / "view.html"
    path.write_text(page_html, encoding="utf-8")
    opened = Opened(browser, path)
    try:
        images = opened.page.eval_on_selector_all(
            ".sheet img", "els => els.map(e => e.complete && e.naturalWidth > 0)")
        assert images and all(images)
        with_bbox = {k for k, p in report.provenance.items() if p.get("bbox")}
        assert set(_facts_placed(opened, "")) == with_bbox
        _click_fact_and_back(opened, "requests.new_received.total")
        opened.assert_clean()
        opened.screenshot("view-pdf", tmp_path)
    finally:
        opened.close()


@needs_corpus
def test_every_table3_fact_of_hongze_has_a_visible_box(browser, tmp_path):
    report, page_html = view_html(CORPUS / "hongze-2023.pdf")
    table3 = {k for k, p in report.provenance.items() if k.startswith("requests.") and "table" in p}
    with_bbox = {k for k in table3 if report.provenance[k].get("bbox")}
    if not with_bbox:
        pytest.skip("this PDF engine puts no bbox in provenance")
    assert with_bbox == table3
    path = tmp_path / "hongze.html"
    path.write_text(page_html, encoding="utf-8")
    opened = Opened(browser, path)
    try:
        placed = _facts_placed(opened, "requests.")
        assert set(placed) == with_bbox
        distinct = opened.page.eval_on_selector_all(
            ".sheet .box", "els => els.filter(e => e.getBoundingClientRect().width > 0).length")
        assert distinct >= len(set(placed.values()))
        _click_fact_and_back(opened, "requests.new_received.total")
        opened.assert_clean()
        opened.screenshot("view-pdf-corpus", tmp_path, keep=False)
    finally:
        opened.close()


def _batch(tmp_path) -> Path:
    if CORPUS.is_dir():
        from govreport.batch import run_batch

        out = tmp_path / "out"
        run_batch([CORPUS], out, workers=2, formats=["jsonl"])
        return out
    out = tmp_path / "out"
    out.mkdir()
    with open(out / "reports.jsonl", "w", encoding="utf-8") as fh:
        for kind in ("text", "html", "markdown"):
            gen = make_report(tmp_path / kind, kind=kind)
            fh.write(json.dumps({"batch": {"input": str(gen.path)},
                                 **govreport.parse(gen.path).to_dict()}, ensure_ascii=False) + "\n")
    return out


def test_dashboard_in_the_browser(browser, tmp_path):
    page_html = dashboard_html(_batch(tmp_path))
    path = tmp_path / "dashboard.html"
    path.write_text(page_html, encoding="utf-8")
    opened = Opened(browser, path, size=(1280, 900))
    try:
        figures = opened.page.eval_on_selector_all(
            "figure.fig:not(.absent)", """els => els.map(f => {
                const s = f.querySelector('svg.chart'); const r = s && s.getBoundingClientRect();
                return [!!s && r.width > 100 && r.height > 20 && s.querySelectorAll('rect,circle,polyline').length > 0,
                        f.querySelectorAll('.numbers tbody tr').length > 0,
                        f.querySelector('a.csv').href.startsWith('data:text/csv')];
            })""")
        assert len(figures) >= 8
        assert all(all(f) for f in figures), figures
        assert int(opened.page.inner_text("#n-charts")) == len(figures)
        opened.assert_clean()
        opened.screenshot("dashboard", tmp_path)
    finally:
        opened.close()
