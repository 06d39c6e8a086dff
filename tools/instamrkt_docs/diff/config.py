"""A project's choices about diff rules: a rule silenced or given another level, each with
its reason (a file such as `.instamrkt-diff.yaml`):

    rules:
      response-enum-value-added:
        level: info
        reason: our clients ignore values they do not know
      request-parameter-removed:
        level: off
        reason: the server ignores unknown parameters
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from instamrkt_docs.diff.changes import Change
from instamrkt_docs.diff.rules import LEVELS, RULES
from instamrkt_docs.errors import UsageError
from instamrkt_docs.load import Workspace

DEFAULT = Path(".instamrkt-diff.yaml")


@dataclass
class Config:
    """Rule id -> (level or "off", reason)."""

    rules: dict[str, tuple[str, str]] = field(default_factory=dict)

    @classmethod
    def read(cls, path: Path) -> Config:
        """The config at `path`; a located message for anything it gets wrong."""
        document = Workspace(roots=[path.parent]).load(path)
        data = document.data

        def fail(pointer: str, message: str) -> UsageError:
            line, column = document.source.positions([pointer]).get(pointer, (1, 1))
            return UsageError(f"{path}:{line}:{column}: {message}")

        rules = data.get("rules") if isinstance(data, dict) else None
        if not isinstance(rules, dict):
            raise fail("", "expected `rules:`, a map of rule ids")
        found = {}
        for rule, choice in rules.items():
            pointer = f"/rules/{rule}"
            if rule not in RULES:
                raise fail(pointer, f"no rule {rule!r} (instamrkt-docs diff --list-rules)")
            if not isinstance(choice, dict):
                raise fail(pointer, "expected `level:` and `reason:`")
            level = str(choice.get("level", "")).lower()
            if level not in (*LEVELS, "off"):
                raise fail(pointer, f"level must be one of {', '.join((*LEVELS, 'off'))}")
            reason = choice.get("reason")
            if not isinstance(reason, str) or not reason.strip():
                raise fail(pointer, "a reason is needed: say why the rule does not apply as it is")
            found[str(rule)] = (level, reason.strip())
        return cls(found)

    def apply(self, changes: list[Change]) -> list[Change]:
        kept = []
        for change in changes:
            choice = self.rules.get(change.rule)
            if choice is None:
                kept.append(change)
            elif choice[0] != "off":
                kept.append(replace(change, level=choice[0], reason=choice[1]))
        return kept
