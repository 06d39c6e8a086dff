"""Serve the site with live reload: one quick build per change.

Like `mkdocs serve`, with three differences that make a reload take a moment:
- the site is built into a folder that outlives the process (`.cache/instamrkt-docs/serve`
  beside mkdocs.yml), so a second start rebuilds only what changed since the first;
- builds are dirty: a page is rebuilt when its Markdown changed, every page when the
  navigation or the configuration changed (the plugin decides);
- the pages the plugin renders from the specs do not start a build of their own.
The port is checked before anything is built.
"""

from __future__ import annotations

import errno
import logging
import signal
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from instamrkt_docs.errors import UsageError
from instamrkt_docs.site.build import PLUGIN, BuildError

SERVE_DIR = Path(".cache") / "instamrkt-docs" / "serve"
POLL_SECONDS = 0.1  # how often the watched files are looked at
BUILD_DELAY = 0.05  # a build starts once no file changed for this long (MkDocs: 0.1 s)


def parse_address(address: str) -> tuple[str, int]:
    """`HOST:PORT` as (host, port); a usage error when it is not one."""
    host, sep, port = address.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise UsageError(f"{address!r} is not an address: give HOST:PORT, e.g. 127.0.0.1:8000")
    return host.strip("[]"), int(port)


def check_port(host: str, port: int, option: str) -> None:
    """A usage error when nothing can listen on host:port, saying what to do."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} on {host} is in use (another server is running there?): "
                    f"stop it, or pick a free port with {option}"
                ) from exc
            raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from exc


def serve_site(
    config_file: Path = Path("mkdocs.yml"),
    dev_addr: str = "127.0.0.1:8000",
    allow_findings: bool = False,
) -> None:
    """Serve the site with live reload until interrupted; with `allow_findings` specs with
    findings are served all the same (see the plugin's option)."""
    from mkdocs.commands.build import build
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    from instamrkt_docs.site.mkdocs_config import load

    host, port = parse_address(dev_addr)
    site_dir = config_file.resolve().parent / SERVE_DIR
    serve_url = ""

    def get_config() -> Any:
        config = load(config_file, site_dir=str(site_dir), dev_addr=dev_addr)
        plugin = config.plugins.get(PLUGIN)
        if allow_findings and plugin is not None:
            plugin.config.allow_findings = True
        if serve_url:
            config.site_url = serve_url
        return config

    config = get_config()  # a mistake in it stops serve before anything is made
    check_port(host, port, "--dev-addr HOST:PORT")
    site_dir.mkdir(parents=True, exist_ok=True)
    _show_mkdocs_log()
    mount_path = urlsplit(config.site_url or "/").path or "/"
    serve_url = config.site_url = f"http://{host}:{port}{mount_path}"
    config.plugins.on_startup(command="serve", dirty=True)

    def builder(config: Any = None) -> None:
        logging.getLogger("mkdocs").info("Building documentation...")
        build(config or get_config(), serve_url=serve_url, dirty=True)

    server = LiveReloadServer(
        builder=builder,
        host=host,
        port=port,
        root=str(site_dir),
        mount_path=mount_path,
        polling_interval=POLL_SECONDS,
    )
    server.build_delay = BUILD_DELAY

    def error_page(code: int) -> bytes | None:
        page = site_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    signal.signal(signal.SIGTERM, _interrupt)  # a terminated serve shuts down like Ctrl-C
    try:
        try:
            builder(config)
        except (MkDocsException, SystemExit) as exc:
            raise BuildError(f"the site could not be built: {exc}") from exc
        server.watch(config.docs_dir)
        if config.config_file_path:
            server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            logging.getLogger("mkdocs").info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


def _show_mkdocs_log() -> None:
    logger = logging.getLogger("mkdocs")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
