"""Static files storage: hashed names and compression (whitenoise), vendored DSFR files served byte for byte.

django-dsfr's templates load `dsfr.min.css`, `utility.min.css` and the DSFR scripts with subresource integrity
(`integrity="sha384-…"`, `dsfr/checksums.py`): the hashes of the files published by the DSFR. Django's
ManifestStaticFilesStorage rewrites the `url()` references inside every CSS file (fonts, icons) to their hashed
names, so the served file no longer matches the hash and the browser refuses it: every page unstyled (issue 16).

The DSFR files under `dsfr/dist/` are therefore stored unchanged (still under a content-hashed name, still
compressed): their integrity hashes stay meaningful, they are checked by the browser against the files actually
served. Their relative `url()`s resolve to the unhashed copies, which collectstatic keeps beside the hashed ones.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

VENDORED_UNCHANGED = ("dsfr/dist/",)


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Also: each name's URL computed once per process. The manifest does not change while the server runs (a
    deployment restarts it), and every page asks for the same ≈ 15 URLs (DSFR styles, scripts, favicons), each
    ≈ 20 µs of unquoting, manifest lookup and joining (docs/performance.md)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force)
        url = self._urls.get(name)
        if url is None:
            url = self._urls[name] = super().url(name)
        return url

    def url_converter(self, name, hashed_files, template=None):
        if name.startswith(VENDORED_UNCHANGED):
            return lambda matchobj: matchobj.group(0)  # leave the reference as written
        return super().url_converter(name, hashed_files, template)
