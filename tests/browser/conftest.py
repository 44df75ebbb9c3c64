"""A live server on loopback and Debian's Chromium driven by Playwright; screenshots go to test-artifacts/."""
import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def text(page) -> str:
    """The visible text, with the thin spaces of French numbers made plain."""
    return page.inner_text("body").replace("\u202f", " ").replace("\xa0", " ")


def login(page, base: str, user, password: str = PASSWORD) -> None:
    """Log in through the login page."""
    page.goto(f"{base}/login")
    page.fill("#email", user.email)
    page.fill("#password", password)
    page.click("button[type=submit], input[type=submit]")


@pytest.fixture
def live_server(make_app, database_url):
    """The app (CSRF on, as in production) served on a free loopback port for the test's duration."""
    if not database_url.startswith("sqlite"):
        pytest.skip("the browser journey runs once, on SQLite")
    app = make_app(WTF_CSRF_ENABLED=True, PUBLIC_URL="http://127.0.0.1")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    app.config["PUBLIC_URL"] = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield app.config["PUBLIC_URL"]
    server.shutdown()
    thread.join(5)


@pytest.fixture
def browser():
    """Headless Chromium; skipped with a clear reason where Debian's chromium is not installed."""
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


@pytest.fixture
def shoot():
    """Save a screenshot of a page under test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page, name: str):
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    return take
