"""The production static storage: URLs from the manifest, each computed once per process."""

import json

import pytest
from whitenoise.storage import CompressedManifestStaticFilesStorage

from trajectoire.core.staticfiles import StaticFilesStorage


@pytest.fixture
def collected(tmp_path):
    manifest = {"paths": {"trajectoire/trajectoire.js": "trajectoire/trajectoire.0123abcd.js"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return tmp_path


def test_urls_are_the_manifests_and_computed_once(collected, settings):
    settings.DEBUG = False
    storage = StaticFilesStorage(location=collected, base_url="/static/")
    reference = CompressedManifestStaticFilesStorage(location=collected, base_url="/static/")
    url = storage.url("trajectoire/trajectoire.js")
    assert url == reference.url("trajectoire/trajectoire.js") == "/static/trajectoire/trajectoire.0123abcd.js"
    storage.hashed_files.clear()  # a second call does not read the manifest again
    assert storage.url("trajectoire/trajectoire.js") == url


def test_a_name_missing_from_the_manifest_still_fails_every_time(collected, settings):
    settings.DEBUG = False
    storage = StaticFilesStorage(location=collected, base_url="/static/")
    for _ in range(2):
        with pytest.raises(ValueError, match="Missing staticfiles manifest entry"):
            storage.url("absent.css")
