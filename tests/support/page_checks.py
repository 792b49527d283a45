"""What every journey step checks in the page, besides axe-core and the reference image: the DSFR stylesheet
applies (Marianne, header layout) and the browser console shows no error, no CSP violation, no failed request."""

from __future__ import annotations

STYLE_APPLIED = """() => {
  const header = document.querySelector('.fr-header__body-row');
  return {
    font: getComputedStyle(document.body).fontFamily,
    header: header ? getComputedStyle(header).display : 'no .fr-header__body-row',
    sheets: [...document.styleSheets].filter(s => s.href).length,
  };
}"""


# Chrome's console line for a CSP violation says little; the event says which directive (style-src-attr or
# -elem), where, and what (the sample when the policy asks for it).
CSP_DETAILS = """document.addEventListener('securitypolicyviolation', e => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} from ${e.sourceFile}:${e.lineNumber}:` +
  `${e.columnNumber} on ${document.location.pathname} sample=${JSON.stringify(e.sample)} styled=` +
  JSON.stringify([...document.querySelectorAll('[style]')].slice(0, 3).map(el => el.outerHTML.slice(0, 200)))))"""


# Known and tolerated: now and then (≈ 3 runs in 10) the DSFR header script copies the header's tool links into the
# mobile menu (`HeaderLinks.init`: `menuLinks.innerHTML = …`) at a moment when one of them carries a `style`
# attribute, and the browser blocks that attribute in the copy (style-src-attr). Nothing visible changes (the
# reference images pass), and allowing inline style attributes would weaken the CSP for every page, so the policy
# stays strict and this one violation — directive style-src-attr, raised from the DSFR module — is recorded in
# `Console.tolerated` (printed) instead of failing the step. `'report-sample'` in style-src makes the blocked
# declaration show in the message, to find what sets it. Any other violation fails. See docs/security.md.
def dsfr_header_copy(text: str, url: str) -> bool:
    from_dsfr = "/dsfr/dist/dsfr/dsfr.module" in text or "/dsfr/dist/dsfr/dsfr.module" in url
    style_attr = "style-src-attr" in text or text.startswith("Applying inline style violates")
    return from_dsfr and style_attr


class Console:
    """Errors of one page (console errors, CSP violations, failed requests, uncaught exceptions)."""

    def __init__(self, page):
        self.errors: list[str] = []
        self.tolerated: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("requestfailed", self._failed)

    def _failed(self, request) -> None:
        if request.failure == "net::ERR_ABORTED":  # cancelled by the next navigation (e.g. the DSFR's artwork)
            return
        self.errors.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type != "error":
            return
        url = message.location.get("url", "")
        # A page served with an error status on purpose (« Carte non reconnue » is a 403) is not an error.
        if message.text.startswith("Failed to load resource") and "/static/" not in url:
            return
        where = message.location
        if dsfr_header_copy(message.text, url):
            self.tolerated.append(message.text)
            print(f"tolerated (DSFR header copy, see page_checks.py): {message.text[:300]}")
            return
        self.errors.append(f"{message.text} ({url}:{where.get('lineNumber')}:{where.get('columnNumber')})")

    def take(self) -> list[str]:
        errors, self.errors = self.errors, []
        return errors


def settle(page) -> None:
    """Wait for the page a click or a key press may still be navigating to."""
    from playwright.sync_api import Error

    for _ in range(3):
        page.wait_for_load_state("load")
        try:
            page.evaluate("() => document.readyState")
            return
        except Error as error:  # "Execution context was destroyed": the navigation was not over
            if "context was destroyed" not in str(error):
                raise


def assert_styled(page) -> None:
    style = page.evaluate(STYLE_APPLIED)
    assert "Marianne" in style["font"], f"DSFR stylesheet not applied on {page.url}: body font {style['font']!r}"
    assert style["header"] == "flex", f"DSFR header layout missing on {page.url}: {style['header']!r}"
