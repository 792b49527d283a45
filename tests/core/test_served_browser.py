"""The served app (collected static files, production storage, CSP) in Chromium: what django-dsfr's integrity
hashes promise is what is served, and scripts run only with the response's nonce."""

import base64
import hashlib
import re

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_dsfr_files_are_served_as_published_so_their_integrity_hashes_hold(app):
    from dsfr import checksums

    html = httpx.get(app.url + "/connexion/").text
    found = {integrity: url for url, integrity in re.findall(r'(?:href|src)="([^"]+)"\s+integrity="([^"]+)"', html)}
    expected = [checksums.INTEGRITY_CSS, checksums.INTEGRITY_UTILITY_CSS, checksums.INTEGRITY_JS_MODULE]
    assert set(expected) <= set(found), found
    for integrity, url in found.items():
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", url), f"{url}: not a hashed (long-cached) name"
        body = httpx.get(app.url + url).content
        assert f"sha384-{base64.b64encode(hashlib.sha384(body).digest()).decode()}" == integrity, url


def test_scripts_run_only_with_the_nonce_of_the_response(journey):
    j = journey("csp-nonce", visual=False)
    page = j.new_page()
    response = page.goto(j.url("/connexion/"))
    policy = response.headers["content-security-policy"]
    assert "'nonce'" not in policy
    nonce = re.search(r"script-src 'self' 'nonce-([A-Za-z0-9+/=]+)'", policy).group(1)
    assert page.evaluate("() => typeof window.dsfr") != "undefined", "the DSFR scripts ('self') ran"
    own = page.evaluate("() => [...document.scripts].filter(s => s.src.includes('trajectoire/')).map(s => s.nonce)")
    assert own == [nonce], "the application's script carries the response's nonce"
    page.evaluate(
        """nonce => {
          for (const [name, value] of [['avec', nonce], ['sans', ''], ['autre', 'bm9uLXZhbGFibGU=']]) {
            const script = document.createElement('script');
            if (value) script.nonce = value;
            script.textContent = `window.ran_${name} = true;`;
            document.body.append(script);
          }
        }""",
        nonce,
    )
    assert page.evaluate("() => [window.ran_avec, window.ran_sans, window.ran_autre]") == [True, None, None]
    refused = [e for e in j.consoles[page].take() if "Content Security Policy" in e]
    assert len(refused) == 2, refused
    second = page.goto(j.url("/connexion/")).headers["content-security-policy"]
    assert nonce not in second, "a new nonce per response"
