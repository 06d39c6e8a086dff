"""Mutual TLS samples present the reader's client certificate, in every language.

A loopback HTTPS server that refuses any connection without a client certificate signed by
its test authority answers the samples of an operation whose security is `mutualTLS`; each
sample must get through with the `client.crt` and `client.key` files it names."""

from __future__ import annotations

import os
import ssl
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.samples.requests import CLIENT_CERT
from tests.conftest import ROOT
from tests.hostile.test_sample_quoting import model_of
from tests.tools import need


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run([need("openssl"), *args], cwd=cwd, check=True, capture_output=True)


def _certificates(folder: Path) -> None:
    """A test authority, a server certificate for 127.0.0.1 and a client certificate."""
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-ca",
             "-keyout", "ca.key", "-out", "ca.crt", cwd=folder)  # fmt: skip
    for name, extra in (("server", "subjectAltName=IP:127.0.0.1"), ("client", "")):
        _openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}-reader",
                 "-keyout", f"{name}.key", "-out", f"{name}.csr", cwd=folder)  # fmt: skip
        options = ["-extfile", f"{name}.ext"] if extra else []
        if extra:
            (folder / f"{name}.ext").write_text(extra + "\n")
        _openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                 "-CAcreateserial", "-days", "2", "-out", f"{name}.crt", *options, cwd=folder)  # fmt: skip


def _server(folder: Path, seen: list[str]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            subject = dict(pair[0] for pair in self.connection.getpeercert()["subject"])
            seen.append(subject["commonName"])
            data = b'{"client": "' + subject["commonName"].encode() + b'"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "server.crt", folder / "server.key")
    context.load_verify_locations(folder / "ca.crt")
    context.verify_mode = ssl.CERT_REQUIRED  # no client certificate, no connection
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_each_language_presents_the_client_certificate(tmp_path: Path) -> None:
    need("curl")
    need("node")
    _certificates(tmp_path)
    seen: list[str] = []
    server = _server(tmp_path, seen)
    port = server.server_address[1]
    spec = {
        "openapi": "3.1.0",
        "info": {"title": "mtls", "version": "1"},
        "servers": [{"url": f"https://127.0.0.1:{port}"}],
        "components": {"securitySchemes": {"cert": {"type": "mutualTLS"}}},
        "security": [{"cert": []}],
        "paths": {"/whoami": {"get": {"operationId": "whoami", "responses": {"200": {
            "description": "who", "content": {"application/json": {"schema": {
                "type": "object", "properties": {"client": {"type": "string"}}}}}}}}}},
    }  # fmt: skip
    samples = SampleWriter().for_operation(model_of(spec, tmp_path).operations[0])
    work = tmp_path / "reader"
    work.mkdir()
    (work / "node_modules").symlink_to(ROOT / "node_modules")  # `import "undici"`
    (work / CLIENT_CERT[0]).write_bytes((tmp_path / "client.crt").read_bytes())
    (work / CLIENT_CERT[1]).write_bytes((tmp_path / "client.key").read_bytes())
    authority = str(tmp_path / "ca.crt")
    env = {**os.environ, "CURL_CA_BUNDLE": authority, "REQUESTS_CA_BUNDLE": authority,
           "NODE_EXTRA_CA_CERTS": authority}  # fmt: skip
    try:
        for sample in samples:
            suffix = {"shell": "sh", "python": "py", "javascript": "mjs"}[sample.language.key]
            file = work / f"sample.{suffix}"
            file.write_text(sample.code)
            command = {"shell": [need("bash")], "python": [sys.executable],
                       "javascript": [need("node")]}[sample.language.key]  # fmt: skip
            result = subprocess.run(
                [*command, str(file)], cwd=work, env=env, capture_output=True, text=True,
                timeout=60, stdin=subprocess.DEVNULL,
            )  # fmt: skip
            assert result.returncode == 0, f"{sample.code}\n---\n{result.stdout}{result.stderr}"
            assert "client-reader" in result.stdout, sample.language.key
        assert seen == ["client-reader"] * 3
    finally:
        server.shutdown()
