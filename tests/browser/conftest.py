"""Browser tests: Playwright drives Debian's Chromium against the app served on loopback."""

from __future__ import annotations

import os
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# Flags for a closed network: no background calls home, no sandbox as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        message = f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{message}: browser tests must run in CI.")
        pytest.skip(f"{message}: browser tests skipped.")
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def live_server(app):
    """The test app on a free loopback port, in a thread, sharing the test database."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


def _new_page(browser, live_server, **options):
    context = browser.new_context(base_url=live_server, **options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, live_server, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


@pytest.fixture
def phone(browser, live_server):
    """A phone-sized page, as a commune officer would use it."""
    context, page = _new_page(
        browser, live_server, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    yield page
    context.close()


def sign_in(page, username: str, password: str) -> None:
    page.goto("/login")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/")


def settled(page) -> None:
    """Wait until htmx has finished swapping and settling what it last fetched.

    New content is wired (hx-* handlers, autofocus) in the settle step, about 20 ms after
    it appears; typing before then can land in a field that is about to take the focus.
    """
    expect(
        page.locator(".htmx-request, .htmx-swapping, .htmx-settling, .htmx-added")
    ).to_have_count(0)
