"""The one CSP violation the browser journeys tolerate is narrow: a style attribute blocked in the DSFR header copy."""

from tests.support.page_checks import dsfr_header_copy

DSFR = "http://127.0.0.1:8000/static/dsfr/dist/dsfr/dsfr.module.min.24ff0285c74f.js"


def test_the_dsfr_header_copy_violation_is_tolerated():
    assert dsfr_header_copy(f"CSP violation: style-src-attr blocked inline from {DSFR}:2:104348 on /demandes/", "")
    assert dsfr_header_copy("Applying inline style violates the following Content Security Policy directive", DSFR)


def test_every_other_violation_still_fails():
    other = "http://127.0.0.1:8000/static/trajectoire/trajectoire.js"
    assert not dsfr_header_copy(f"CSP violation: style-src-attr blocked inline from {other}:1:1 on /", "")
    assert not dsfr_header_copy("Applying inline style violates the following Content Security Policy", other)
    assert not dsfr_header_copy(f"CSP violation: script-src-elem blocked inline from {DSFR}:2:1 on /", "")
    assert not dsfr_header_copy("Refused to execute inline script because it violates the following CSP", DSFR)
    assert not dsfr_header_copy("Uncaught TypeError: x is undefined", DSFR)
