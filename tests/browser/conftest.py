"""Headless Chromium for the view tests: the system browser (/usr/bin/chromium, or $POLICYKG_CHROMIUM)
driven by Playwright, every request that is not file:// aborted and counted. When Chromium cannot
start the tests FAIL: a view nobody could open is not a passing view."""
import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def launch(playwright):
    """Chromium with a fresh temporary profile (Playwright passes its own --user-data-dir)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.fail(f"playwright is not installed ({exc}); run make install", pytrace=False)
    pw = sync_playwright().start()
    try:
        b = launch(pw)
    except Exception as exc:  # noqa: BLE001 - any launch failure fails the suite, with the reason
        pw.stop()
        pytest.fail(f"headless Chromium ({CHROMIUM}) could not start: {exc}", pytrace=False)
    yield b
    b.close()
    pw.stop()


@dataclass
class OpenedView:
    page: object
    blocked: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)

    def state(self) -> dict:
        return self.page.evaluate("""() => {
            const v = window.policykgView;
            return {nodes: v.nodes.length, edges: v.edges.length, shownNodes: v.nodeView.length,
                    shownEdges: v.edgeView.length, drawnNodes: v.network.body.nodeIndices.length,
                    drawnEdges: v.network.body.edgeIndices.length, readyMs: v.readyMs};
        }""")

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def open_view(browser):
    """open_view(path) -> OpenedView, loaded from file:// and laid out."""
    contexts = []

    def _open(path: Path, timeout_ms: int = 90_000) -> OpenedView:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, device_scale_factor=1)
        contexts.append(ctx)
        opened = OpenedView(page=None)

        def route(r):
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.blocked.append(r.request.url)
                r.abort()

        ctx.route("**/*", route)
        page = ctx.new_page()
        opened.page = page
        page.on("console", lambda m: opened.errors.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(d.message), d.dismiss()))
        page.goto(Path(path).resolve().as_uri())
        page.wait_for_selector("body[data-ready=true]", state="attached", timeout=timeout_ms)
        return opened

    yield _open
    for ctx in contexts:
        ctx.close()
