"""The console bench's browser side: headless Chromium on the built console, each figure timed inside the page.

A figure runs from an action (the sign-in button clicked, the case's address set, a message sent) to the frame
after the DOM first holds what the person waits for: a MutationObserver sees it, then one animation frame and a
task later the frame that shows it has been painted. Times in the page are performance.now(); a message sent from
Python is compared on the epoch clock (performance.timeOrigin + now), the same machine's.
"""

from __future__ import annotations

import gzip
import re
import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlsplit

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
VIEWPORT = {"width": 1440, "height": 900}
WAIT_MS = 60_000

# window.__paintedWhen(check): resolves with performance.now() once check() holds and the frame showing it painted.
PAINTED_WHEN = """
window.__paintedWhen = (check, timeoutMs) => new Promise((resolve, reject) => {
  const painted = () => requestAnimationFrame(() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve(performance.now());
    channel.port2.postMessage(null);
  });
  if (check()) return painted();
  const timer = setTimeout(() => { observer.disconnect(); reject(new Error('not painted in time')); }, timeoutMs);
  const observer = new MutationObserver(() => {
    if (check()) { observer.disconnect(); clearTimeout(timer); painted(); }
  });
  observer.observe(document, {subtree: true, childList: true, characterData: true});
});
// the API calls made since `since` (performance.now()), each [path, duration ms], in order
window.__apiSince = (since) => performance.getEntriesByType('resource')
  .filter(e => e.startTime >= since && !new URL(e.name).pathname.startsWith('/console/'))
  .map(e => [new URL(e.name).pathname, Math.round(e.duration)]);
"""


@contextmanager
def chromium() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser: Any) -> tuple[Any, Any]:
    """A fresh context (empty cache and sessionStorage) with the timing helper installed in every document."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-GB")
    context.add_init_script(PAINTED_WHEN)
    context.set_default_timeout(WAIT_MS)
    return context, context.new_page()


def sign_in_to_rows_ms(browser: Any, console_url: str, route: str, who: tuple[str, str]) -> dict[str, Any]:
    """From the click on "Sign in" to the first inbox row painted, landing on `route` (the address the agent
    opened before signing in); with the API calls made meanwhile."""
    context, page = new_page(browser)
    try:
        page.goto(console_url + route)
        page.get_by_label("Username").fill(who[0])
        page.get_by_label("Password").fill(who[1])
        return page.evaluate(
            """async wait => {
                const painted = window.__paintedWhen(() => document.querySelector('table.cases tbody tr'), wait);
                const started = performance.now();
                document.querySelector('form button[type=submit]').click();
                const ms = (await painted) - started;
                return {ms, api: window.__apiSince(started)};
            }""",
            WAIT_MS,
        )
    finally:
        context.close()


def signed_in_page(browser: Any, console_url: str, route: str, who: tuple[str, str]) -> tuple[Any, Any]:
    context, page = new_page(browser)
    page.goto(console_url + route)
    page.get_by_label("Username").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    page.locator("table.cases tbody tr").first.wait_for()
    return context, page


def open_case_ms(page: Any, inbox_route: str, case_route: str, last_text: str) -> dict[str, Any]:
    """From setting the case's address (the inbox on screen) to its thread's last message painted."""
    page.evaluate("route => { location.hash = route }", inbox_route)
    page.locator("table.cases tbody tr").first.wait_for()
    return page.evaluate(
        """async ([route, last, wait]) => {
            const painted = window.__paintedWhen(() => {
                const items = document.querySelectorAll('ol.thread > li');
                return items.length > 0 && items[items.length - 1].textContent.includes(last);
            }, wait);
            const started = performance.now();
            location.hash = route;
            const ms = (await painted) - started;
            return {ms, api: window.__apiSince(started)};
        }""",
        [case_route, last_text, WAIT_MS],
    )


def live_row_ms(page: Any, send: Callable[[str], float], text: str) -> float:
    """From a customer's message leaving (send(text) returns the epoch ms just before it left) to its new row
    painted in the open inbox, with no reload."""
    page.evaluate(
        """([text, wait]) => {
            window.__document = window.__document || Math.random();
            const rows = () => document.querySelectorAll('table.cases a.subject-link');
            window.__seen = window.__paintedWhen(() => [...rows()].some(a => a.textContent === text), wait)
                .then(t => performance.timeOrigin + t);
        }""",
        [text, WAIT_MS],
    )
    document = page.evaluate("() => window.__document")
    sent_at = send(text)
    seen_at = page.evaluate("() => window.__seen")
    assert page.evaluate("() => window.__document") == document, "the page was loaded again"
    return seen_at - sent_at


def first_load(browser: Any, console_url: str) -> dict[str, Any]:
    """What Chromium fetched to show the sign-in screen: per file its bytes, gzip -9 bytes, and what went over the
    wire (headers and body, as Chromium counted them)."""
    context, page = new_page(browser)
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    try:
        page.goto(console_url, wait_until="networkidle")
        page.get_by_label("Username").wait_for()
        files = []
        for response in responses:
            body = response.body()
            sizes = response.request.sizes()
            files.append(
                {
                    "path": urlsplit(response.url).path,
                    "status": response.status,
                    "content_type": response.headers.get("content-type", ""),
                    "bytes": len(body),
                    "gzip9_bytes": len(gzip.compress(body, compresslevel=9)),
                    "transferred_bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"],
                    "content_encoding": response.headers.get("content-encoding"),
                }
            )
        index = next(f for f in files if f["path"].endswith("/console/"))
        html = next(r for r in responses if urlsplit(r.url).path.endswith("/console/")).text()
        referenced = sorted(set(re.findall(r'(?:src|href)="(/console/[^"]+\.(?:js|css))"', html)))
        core = [index, *[f for f in files if f["path"] in referenced]]
        return {
            "files": files,
            "referenced": referenced,
            "gzip9_bytes": sum(f["gzip9_bytes"] for f in core),  # index.html + the JS/CSS it references
            "bytes": sum(f["bytes"] for f in core),
            "all_gzip9_bytes": sum(f["gzip9_bytes"] for f in files),  # with the favicon
            "transferred_bytes": sum(f["transferred_bytes"] for f in files),
        }
    finally:
        context.close()
