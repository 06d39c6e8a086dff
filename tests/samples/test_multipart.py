"""Multipart bodies by the book, the same parts from curl, requests and fetch.

A multipart/form-data body whose properties are text, a number, an array (a part per
item), an object (JSON, application/json), a part with its Encoding Object's
`contentType`, and a binary file the reader has (read from the sample's folder): each
language's sample is run against a capture server, and the parts it sent are compared.
(FormData can give a part a content type only as a Blob, which it names `blob`: that file
name of fetch's typed parts is the one difference allowed.)"""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.samples.requests import http_request
from tests.hostile.test_sample_quoting import Capture, http_server, model_of, run_sample

PROPERTIES = {
    "note": {"type": "string", "example": 'Tea; "cake" \\ 50%'},
    "count": {"type": "integer", "example": 3},
    "tags": {"type": "array", "items": {"type": "string"}, "example": ["a", "b"]},
    "meta": {"type": "object", "example": {"k": "v;x"}},
    "csv": {"type": "string", "example": "a,b"},
    "photo": {"type": "string", "format": "binary", "example": "PNG-BYTES"},
}
ENCODING = {"csv": {"contentType": "text/csv"}, "photo": {"contentType": "image/png"}}
# (name, content type, content, file name): as the OpenAPI specification's defaults say
EXPECTED = [
    ("note", "", 'Tea; "cake" \\ 50%', ""),
    ("count", "", "3", ""),
    ("tags", "", "a", ""),
    ("tags", "", "b", ""),
    ("meta", "application/json", '{"k":"v;x"}', ""),
    ("csv", "text/csv", "a,b", ""),
    ("photo", "image/png", "PNG-BYTES", "photo.png"),
]


def _parts(headers: list[tuple[str, str]], body: bytes) -> list[tuple[str, str, str, str]]:
    """(name, content type or "" for text/plain, content, file name) of each part, read by
    the standard library's MIME parser (a part's own headers kept)."""
    kind = next(v for k, v in headers if k.lower() == "content-type")
    message = email.message_from_bytes(
        f"Content-Type: {kind}\r\n\r\n".encode() + body, policy=email.policy.HTTP
    )
    found = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        file = part.get_filename() or ""
        content_type = part.get("Content-Type", "").split(";")[0].strip()
        content = part.get_payload(decode=True).decode()
        typed = content_type not in ("", "text/plain")
        found.append((name, content_type if typed else "", content, file if file != "blob" else ""))
    return found


def test_curl_requests_and_fetch_send_the_same_parts(tmp_path: Path) -> None:
    capture = Capture()
    server = http_server(capture)
    port = server.server_address[1]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "uploads", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{port}"}],
        "paths": {"/uploads": {"post": {
            "operationId": "upload",
            "requestBody": {"content": {"multipart/form-data": {
                "schema": {"type": "object", "properties": PROPERTIES},
                "encoding": ENCODING}}},
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    operation = model_of(spec, tmp_path).operations[0]
    files = [p for p in http_request(operation).parts if p.filename]
    assert [p.filename for p in files] == ["photo.png"]
    try:
        for sample in SampleWriter().for_operation(operation):
            capture.clear()
            folder = tmp_path / sample.language.key
            folder.mkdir()
            (folder / "photo.png").write_text("PNG-BYTES")  # the reader's file
            run_sample(sample.code, sample.language.key, folder, "API_KEY", "k")
            (request,) = capture.requests
            assert _parts(request["headers"], request["body"]) == EXPECTED, sample.language.key
    finally:
        server.shutdown()


def test_a_part_name_that_would_make_curl_read_a_file_is_left_out(tmp_path: Path) -> None:
    """curl's --form reads a part's name up to its first `=`, and content starting with
    `@` is a file to read: a spec's property named `x=@/etc/hostname` must not make the
    shell sample upload that file. Such a part is left out in every language, and said."""
    capture = Capture()
    server = http_server(capture)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "uploads", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{server.server_address[1]}"}],
        "paths": {"/u": {"post": {"operationId": "u", "requestBody": {"content": {
            "multipart/form-data": {"schema": {"type": "object", "properties": {
                "x=@/etc/hostname": {"type": "string", "format": "binary"},
                "y=</etc/hostname": {"type": "object"},
                "ok": {"type": "string", "example": "fine"}}}}}},
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    try:
        for sample in SampleWriter().for_operation(model_of(spec, tmp_path).operations[0]):
            assert "left out: its name has" in sample.code
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            assert _parts(request["headers"], request["body"]) == [("ok", "", "fine", "")]
            assert not hostname or hostname.encode() not in request["body"]
    finally:
        server.shutdown()
