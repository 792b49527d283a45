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


class Console:
    """Errors of one page (console errors, CSP violations, failed requests, uncaught exceptions)."""

    def __init__(self, page):
        self.errors: list[str] = []
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
