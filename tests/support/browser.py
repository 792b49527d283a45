"""Shared browser support for the journeys: Debian's Chromium driven by Playwright against the app as users run it.

- `served` (session): gunicorn + task worker with the static files and the settings profile of `make run`
  (tests/support/served.py); `app` (per test): the same, with an empty mailbox and cache and a test database
  flushed after the test.
- `browser` (module fixture): one headless Chromium per test module; skipped with a clear message when
  /usr/bin/chromium is absent (`make test` installs it with bin/install-system).
- `Journey`: opens contexts (one per person), logs a user in without the e-mail step when a journey is not
  about login, and at every step: asserts the DSFR stylesheet applies (Marianne, header layout) and the
  console shows no error and no CSP violation since the previous step, takes a screenshot under
  test-artefacts/journeys/<journey>/NN-step.png, compares the viewport with its reference image
  (tests/support/visual.py) and runs axe-core (violations of impact "serious" or "critical" fail the test).
- `Actor`: the same journey code driven by the mouse or by the keyboard only (Tab / Shift+Tab / Enter /
  Space / arrows): in keyboard mode a locator only says *which* element to reach; the element is reached
  with Tab and must show a visible focus.

axe is evaluated through the DevTools protocol (`page.evaluate` of node_modules/axe-core/axe.min.js), so the
application's CSP stays on during the journeys (an inline <script> tag would be refused by it, as it must).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from .page_checks import CSP_DETAILS, Console, assert_styled, settle

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTEFACTS = ROOT / "test-artefacts" / "journeys"
BLOCKING_IMPACTS = ("serious", "critical")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is absent (make test installs it with bin/install-system): journey not run")
    from playwright.sync_api import sync_playwright

    # The sync Playwright API runs an event loop in this thread; the ORM calls of the test body are safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def served(django_db_setup):
    """The app as `make run` serves it, on the test database, for the whole session."""
    from .served import served_app

    with served_app("demo") as app:
        yield app


@pytest.fixture
def app(request, served, transactional_db, settings):
    """The served app for one test: empty mailbox and cache; e-mails sent by the test process go to the same
    SMTP server as the worker's."""
    import factory.random
    from django.core.cache import cache

    factory.random.reseed_random(request.node.nodeid)  # the same names on every run: stable reference images
    served.ensure_worker()
    served.check_alive()
    served.mailbox.messages.clear()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_USE_TLS = "127.0.0.1", served.smtp.port, False
    settings.SITE_URL = served.url
    cache.clear()
    yield served
    served.settle()  # before the test database is emptied
    cache.clear()


# --- axe-core -----------------------------------------------------------------------------------------


def axe_available() -> bool:
    return AXE.exists()


def axe_violations(page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in BLOCKING_IMPACTS]


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} serious/critical violation(s) on {url}"]
    for v in violations:
        lines.append(f"  [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"      - {target}: {summary[:300]}")
            lines.append(f"        {node['html'][:200]}")
    return "\n".join(lines)


# --- journey --------------------------------------------------------------------------------------------


def slug(text: str) -> str:
    import unicodedata

    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60]


class Journey:
    """A journey's pages, screenshots, visual references and accessibility checks."""

    def __init__(self, name: str, browser, base_url: str, *, axe: bool = True, visual: bool = True, **context):
        from .visual import VisualCheck

        self.name, self.browser, self.base_url = name, browser, base_url
        self.folder = ARTEFACTS / name
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.count = 0
        self.axe = axe and axe_available()
        self.visual = VisualCheck(name) if visual else None
        self.context_options = context
        self.contexts: list = []
        self.axe_checked: list[str] = []
        self.consoles: dict = {}

    def new_page(self, *, width: int = 1280, height: int = 900):
        options = {"locale": "fr-FR", "timezone_id": "Europe/Paris", **self.context_options}
        context = self.browser.new_context(viewport={"width": width, "height": height}, **options)
        context.set_default_timeout(10_000)
        self.contexts.append(context)
        context.add_init_script(CSP_DETAILS)
        page = context.new_page()
        self.consoles[page] = Console(page)
        return page

    def url(self, path: str) -> str:
        return self.base_url + path

    def login_as(self, page, user) -> None:
        """A logged-in session without the e-mail step (journeys 1 and 4 go through the real login)."""
        from django.conf import settings
        from django.test import Client

        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": self.base_url}])

    def step(self, page, label: str, *, axe: bool = True) -> None:
        """Check the page (styles, console), screenshot it, compare it with its reference, run axe-core."""
        self.count += 1
        name = f"{self.count:02d}-{slug(label)}"
        settle(page)
        assert_styled(page)
        errors = self.consoles[page].take()
        assert not errors, f"browser console at step {name} ({page.url}):\n" + "\n".join(errors)
        page.screenshot(path=str(self.folder / f"{name}.png"), full_page=True)
        if self.visual:
            self.visual.check(page, name)
        if axe and self.axe:
            violations = axe_violations(page)
            self.axe_checked.append(page.url)
            assert not violations, format_violations(page.url, violations)

    def close(self) -> None:
        for page, console in self.consoles.items():
            errors = console.take()
            assert not errors, f"browser console after the last step ({page.url}):\n" + "\n".join(errors)
        for context in self.contexts:
            context.close()


@pytest.fixture
def journey(request, browser, app):
    """`journey(name)` returns a Journey on the served app; its browser contexts are closed at the end."""
    made: list[Journey] = []
    if not axe_available():
        print(f"axe-core absent ({AXE}): run `npm ci` (make test does); accessibility checks skipped.")

    def make(name: str, **options) -> Journey:
        j = Journey(name, browser, app.url, **options)
        made.append(j)
        return j

    yield make
    for j in made:
        j.close()


# --- mouse or keyboard ------------------------------------------------------------------------------------

_FOCUS_VISIBLE = """el => {
  if (!el.matches(':focus-visible')) return 'no :focus-visible';
  if (el.type === 'checkbox' || el.type === 'radio') return '';
  const s = getComputedStyle(el);
  const outlined = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
  return outlined || (s.boxShadow && s.boxShadow !== 'none') ? '' : 'no visible outline';
}"""
_FORWARD = """el => {
  const a = document.activeElement;
  if (!a || a === document.body) return true;
  return !!(a.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING) || a.contains(el);
}"""


class Actor:
    """One person in a journey. `keyboard=True`: no mouse at all, every control reached with Tab."""

    MAX_TABS = 400

    def __init__(self, page, *, keyboard: bool = False):
        self.page, self.keyboard = page, keyboard
        self.tabs = 0

    # reaching an element
    def focus(self, locator) -> None:
        locator.wait_for(state="attached")
        handle = locator.element_handle()
        page = self.page
        for _ in range(self.MAX_TABS):
            if page.evaluate("el => document.activeElement === el", handle):
                problem = page.evaluate(_FOCUS_VISIBLE, handle)
                assert not problem, f"focus not visible on {locator}: {problem}"
                return
            page.keyboard.press("Tab" if page.evaluate(_FORWARD, handle) else "Shift+Tab")
            self.tabs += 1
        raise AssertionError(f"{locator} cannot be reached with the Tab key")

    def _focus_group(self, radio) -> None:
        """Tab stops once per radio group: reach the group, then move with the arrow keys."""
        page = self.page
        handle = radio.element_handle()
        name = radio.get_attribute("name")
        for _ in range(self.MAX_TABS):
            if page.evaluate("n => document.activeElement && document.activeElement.name === n", name):
                break
            page.keyboard.press("Tab" if page.evaluate(_FORWARD, handle) else "Shift+Tab")
            self.tabs += 1
        for _ in range(30):
            if page.evaluate("el => document.activeElement === el", handle):
                break
            page.keyboard.press("ArrowDown" if page.evaluate(_FORWARD, handle) else "ArrowUp")
        assert page.evaluate("el => document.activeElement === el", handle), f"{radio} not reached"

    # actions
    def click(self, locator) -> None:
        if not self.keyboard:
            locator.click()
            return
        self.focus(locator)
        self.page.keyboard.press("Enter")

    def submit_after_autosave(self, locator) -> None:
        """Move the focus to the submit button (the last field's `change` fires its autosave), let htmx finish
        (the delayed keyup trigger is 800 ms), then submit. Without the wait, an autosave that reaches the
        server after « Valider » puts the validated section back to « brouillon » (reported to dossiers)."""
        if self.keyboard:
            self.focus(locator)
        else:
            locator.focus()
        self.page.wait_for_timeout(900)
        self.page.wait_for_function("() => !document.querySelector('.htmx-request')")
        if self.keyboard:
            self.page.keyboard.press("Enter")
        else:
            locator.click()

    def fill(self, locator, value: str) -> None:
        if not self.keyboard:
            locator.fill(value)
            return
        self.focus(locator)
        if locator.get_attribute("type") == "date":
            self._type_date(locator, value)
            return
        self.page.keyboard.press("ControlOrMeta+a")
        self.page.keyboard.press("Delete")
        self.page.keyboard.type(value)

    def _type_date(self, locator, value: str) -> None:
        """A date field is typed segment by segment, in the browser's order (jj/mm/aaaa or mm/dd/yyyy)."""
        year, month, day = value.split("-")
        self.page.keyboard.type(day + month + year)
        if locator.input_value() != value:
            for _ in range(2):
                self.page.keyboard.press("Shift+Tab")  # back to the first segment of the same field
            self.page.keyboard.type(month + day + year)
        assert locator.input_value() == value, f"date typed into {locator}: {locator.input_value()!r}"

    def check(self, locator) -> None:
        if not self.keyboard:
            locator.check(force=True)  # DSFR draws the box on the label; the input stays the real control
            return
        if locator.get_attribute("type") == "radio":
            self._focus_group(locator)
            if not locator.is_checked():
                self.page.keyboard.press("Space")
        else:
            self.focus(locator)
            if not locator.is_checked():
                self.page.keyboard.press("Space")
        assert locator.is_checked(), f"{locator} not checked"

    def select(self, locator, label: str) -> None:
        if not self.keyboard:
            locator.select_option(label=label)
            return
        self.focus(locator)
        for key in ("Home", *["ArrowDown"] * 80):
            if locator.evaluate("el => el.selectedIndex >= 0 && el.options[el.selectedIndex].text.trim()") == label:
                return
            self.page.keyboard.press(key)
        raise AssertionError(f"option {label!r} not reached with the arrow keys in {locator}")

    def fill_form(self, form, data: dict) -> None:
        """Fill a Django form from POST-like data: text, textarea, select, radio, checkboxes."""
        for name, value in data.items():
            field = form.locator(f'[name="{name}"]')
            first = field.first
            tag = first.evaluate("el => el.tagName.toLowerCase()")
            kind = first.get_attribute("type") or ""
            if tag == "select":
                option = first.locator(f'option[value="{value}"]').inner_text().strip()
                self.select(first, option)
            elif kind == "radio":
                self.check(form.locator(f'[name="{name}"][value="{value}"]'))
            elif kind == "checkbox":
                values = value if isinstance(value, list) else [value]
                for v in values:
                    box = form.locator(f'[name="{name}"][value="{v}"]') if v != "on" else first
                    self.check(box)
            else:
                self.fill(first, str(value))
