"""A real nginx (Debian package) for the tests, run from a configuration of deploy/nginx/ adapted to loopback."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
DEPLOY = Path(__file__).resolve().parents[2] / "deploy" / "nginx"


def adapted(template: str, replacements: dict[str, str]) -> str:
    """The shipped server blocks without comments, each replacement applied (and required to apply)."""
    text = "\n".join(line for line in (DEPLOY / template).read_text().splitlines() if not line.lstrip().startswith("#"))
    for old, new in replacements.items():
        assert old in text, f"{old!r} is no longer in deploy/nginx/{template}: update the test"
        text = text.replace(old, new)
    assert "/etc/nginx" not in text, "a path of the production machine is left in the test configuration"
    return text


@contextmanager
def running_nginx(server_blocks: str, directory: Path, port: int):
    """nginx in the foreground with these server blocks; waits until `port` accepts connections."""
    if NGINX is None:
        pytest.skip("nginx is not installed (make test installs it with bin/install-system)")
    (directory / "tmp").mkdir(parents=True, exist_ok=True)
    (directory / "servers.conf").write_text(server_blocks)
    main = f"""
worker_processes 1;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {directory}/tmp/body;
    proxy_temp_path {directory}/tmp/proxy;
    proxy_max_temp_file_size 0;
    include {directory}/servers.conf;
}}
"""
    (directory / "nginx.conf").write_text(main)
    command = [NGINX, "-p", str(directory), "-e", str(directory / "error.log"), "-c", str(directory / "nginx.conf")]
    command += ["-g", f"daemon off; pid {directory}/nginx.pid;"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)
