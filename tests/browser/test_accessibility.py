"""Accessibility in a real browser: WCAG 2.1 AA (axe-core), 适老化 display modes, read aloud, phones, print.

Every page type of the sample site is opened in headless Chromium from the local server (see
conftest.py). A page type whose pages are not in the built output yet is skipped, saying so;
it is checked automatically once it is built.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from typing import Any

import pytest

from .conftest import ServedSite, WatchedPage, resolve

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# One or more pages of every page type: (name, site path). A "*" matches one path segment of
# the built output; the first match (sorted) is used.
PAGES = [
    ("home", ""),
    ("policy", "policies/dibao-shenhe-queren-banfa/"),  # attachments, a data table in the body
    ("policy-superseded", "policies/dibao-shenhe-queren-banfa-2023/"),  # 已废止 notice
    ("catalog", "catalog/"),
    ("catalog-page-2", "catalog/page-2/"),
    ("catalog-category", "catalog/社会救助/"),
    ("catalog-year", "catalog/2024/"),
    ("standards-index", "standards/"),
    ("standard-detail", "standards/*/"),  # tables and SVG charts
    ("rosters-index", "rosters/"),
    ("roster-notice", "rosters/*/"),
    ("roster-page-2", "rosters/*/page-2/"),
    ("search", "search/"),
    ("free-page", "guide/"),
    ("accessibility-statement", "accessibility/"),
    ("annual-reports", "annual-reports/"),
    ("annual-report", "annual-reports/*/"),  # the national format: merged headers, three tables
    ("organization", "organization/"),  # 机构信息: departments and leaders tables
    ("guides-index", "guides/"),
    ("guide-detail", "guides/dibao/"),  # materials and places tables, the SVG flow of the steps
    ("not-found", "404.html"),
]
PAGE_IDS = [name for name, _ in PAGES]
ARTICLE_PAGES = [("policy", "policies/dibao-shenhe-queren-banfa/"), ("standard-detail", "standards/*/")]

# What a finger has to hit: controls and links that stand on their own (links inside running text
# and table cells are exempt, as in WCAG 2.5.5).
TAP_TARGETS = (
    ".site-title a, .display-modes a, .display-modes button, .main-nav a, .breadcrumbs a, .facets a, "
    ".pagination a, .link-grid a, .link-list a, .footer-links a, .attachments a, .read-aloud button, "
    "main button, main select, main input:not([type=hidden]):not([type=checkbox]):not([type=radio])"
)
PHONE = {"width": 390, "height": 844}
SITE_ORIGIN = "https://mzj.shifan.example.gov.cn/xxgk/"  # base_url of the sample site


def run_axe(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.0/2.1 A and AA rules over the whole document; the violations."""
    try:
        from axe_playwright_python.base import AXE_SCRIPT  # bundles axe-core 4.12
    except ImportError:
        pytest.fail(
            "axe-playwright-python (0.1.8, pinned in requirements.lock) is not installed: "
            "run bash scripts/setup.sh --test"
        )

    page.evaluate(AXE_SCRIPT)  # evaluated by the driver: the page's CSP (script-src 'self') does not apply
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return list(result["violations"])


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(
                f"    {', '.join(map(str, node['target']))}: {node['failureSummary'].splitlines()[-1].strip()}"
            )
    return "\n".join(lines)


def small_targets(page: Any, minimum: int) -> list[str]:
    """Visible tap targets narrower or shorter than ``minimum`` CSS pixels."""
    return list(
        page.evaluate(
            """([selector, minimum]) => Array.from(document.querySelectorAll(selector))
            .filter(el => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
            .map(el => [el, el.getBoundingClientRect()])
            .filter(([el, r]) => r.width < minimum - 0.5 || r.height < minimum - 0.5)
            .map(([el, r]) => `${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 20)}"`
                              + ` ${Math.round(r.width)}×${Math.round(r.height)}`)""",
            [TAP_TARGETS, minimum],
        )
    )


def text_sizes(page: Any) -> list[dict[str, Any]]:
    """Font size and line height of every visible element that holds text of its own (not in SVG)."""
    return list(
        page.evaluate(
            """() => Array.from(document.body.querySelectorAll('*'))
            .filter(el => !el.closest('svg, .visually-hidden, script, style, noscript')
                && Array.from(el.childNodes).some(n => n.nodeType === 3 && n.textContent.trim())
                && el.getClientRects().length && el.getBoundingClientRect().width > 1)
            .map(el => {
                const s = getComputedStyle(el);
                return {tag: el.tagName.toLowerCase(), text: el.textContent.trim().slice(0, 20),
                        size: parseFloat(s.fontSize), line: s.lineHeight === 'normal' ? 0 : parseFloat(s.lineHeight)};
            })"""
        )
    )


def wait_for(page: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll ``expression`` until true (page.wait_for_function evaluates strings in the page, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(25)


def choose_mode(watched: WatchedPage, label: str) -> None:
    button = watched.page.get_by_role("button", name=label)
    button.click()
    assert button.get_attribute("aria-pressed") == "true"


# ----------------------------------------------------------------------------------------------------------
# WCAG 2.1 AA with axe-core (standard display, then 大字 + 高对比度); only local requests; no console errors


@pytest.mark.parametrize("path", [p for _, p in PAGES], ids=PAGE_IDS)
def test_meets_wcag21_aa_loads_nothing_from_elsewhere_and_logs_no_errors(
    open_page: Callable[..., WatchedPage], path: str
) -> None:
    watched = open_page()
    response = watched.goto(resolve(watched.site, path), wait_until="networkidle")
    assert response is not None and response.status == 200
    violations = run_axe(watched.page)
    assert not violations, describe(violations)
    assert watched.foreign_requests == []
    assert watched.console_errors == []
    # one <h1>, and headings never skip a level on the way down (axe counts these as best practice only)
    levels = watched.page.evaluate(
        "Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map(h => Number(h.tagName[1]))"
    )
    assert levels.count(1) == 1 and levels[0] == 1, levels
    skips = [(a, b) for a, b in itertools.pairwise(levels) if b > a + 1]
    assert skips == [], f"heading levels jump: {skips} in {levels}"


@pytest.mark.parametrize("path", [p for _, p in PAGES], ids=PAGE_IDS)
def test_meets_wcag21_aa_in_large_text_and_high_contrast_modes(
    open_page: Callable[..., WatchedPage], path: str
) -> None:
    watched = open_page()
    watched.goto(resolve(watched.site, path))
    choose_mode(watched, "大字模式")
    choose_mode(watched, "高对比度")
    assert watched.page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    violations = run_axe(watched.page)
    assert not violations, describe(violations)


# ----------------------------------------------------------------------------------------------------------
# Keyboard first


@pytest.mark.parametrize("path", [p for _, p in PAGES], ids=PAGE_IDS)
def test_first_tab_reaches_the_skip_link_which_moves_focus_to_main(
    open_page: Callable[..., WatchedPage], path: str
) -> None:
    watched = open_page()
    watched.goto(resolve(watched.site, path))
    page = watched.page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        """() => { const el = document.activeElement, r = el.getBoundingClientRect(), s = getComputedStyle(el);
                  return {cls: el.className, href: el.getAttribute('href'), text: el.textContent.trim(),
                          top: r.top, bottom: r.bottom, outline: s.outlineStyle, shadow: s.boxShadow}; }"""
    )
    assert focused["cls"] == "skip-link" and focused["href"] == "#main-content", focused
    assert focused["text"] == "跳到主要内容"
    assert focused["top"] >= 0 and focused["bottom"] > focused["top"], "the focused skip link must be on screen"
    assert focused["outline"] != "none" or focused["shadow"] != "none", "focus must be visible"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # and the next Tab goes on inside the main content, not back to the navigation
    page.keyboard.press("Tab")
    assert page.evaluate("!!document.activeElement.closest('main')") or page.evaluate(
        "!document.querySelector('main a, main button, main input, main [tabindex=\"0\"]')"
    )


# ----------------------------------------------------------------------------------------------------------
# Phones: 390 px wide, tap targets of 44 px; tables scroll inside their own focusable container


@pytest.mark.parametrize("path", [p for _, p in PAGES], ids=PAGE_IDS)
def test_fits_a_390px_phone(open_page: Callable[..., WatchedPage], path: str) -> None:
    watched = open_page(**PHONE)
    watched.goto(resolve(watched.site, path))
    page = watched.page
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert small_targets(page, 44) == []
    # every table that is wider than the screen scrolls inside a focusable, named region
    escaping = page.evaluate(
        """() => Array.from(document.querySelectorAll('table')).filter(t => {
              const wrap = t.closest('.table-wrap');
              return !wrap || wrap.tabIndex !== 0 || !wrap.getAttribute('aria-label')
                     || getComputedStyle(wrap).overflowX !== 'auto';
           }).map(t => (t.caption || {}).textContent || t.outerHTML.slice(0, 60))"""
    )
    assert escaping == []


# ----------------------------------------------------------------------------------------------------------
# 适老化: large text (≥ 18 px, line height ≥ 1.5, tap targets ≥ 60 px), high contrast, remembered


@pytest.mark.parametrize("width", [1280, PHONE["width"]], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", [p for _, p in PAGES], ids=PAGE_IDS)
def test_large_text_mode(open_page: Callable[..., WatchedPage], path: str, width: int) -> None:
    watched = open_page(width=width, height=900)
    watched.goto(resolve(watched.site, path))
    page = watched.page
    choose_mode(watched, "大字模式")
    sizes = text_sizes(page)
    assert sizes
    too_small = [s for s in sizes if s["size"] < 18]
    assert too_small == [], too_small[:10]
    cramped = [
        s
        for s in sizes
        if s["tag"] in ("p", "li", "td", "th", "dd", "dt", "caption", "blockquote")
        and s["line"] < 1.5 * s["size"] - 0.01
    ]
    assert cramped == [], cramped[:10]
    assert small_targets(page, 60) == []
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


def test_display_modes_are_remembered_across_pages(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    page = watched.page
    watched.goto("")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    choose_mode(watched, "大字模式")
    choose_mode(watched, "高对比度")
    page.get_by_role("navigation", name="政府信息公开栏目导航").get_by_role("link", name="法定主动公开内容").click()
    page.wait_for_load_state()
    assert page.url.endswith("/catalog/")
    state = page.evaluate(
        """() => ({text: document.documentElement.dataset.text, contrast: document.documentElement.dataset.contrast,
                   size: getComputedStyle(document.body).fontSize, bg: getComputedStyle(document.body).backgroundColor})"""
    )
    assert state == {"text": "large", "contrast": "high", "size": "21px", "bg": "rgb(0, 0, 0)"}
    for label in ("大字模式", "高对比度"):
        assert page.get_by_role("button", name=label).get_attribute("aria-pressed") == "true"
    # turned off again, and that is remembered too
    page.get_by_role("button", name="大字模式").click()
    assert page.get_by_role("button", name="大字模式").get_attribute("aria-pressed") == "false"
    watched.goto("guide/")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    assert watched.console_errors == []


def test_remembered_mode_applies_before_the_first_paint(open_page: Callable[..., WatchedPage]) -> None:
    """site.js runs in <head> (not deferred): the stored mode is on <html> before <body> exists."""
    watched = open_page()
    watched.page.add_init_script("localStorage.setItem('a11y-text', 'large')")
    watched.page.add_init_script(
        """document.addEventListener('readystatechange', () => {
               if (!window.__modeAtBody) window.__modeAtBody = document.documentElement.dataset.text || 'none'; },
           {once: true});
           new MutationObserver((_, observer) => { if (document.body) {
               window.__modeAtBody = document.documentElement.dataset.text || 'none'; observer.disconnect(); } })
             .observe(document, {childList: true, subtree: true});"""
    )
    watched.goto("")
    assert watched.page.evaluate("window.__modeAtBody") == "large"


def test_display_modes_work_without_javascript(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page(javascript=False)
    page = watched.page
    watched.goto("policies/dibao-shenhe-queren-banfa/")
    modes = page.get_by_role("region", name="适老化阅读设置")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    assert not modes.get_by_role("link", name="恢复标准显示").is_visible()
    modes.get_by_role("link", name="大字模式").click()
    assert page.url.endswith("#large-text")
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "21px"
    body = page.locator("#article-body p").first
    assert float(body.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")) >= 18
    assert small_targets(page, 60) == []
    modes.get_by_role("link", name="高对比度").click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    modes.get_by_role("link", name="恢复标准显示").click()
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "16px"
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    # the read-aloud box needs JavaScript and stays hidden without it
    assert not page.locator("[data-read-aloud]").is_visible()


def test_system_high_contrast_preference_is_followed_and_can_be_turned_off(
    open_page: Callable[..., WatchedPage],
) -> None:
    watched = open_page(contrast="more")
    page = watched.page
    watched.goto("")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(0, 0, 0)"
    button = page.get_by_role("button", name="高对比度")
    assert button.get_attribute("aria-pressed") == "true"
    button.click()
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    assert run_axe(page) == []


def test_forced_colors_keep_controls_and_focus_visible(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page(forced_colors="active")
    page = watched.page
    watched.goto("catalog/")
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    borders = page.evaluate(
        "Array.from(document.querySelectorAll('.display-modes button')).map(b => getComputedStyle(b).borderTopStyle)"
    )
    assert borders and set(borders) == {"solid"}


# ----------------------------------------------------------------------------------------------------------
# 语音朗读 on article pages


FAKE_SPEECH = """
(() => {
  window.__spoken = [];
  const synth = {
    speaking: false, paused: false, pending: false, _current: null,
    getVoices: () => [{name: 'zh', lang: 'zh-CN', default: true, localService: true, voiceURI: 'zh'}],
    speak(u) { window.__spoken.push(u.text); this._current = u; this.speaking = true;
               setTimeout(() => { if (this._current === u) { this._current = null; this.speaking = false;
                                   u.onend && u.onend({}); } }, 20); },
    cancel() { const u = this._current; this._current = null; this.speaking = false;
               if (u && u.onerror) u.onerror({error: 'interrupted'}); },
    pause() {}, resume() {},
    addEventListener() {}, removeEventListener() {},
  };
  window.SpeechSynthesisUtterance = function (text) { this.text = text; this.lang = ''; this.voice = null; };
  Object.defineProperty(window, 'speechSynthesis', {value: synth, configurable: true});
})();
"""


@pytest.mark.parametrize("path", [p for _, p in ARTICLE_PAGES], ids=[n for n, _ in ARTICLE_PAGES])
def test_read_aloud_reads_the_title_and_main_text(open_page: Callable[..., WatchedPage], path: str) -> None:
    watched = open_page()
    page = watched.page
    page.add_init_script(FAKE_SPEECH)
    watched.goto(resolve(watched.site, path))
    box = page.get_by_role("group", name="语音朗读")
    assert box.is_visible()
    box.get_by_role("button", name="朗读全文").click()
    wait_for(page, "document.querySelector('.read-aloud-status').textContent === '朗读完毕'")
    spoken = "".join(page.evaluate("window.__spoken"))
    title = page.locator("main h1").inner_text()
    assert spoken.startswith(title)
    main_text = page.evaluate(
        "(document.querySelector('[data-read-aloud-target]') || document.getElementById('article-body')).innerText"
    )
    first_line = next(line.strip() for line in main_text.splitlines() if line.strip())
    assert first_line.replace(" ", "")[:15] in spoken.replace(" ", "")
    assert max(len(t) for t in page.evaluate("window.__spoken")) <= 120
    assert watched.console_errors == []


def test_read_aloud_pause_resume_and_stop(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    page = watched.page
    page.add_init_script(FAKE_SPEECH.replace("}, 20); }", "}, 400); }"))  # slow speech, to pause mid-way
    watched.goto("policies/dibao-shenhe-queren-banfa/")
    box = page.get_by_role("group", name="语音朗读")
    box.get_by_role("button", name="朗读全文").click()
    wait_for(page, "window.__spoken.length >= 1")
    box.get_by_role("button", name="暂停").click()
    assert box.get_by_role("status").inner_text() == "已暂停"
    assert page.evaluate("document.activeElement.textContent") == "继续朗读"  # focus follows the control
    spoken_before = page.evaluate("window.__spoken.length")
    page.wait_for_timeout(500)
    assert page.evaluate("window.__spoken.length") == spoken_before  # paused: nothing more is said
    box.get_by_role("button", name="继续朗读").click()
    wait_for(page, f"window.__spoken.length > {spoken_before}")
    resumed = page.evaluate("window.__spoken")
    assert resumed[-1] == resumed[spoken_before - 1]  # the interrupted sentence starts again
    box.get_by_role("button", name="停止").click()
    assert box.get_by_role("status").inner_text() == "已停止"
    assert box.get_by_role("button", name="朗读全文").is_visible()


def test_read_aloud_is_hidden_without_speech_synthesis(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    watched.page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    watched.goto("policies/dibao-shenhe-queren-banfa/")
    assert watched.page.locator("[data-read-aloud]").count() == 1
    assert not watched.page.locator("[data-read-aloud]").is_visible()
    assert watched.console_errors == []


def test_read_aloud_is_offered_only_on_article_pages(open_page: Callable[..., WatchedPage]) -> None:
    watched = open_page()
    watched.page.add_init_script(FAKE_SPEECH)
    for path in ("", "catalog/", "guide/"):
        watched.goto(path)
        assert watched.page.locator("[data-read-aloud]").count() == 0, path


# ----------------------------------------------------------------------------------------------------------
# Print: black on white, no navigation, the full address of each link


@pytest.mark.parametrize("mode", ["standard", "large-high-contrast"])
def test_print_is_black_on_white_without_navigation_and_shows_link_addresses(
    open_page: Callable[..., WatchedPage], mode: str
) -> None:
    watched = open_page()
    page = watched.page
    watched.goto("policies/dibao-shenhe-queren-banfa/")
    if mode != "standard":
        choose_mode(watched, "大字模式")
        choose_mode(watched, "高对比度")
    page.emulate_media(media="print")
    printed = page.evaluate(
        """() => {
            const shown = sel => Array.from(document.querySelectorAll(sel)).some(el => el.getClientRects().length);
            const link = document.querySelector('.attachments a');
            return {
                hidden: ['.skip-link', '.display-modes', '.main-nav', '.breadcrumbs', '.read-aloud', '.footer-links']
                        .filter(shown),
                body: [getComputedStyle(document.body).color, getComputedStyle(document.body).backgroundColor],
                h1: getComputedStyle(document.querySelector('h1')).color,
                after: getComputedStyle(link, '::after').content,
                href: link.getAttribute('href'),
                pageUrl: document.querySelector('.print-only').innerText,
            };
        }"""
    )
    assert printed["hidden"] == []
    assert printed["body"] == ["rgb(0, 0, 0)", "rgb(255, 255, 255)"]
    assert printed["h1"] == "rgb(0, 0, 0)"
    assert printed["href"].startswith("../../files/")
    assert printed["after"].startswith(f'"（{SITE_ORIGIN}files/')
    assert printed["pageUrl"] == f"本页网址：{SITE_ORIGIN}policies/dibao-shenhe-queren-banfa/"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_print_hides_the_navigation_inside_main(open_page: Callable[..., WatchedPage]) -> None:
    """Pagination, catalog facets and a roster's index of streets are <nav> in <main>: not printed
    (so the builder gives their links no print address). The rule covers every <nav> in <main>,
    including one a future template adds without any of their classes."""
    watched = open_page()
    page = watched.page
    for path in ("catalog/", "rosters/2026-11-中心区-城市低保/page-2/"):
        watched.goto(path)
        page.evaluate(
            "() => { const n = document.createElement('nav'); n.innerHTML = '<a href=\"../\">新导航</a>';"
            " document.querySelector('main').append(n); }"
        )
        page.emulate_media(media="screen")
        assert page.locator("main nav").count() > 0 and page.locator("main nav").first.is_visible(), path
        page.emulate_media(media="print")
        shown = page.evaluate(
            "() => Array.from(document.querySelectorAll('main nav')).filter(n => n.getClientRects().length).length"
        )
        assert shown == 0, path


def test_print_urls_resolve_relative_and_keep_external_links(sample_site: ServedSite) -> None:
    from bs4 import BeautifulSoup

    guide = BeautifulSoup((sample_site.root / "guide" / "index.html").read_text(encoding="utf-8"), "html.parser")
    links = {a["href"]: a.get("data-print-url") for a in guide.select("main a[href]")}
    assert links["../catalog/"] == f"{SITE_ORIGIN}catalog/"
    assert links["https://www.shifan.example.gov.cn/ysqgk/"] == "https://www.shifan.example.gov.cn/ysqgk/"
    nav = guide.select(".main-nav a[data-print-url]")
    assert nav == []  # navigation is not printed, and gets no print address
    not_found = BeautifulSoup((sample_site.root / "404.html").read_text(encoding="utf-8"), "html.parser")
    assert {a["data-print-url"] for a in not_found.select("main a")} >= {SITE_ORIGIN, f"{SITE_ORIGIN}catalog/"}
    assert not_found.select(".print-only") == []
