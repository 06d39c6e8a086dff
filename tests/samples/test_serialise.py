"""Form bodies by the book, byte for byte the same from curl, requests and fetch.

Each case is one row of the OpenAPI specification's serialisation rules for
`application/x-www-form-urlencoded` bodies (Encoding Object `style` and `explode`, and the
defaults without one); the sample of each language is run against a capture server."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from instamrkt_docs.samples import SampleWriter
from instamrkt_docs.samples.serialise import form_pairs, urlencoded
from tests.hostile.test_sample_quoting import Capture, http_server, model_of, run_sample

# (property example, its Encoding Object or None, the body the specification gives)
CASES = [
    (True, None, "v=true"),
    (None, None, "v="),
    ("Tea & cake ~ 50% off*", None, "v=Tea+%26+cake+%7E+50%25+off*"),
    (["red", "blue"], None, "v=red&v=blue"),
    ({"k": "x", "n": 1}, None, "v=%7B%22k%22%3A%22x%22%2C%22n%22%3A1%7D"),
    (["red", "blue"], {"style": "form", "explode": False}, "v=red%2Cblue"),
    (["red", "blue"], {"style": "spaceDelimited", "explode": False}, "v=red+blue"),
    (["red", "blue"], {"style": "pipeDelimited", "explode": False}, "v=red%7Cblue"),
    ({"R": 100, "G": 200}, {"style": "form", "explode": True}, "R=100&G=200"),
    ({"R": 100, "G": 200}, {"style": "form", "explode": False}, "v=R%2C100%2CG%2C200"),
    ({"R": 100, "G": 200}, {"style": "deepObject", "explode": True}, "v%5BR%5D=100&v%5BG%5D=200"),
]  # fmt: skip


@pytest.mark.parametrize(("value", "encoding", "wire"), CASES)
def test_each_rule_gives_the_specifications_text(value, encoding, wire) -> None:
    encodings = {"v": encoding} if encoding else None
    assert "&".join(urlencoded(form_pairs({"v": value}, encodings))) == wire


def test_curl_requests_and_fetch_send_the_same_bytes(tmp_path: Path) -> None:
    capture = Capture()
    server = http_server(capture)
    port = server.server_address[1]
    properties = {f"p{i}": {"example": value} for i, (value, _, _) in enumerate(CASES)}
    encoding = {f"p{i}": e for i, (_, e, _) in enumerate(CASES) if e}
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "forms", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{port}"}],
        "paths": {"/forms": {"post": {
            "operationId": "send",
            "requestBody": {"content": {"application/x-www-form-urlencoded": {
                "schema": {"type": "object", "properties": properties},
                "encoding": encoding}}},
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    api = model_of(spec, tmp_path)
    samples = SampleWriter().for_operation(api.operations[0])
    expected = "&".join(  # each case's text, with its property's name
        re.sub(r"(^|&)v(=|%5B)", rf"\g<1>p{i}\g<2>", wire) for i, (_, _, wire) in enumerate(CASES)
    )
    try:
        for sample in samples:
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            assert request["body"].decode() == expected, sample.language.key
            types = [v for k, v in request["headers"] if k.lower() == "content-type"]
            assert types == ["application/x-www-form-urlencoded"], sample.language.key
    finally:
        server.shutdown()


# The specification's style examples (its "Style Examples" table) for `color`: a string,
# an array and an object, with `|`, space and deepObject's brackets percent-encoded.
BLUE, ARRAY, OBJECT = "blue", ["blue", "black", "brown"], {"R": 100, "G": 200, "B": 150}
PATH_TABLE = [
    ("matrix", False, ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150"),
    ("matrix", True, ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150"),
    ("label", False, ".blue", ".blue,black,brown", ".R,100,G,200,B,150"),
    ("label", True, ".blue", ".blue.black.brown", ".R=100.G=200.B=150"),
    ("simple", False, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    ("simple", True, "blue", "blue,black,brown", "R=100,G=200,B=150"),
]  # fmt: skip
QUERY_TABLE = [
    ("form", False, "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150"),
    ("form", True, "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150"),
    ("spaceDelimited", False, None, "color=blue%20black%20brown",
     "color=R%20100%20G%20200%20B%20150"),
    ("pipeDelimited", False, None, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150"),
    ("deepObject", True, None, None, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150"),
]  # fmt: skip


@pytest.mark.parametrize(("style", "explode", "string", "array", "obj"), PATH_TABLE)
def test_path_styles_as_the_specification_writes_them(style, explode, string, array, obj):
    from instamrkt_docs.samples.serialise import path_value

    for value, wire in ((BLUE, string), (ARRAY, array), (OBJECT, obj)):
        assert path_value("color", value, style, explode) == wire


@pytest.mark.parametrize(("style", "explode", "string", "array", "obj"), QUERY_TABLE)
def test_query_styles_as_the_specification_writes_them(style, explode, string, array, obj):
    from instamrkt_docs.samples.serialise import query_parts

    for value, wire in ((BLUE, string), (ARRAY, array), (OBJECT, obj)):
        if wire is not None:
            assert "&".join(query_parts("color", value, style, explode)) == wire


def test_every_parameter_style_reaches_the_server_the_same_from_the_three(tmp_path: Path):
    capture = Capture()
    server = http_server(capture)
    port = server.server_address[1]
    parameters, path, expected_path, expected_query = [], "/p", "/p", []
    for i, (style, explode, _, array, obj) in enumerate(PATH_TABLE):
        for kind, value, wire in (("a", ARRAY, array), ("o", OBJECT, obj)):
            name = f"{kind}{i}"
            parameters.append({"name": name, "in": "path", "required": True, "style": style,
                               "explode": explode, "example": value})  # fmt: skip
            path += f"/{{{name}}}"
            expected_path += "/" + wire.replace("color", name)
    for i, (style, explode, _, array, obj) in enumerate(QUERY_TABLE):
        for kind, value, wire in (("a", ARRAY, array), ("o", OBJECT, obj)):
            if wire is None:
                continue
            name = f"q{kind}{i}"
            parameters.append({"name": name, "in": "query", "required": True, "style": style,
                               "explode": explode, "example": value})  # fmt: skip
            expected_query.append(re.sub(r"(^|&)color", rf"\g<1>{name}", wire))
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "styles", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{port}"}],
        "paths": {path: {"get": {"operationId": "styles", "parameters": parameters,
                                 "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    api = model_of(spec, tmp_path)
    try:
        for sample in SampleWriter().for_operation(api.operations[0]):
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            assert request["path"] == expected_path + "?" + "&".join(expected_query), (
                sample.language.key
            )
    finally:
        server.shutdown()


def test_http_basic_is_base64_of_user_and_password_from_the_three(tmp_path: Path) -> None:
    import base64

    capture = Capture()
    server = http_server(capture)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "basic", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{server.server_address[1]}"}],
        "security": [{"basicAuth": []}],
        "paths": {"/me": {"get": {"operationId": "me",
                                  "responses": {"200": {"description": "ok"}}}}},
        "components": {"securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}}},
    }  # fmt: skip
    api = model_of(spec, tmp_path)
    credential = "ana:s3cret:with colon"
    expected = "Basic " + base64.b64encode(credential.encode()).decode()
    try:
        for sample in SampleWriter().for_operation(api.operations[0]):
            assert "API_KEY holds the user name and password as user:password" in sample.code
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", credential)  # fmt: skip
            (request,) = capture.requests
            sent = [v for k, v in request["headers"] if k.lower() == "authorization"]
            assert sent == [expected], sample.language.key
    finally:
        server.shutdown()


@pytest.mark.parametrize(("example", "sent"), [("a=1&b=two", "a=1&b=two"), (42, "42")])
def test_a_form_example_that_is_no_object_is_sent_as_the_spec_gives_it(
    tmp_path: Path, example, sent
) -> None:
    from instamrkt_docs.samples.requests import http_request

    spec = {
        "openapi": "3.0.3",
        "info": {"title": "forms", "version": "1"},
        "servers": [{"url": "https://forms.example.com"}],
        "paths": {"/raw": {"post": {"operationId": "raw", "requestBody": {"content": {
            "application/x-www-form-urlencoded": {"example": example}}},
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    request = http_request(model_of(spec, tmp_path).operations[0])
    assert (request.body, request.form) == (sent, [sent])


def test_allow_reserved_keeps_reserved_characters_from_the_three(tmp_path: Path) -> None:
    """`allowReserved: true`: RFC 3986's reserved characters are sent as they are, but
    those no query holds (`#`, `[`, `]`) and `'` (fetch encodes it); without it, everything
    but the unreserved characters is encoded."""
    capture = Capture()
    server = http_server(capture)
    value = "https://x.example/a?b=[c]&d=e f@g!$(h)*+,;#'"
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "reserved", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{server.server_address[1]}"}],
        "paths": {"/r": {"get": {"operationId": "r", "parameters": [
            {"name": "to", "in": "query", "allowReserved": True, "example": value},
            {"name": "plain", "in": "query", "example": value}],
            "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    expected = (
        "/r?to=https://x.example/a?b=%5Bc%5D&d=e%20f@g!$(h)*+,;%23%27"
        "&plain=https%3A%2F%2Fx.example%2Fa%3Fb%3D%5Bc%5D%26d%3De%20f%40g%21%24%28h%29%2A%2B%2C%3B%23%27"
    )
    try:
        for sample in SampleWriter().for_operation(model_of(spec, tmp_path).operations[0]):
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            assert request["path"] == expected, sample.language.key
    finally:
        server.shutdown()


HEADER_TABLE = [  # the specification's simple style, as a header carries it
    (False, "blue", "blue,black,brown", "R,100,G,200,B,150"),
    (True, "blue", "blue,black,brown", "R=100,G=200,B=150"),
]


def test_headers_and_cookies_reach_the_server_the_same_from_the_three(tmp_path: Path) -> None:
    """Header parameters in the simple style, explode or not, and cookie parameters in
    the form style (not exploded), from curl, requests and fetch alike."""
    capture = Capture()
    server = http_server(capture)
    parameters, headers = [], {}
    for i, (explode, string, array, obj) in enumerate(HEADER_TABLE):
        for kind, value, wire in (("s", BLUE, string), ("a", ARRAY, array), ("o", OBJECT, obj)):
            name = f"X-{kind}{i}"
            parameters.append({"name": name, "in": "header", "required": True,
                               "explode": explode, "example": value})  # fmt: skip
            headers[name.lower()] = wire
    parameters += [
        {"name": "c1", "in": "cookie", "example": BLUE},
        {"name": "c2", "in": "cookie", "explode": False, "example": ARRAY},
        {"name": "c3", "in": "cookie", "explode": False, "example": OBJECT},
    ]
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "headers", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{server.server_address[1]}"}],
        "paths": {"/h": {"get": {"operationId": "h", "parameters": parameters,
                                 "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    try:
        for sample in SampleWriter().for_operation(model_of(spec, tmp_path).operations[0]):
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            sent = {k.lower(): v for k, v in request["headers"]}
            assert {k: sent.get(k) for k in headers} == headers, sample.language.key
            assert sent["cookie"] == "c1=blue; c2=blue,black,brown; c3=R,100,G,200,B,150"
    finally:
        server.shutdown()


@pytest.mark.parametrize(
    ("media", "example", "wire"),
    [
        (
            "text/plain",
            "Tea & cake\nline two 'quoted' \\ $HOME",
            b"Tea & cake\nline two 'quoted' \\ $HOME",
        ),
        ("application/octet-stream", "@/etc/passwd", b"@/etc/passwd"),
        ("application/json", {"a": [1, "x"], "b": None}, b'{"a":[1,"x"],"b":null}'),
    ],
)
def test_text_binary_and_json_bodies_reach_the_server_the_same_from_the_three(
    tmp_path: Path, media: str, example, wire: bytes
) -> None:
    """A text or binary body is sent as its example's text exactly (never read as a file
    name, as `curl --data-binary @…` would); a JSON body is its example."""
    import json

    capture = Capture()
    server = http_server(capture)
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "bodies", "version": "1"},
        "servers": [{"url": f"http://127.0.0.1:{server.server_address[1]}"}],
        "paths": {"/b": {"post": {"operationId": "b", "requestBody": {"content": {
            media: {"example": example}}}, "responses": {"200": {"description": "ok"}}}}},
    }  # fmt: skip
    try:
        for sample in SampleWriter().for_operation(model_of(spec, tmp_path).operations[0]):
            capture.clear()
            run_sample(sample.code, sample.language.key, tmp_path / sample.language.key,
                       "API_KEY", "k")  # fmt: skip
            (request,) = capture.requests
            types = [v for k, v in request["headers"] if k.lower() == "content-type"]
            assert types == [media], sample.language.key
            if media == "application/json":
                assert json.loads(request["body"]) == json.loads(wire), sample.language.key
            else:
                assert request["body"] == wire, sample.language.key
    finally:
        server.shutdown()


def test_credentials_asked_for_together_are_all_sent(cli, tmp_path: Path) -> None:
    """A security requirement that names two schemes at once (an app id and its key):
    every sample sends both headers, each from a variable of its own, and the mock, which
    refuses a request with only one, takes it."""
    import requests

    from instamrkt_docs.mock import running
    from tests.tools import need

    need("node")
    need("curl")
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.1.0\ninfo: {title: and, version: '1'}\n"
        "servers: [{url: 'https://and.example.com'}]\n"
        "components:\n  securitySchemes:\n"
        "    appId: {type: apiKey, in: header, name: X-App-Id}\n"
        "    appKey: {type: apiKey, in: header, name: X-App-Key}\n"
        "security: [{appId: [], appKey: []}]\n"
        "paths:\n  /me:\n    get:\n      operationId: me\n"
        "      responses: {'204': {description: done}}\n"
    )
    samples = SampleWriter().for_operation(model_of(json_of(spec), tmp_path).operations[0])
    for sample in samples:
        assert "API_KEY" in sample.code and "APPKEY_API_KEY" in sample.code, sample.code
    run = cli("verify", str(spec))
    assert run.out.strip().splitlines()[-1] == "3 passed, 0 failed", run.out[-3000:]
    with running([spec]) as (url, _):
        only_one = requests.get(f"{url}/me", headers={"X-App-Id": "a"})
        assert only_one.status_code == 401
        both = requests.get(f"{url}/me", headers={"X-App-Id": "a", "X-App-Key": "b"})
        assert both.status_code == 204


def json_of(spec: Path) -> dict:
    import yaml

    return yaml.safe_load(spec.read_text())
