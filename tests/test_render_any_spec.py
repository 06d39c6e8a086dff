"""`render` works on specs others wrote: no crash, and every sample is valid code.

Python samples must compile, JavaScript samples pass `node --check`, shell samples pass
`bash -n`; over the public corpus and over GitHub's REST description (about 1,000
operations), fetched from the npm registry.
"""

from __future__ import annotations

import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from benchmarks.npm import github_spec
from instamrkt_docs.render import render
from instamrkt_docs.samples import Sample
from tests.tools import ROOT, need

PUBLIC = ROOT / "tests" / "fixtures" / "public"
JS_SYNTAX = ROOT / "tests" / "js_syntax.mjs"
SPECS = sorted(p for p in PUBLIC.rglob("*") if p.suffix in (".yaml", ".yml"))


def check_syntax(samples: list[Sample], folder: Path) -> list[str]:
    """The problems found in samples: (file, error) text for each invalid one.

    Python compiles in process; JavaScript is parsed by Node's own parser, all files in one
    process; shell scripts go through `bash -n`, a few at once.
    """
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    scripts: list[str] = []
    modules: list[str] = []
    for index, sample in enumerate(samples):
        file = folder / f"{index}.{sample.language.suffix}"
        file.write_text(sample.code)
        if sample.language.key == "python":
            try:
                compile(sample.code, str(file), "exec")
            except SyntaxError as exc:
                problems.append(f"{file}: {exc}")
        elif sample.language.key in ("javascript", "browser"):
            modules.append(str(file))
        else:
            scripts.append(str(file))

    def bash_n(file: str) -> str:
        result = subprocess.run([bash, "-n", file], capture_output=True, text=True, check=False)
        return "" if result.returncode == 0 else f"{file}: {result.stderr.strip()}"

    if scripts:
        bash = need("bash")
        with ThreadPoolExecutor(max_workers=4) as pool:
            problems += [p for p in pool.map(bash_n, scripts) if p]
    if modules:
        command = [need("node"), "--experimental-vm-modules", "--no-warnings", str(JS_SYNTAX)]
        result = subprocess.run([*command, *modules], capture_output=True, text=True, check=False)
        problems += result.stdout.splitlines()
        if result.returncode not in (0, 1) or (result.returncode == 1 and not result.stdout):
            problems.append(f"the syntax check failed: {result.stderr.strip()}")
    return problems


def all_samples(specs: list[Path], out: Path) -> list[Sample]:
    samples = []
    for spec in specs:
        result = render([spec], out / spec.stem)
        for spec_pages in result.specs:
            for per_operation in spec_pages.samples.values():
                samples += per_operation
    return samples


def test_every_public_spec_renders_with_valid_samples(tmp_path: Path) -> None:
    samples = all_samples(SPECS, tmp_path / "out")
    languages = {s.language.key for s in samples}
    assert languages == {"shell", "python", "javascript", "browser"}
    assert len(samples) > 600
    assert check_syntax(samples, tmp_path / "samples") == []


@pytest.mark.slow
def test_a_large_spec_renders_with_valid_samples(tmp_path: Path) -> None:
    need("npm")
    try:
        spec = github_spec()
    except (subprocess.CalledProcessError, OSError) as exc:  # pragma: no cover - offline
        pytest.fail(f"could not fetch GitHub's spec from the npm registry: {exc}")
    result = render([spec], tmp_path / "out")
    (spec_pages,) = result.specs
    samples = [s for per_op in spec_pages.samples.values() for s in per_op]
    assert len(spec_pages.api.operations) > 900
    assert len(samples) == 3 * len(spec_pages.api.operations)
    assert check_syntax(samples, tmp_path / "samples") == []


def test_the_syntax_check_finds_broken_samples(tmp_path: Path) -> None:
    from instamrkt_docs.samples import LANGUAGES

    shell, python, javascript = LANGUAGES
    samples = [
        Sample(javascript, 'import WebSocket from "ws";\nawait fetch("x");\n'),
        Sample(javascript, "const = 1;\n"),
        Sample(python, "print(\n"),
        Sample(shell, "if true; then\n"),
    ]
    problems = check_syntax(samples, tmp_path)
    assert [p.split(":")[0].rsplit("/", 1)[-1] for p in problems] == ["2.py", "3.sh", "1.mjs"]


def test_schemas_that_contain_themselves_render_with_a_link_back(tmp_path: Path) -> None:
    """Through `items`, `properties`, `additionalProperties`, `allOf` and `oneOf`/`anyOf`,
    directly, through another schema and through another file: each is named where it
    recurs (it used to be a RecursionError)."""
    folder = ROOT / "tests" / "fixtures" / "recursive"
    result = render([folder / "openapi.yaml", folder / "asyncapi.yaml"], tmp_path / "out")
    rest = result.files["rest/operations.md"]
    assert 'Body: array of <a href="#model-forest">Forest</a>' in rest
    assert "<code>Forest</code> | array of Forest |" in rest
    ws = result.files["websocket/trees.md"]
    assert '<code>children</code> | array of <a href="#model-tree">Tree</a> |' in ws
    assert '<code>next</code> | <a href="#model-node">Node</a> |' in rest  # in allOf
    assert '<code>leaf</code> | <a href="#model-node">Node</a> |' in rest  # from shared.yaml
    assert '<code>twigs</code> | array of <a href="#model-branch">Branch</a> |' in rest
    samples = [s for spec in result.specs for per in spec.samples.values() for s in per]
    assert len(samples) == 16  # 5 operations in 3 languages, and a web page's
    assert check_syntax(samples, tmp_path / "samples") == []


def test_a_media_range_is_sent_as_a_type_and_a_generated_body_is_titled_once(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://t.example.com'}]\npaths:\n"
        "  /blobs:\n    put:\n      operationId: putBlob\n      requestBody:\n"
        "        content: {'*/*': {schema: {type: string, example: hello}}}\n"
        "      responses: {'204': {description: done}}\n"
        "  /things:\n    post:\n      operationId: addThing\n      requestBody:\n"
        "        content: {application/json: {schema: {type: object,"
        " properties: {n: {type: integer}}}}}\n"
        "      responses: {'204': {description: done}}\n"
    )
    result = render([spec], tmp_path / "out")
    page = result.files["rest/operations.md"]
    assert '???+ example "Request body (generated)"' in page
    assert "(generated) (generated)" not in page and "generated (generated)" not in page
    samples = [s for per in result.specs[0].samples.values() for s in per]
    blob = [s.code for s in samples if "/blobs" in s.code]
    assert len(blob) == 3
    assert all("application/octet-stream" in code and "*/*" not in code for code in blob)


def test_security_that_is_no_http_header_is_named_as_its_protocol_names_it(
    tmp_path: Path,
) -> None:
    spec = tmp_path / "asyncapi.yaml"
    spec.write_text(
        "asyncapi: 3.0.0\ninfo: {title: kafka, version: '1'}\nservers:\n"
        "  prod: {host: 'broker.example.com:9092', protocol: kafka,"
        " security: [{$ref: '#/components/securitySchemes/scram'}]}\n"
        "channels:\n  orders: {address: orders, messages: {order: {payload: {type: object}}}}\n"
        "operations:\n  onOrder: {action: send, channel: {$ref: '#/channels/orders'}}\n"
        "components:\n  securitySchemes:\n    scram: {type: scramSha256}\n"
    )
    page = render([spec], tmp_path / "out").files["websocket/orders.md"]
    assert "authenticated by SCRAM&#45;SHA&#45;256." in page
    assert "Authorization" not in page and "Bearer" not in page


def test_each_oneof_branch_has_a_field_table_of_its_own(tmp_path: Path) -> None:
    """A field that only one branch has is in that branch's table, titled by the
    discriminator's value; each branch's `required` is its own (they used to be flattened
    into one table, every branch's fields required)."""
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"
        "servers: [{url: 'https://t.example.com'}]\n"
        "paths:\n  /events:\n    post:\n      operationId: postEvent\n"
        "      requestBody:\n        content:\n          application/json:\n"
        "            schema:\n              properties: {at: {type: string}}\n"
        "              oneOf: [{$ref: '#/components/schemas/Beat'},"
        " {$ref: '#/components/schemas/Trade'}]\n"
        "              discriminator: {propertyName: kind, mapping: {heartbeat: "
        "'#/components/schemas/Beat'}}\n"
        "      responses: {'204': {description: done}}\n"
        "components:\n  schemas:\n"
        "    Beat: {type: object, required: [kind], properties: {kind: {type: string},"
        " interval: {type: integer}}}\n"
        "    Trade: {type: object, required: [kind, price], properties: {kind: {type: string},"
        " price: {type: number}}}\n"
    )
    out = tmp_path / "out"
    render([spec], out)
    page = (out / "rest" / "operations.md").read_text()
    assert page.count('<p class="im-variant">') == 2
    common, beat, trade = page.split('<p class="im-variant">')[:3]
    assert "<code>at</code>" in common and "price" not in common
    assert beat.startswith("When <code>kind</code> is <code>heartbeat</code>:")
    assert "interval" in beat and "price" not in beat
    assert trade.startswith("When <code>kind</code> is <code>Trade</code>:")
    price = next(line for line in trade.splitlines() if "<code>price</code>" in line)
    assert "required" in price and "interval" not in trade.split("</p>")[1].split("\n\n\n")[0]
