"""deploy/gunicorn.conf.py: the worker's long-lived objects are moved out of the collector's reach."""

import gc
import runpy
import threading
from pathlib import Path
from types import SimpleNamespace

CONF = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


def test_worker_freezes_what_it_holds_at_start_and_after_its_first_requests(monkeypatch):
    monkeypatch.setenv("GUNICORN_GC_FREEZE_AFTER", "50")
    conf = runpy.run_path(str(CONF))
    worker = SimpleNamespace()
    try:
        gc.unfreeze()
        conf["post_worker_init"](worker)
        at_start = gc.get_freeze_count()
        assert at_start > 1000  # the test process's modules, as Django's in a worker
        held = [[object()] for _ in range(5000)]  # what the first requests cache (templates, URL patterns…)
        threads = [
            threading.Thread(target=lambda: [conf["post_request"](worker, None, {}, None) for _ in range(10)])
            for _ in range(5)
        ]  # fifty requests on the worker's threads: the fiftieth freezes, once
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert gc.get_freeze_count() > at_start + len(held) // 2  # (a few frozen objects may have been freed)
        frozen = gc.get_freeze_count()
        later = [[object()] for _ in range(5000)]
        conf["post_request"](worker, None, {}, None)  # the 51st: no second freeze (frozen objects may be freed)
        assert gc.get_freeze_count() < frozen + len(later)
    finally:
        gc.unfreeze()
