"""Bigger specs made from a real one: the same API with N times its operations.

Copy k (2..N) of every path is served under `/v{k}` with its operations' ids suffixed
`-v{k}`; tags, components and everything else are shared, as in a real API that grows by
operations. Written as compact JSON (a scale of 8 of GitHub's description is about 22 MB).
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import orjson

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def scaled(data: dict[str, Any], factor: int) -> dict[str, Any]:
    """`data` with `factor` times its operations."""
    result = dict(data)
    paths: dict[str, Any] = {}
    for k in range(1, factor + 1):
        for path, item in (data.get("paths") or {}).items():
            if k == 1:
                paths[path] = item
                continue
            item = copy.deepcopy(item)
            for method in METHODS:
                op = item.get(method) if isinstance(item, dict) else None
                if isinstance(op, dict) and isinstance(op.get("operationId"), str):
                    op["operationId"] += f"-v{k}"
            paths[f"/v{k}{path}"] = item
    result["paths"] = paths
    return result


def write_scaled(spec: Path, factor: int, folder: Path) -> Path:
    """The spec at `spec`, scaled by `factor`, written into `folder` once."""
    target = folder / f"{spec.stem}.x{factor}.json"
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        data = orjson.loads(spec.read_bytes())
        partial = target.with_suffix(".partial")
        partial.write_bytes(orjson.dumps(scaled(data, factor)))
        partial.replace(target)
    return target


def operations(spec: Path) -> int:
    """How many operations a spec has."""
    data = orjson.loads(spec.read_bytes())
    return sum(
        1
        for item in (data.get("paths") or {}).values()
        for method in METHODS
        if isinstance(item, dict) and isinstance(item.get(method), dict)
    )
