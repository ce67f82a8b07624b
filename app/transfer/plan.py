"""What an import would do: a plan of changes (create, update, unchanged, skip), each with its
record and a short description, and the problems that refuse the whole file.

An importer is a function (session, file, clearance) -> an iterator of Change and Problem. It
reads the database but never writes: each Change carries `apply`, which the commit calls.
"""

import enum
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlmodel import Session

# Enough rows to check a preview by eye; the counts say how many there are in all.
SAMPLE_SIZE = 50
# A file with more problems than this is wrong throughout; the first ones say how.
KEPT_PROBLEMS = 500


class Action(str, enum.Enum):
    CREATE = "create"
    UPDATE = "update"
    UNCHANGED = "unchanged"
    SKIP = "skip"

    @property
    def label(self) -> str:
        return {"create": "Created", "update": "Updated", "unchanged": "Unchanged",
                "skip": "Skipped"}[self.value]


@dataclass(frozen=True)
class Problem:
    """Why the file cannot be imported: where (a line, a record), which field, what to do."""

    where: str
    field: str
    message: str

    def __str__(self) -> str:
        place = f"{self.where}, {self.field}" if self.field else self.where
        return f"{place}: {self.message}"


@dataclass
class Change:
    action: Action
    record: str  # "programme", "inquiry"
    key: str  # the reference a clerk knows it by
    description: str
    apply: Callable[[Session], object] | None = None


@dataclass
class Plan:
    counts: Counter = field(default_factory=Counter)
    samples: dict[Action, list[Change]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0

    def add(self, entry: Change | Problem) -> None:
        if isinstance(entry, Problem):
            self.problem_count += 1
            if len(self.problems) < KEPT_PROBLEMS:
                self.problems.append(entry)
            return
        self.counts[entry.action] += 1
        shown = self.samples.setdefault(entry.action, [])
        if len(shown) < SAMPLE_SIZE:
            shown.append(entry)

    @property
    def refused(self) -> bool:
        return self.problem_count > 0

    def count(self, action: Action) -> int:
        return self.counts.get(action, 0)

    def summary(self) -> str:
        parts = [f"{self.count(a)} {a.label.lower()}" for a in Action]
        return ", ".join(parts) + f"; {self.problem_count} problem" + (
            "" if self.problem_count == 1 else "s")

    def figures(self) -> tuple[int, int, int, int]:
        """(created, updated, unchanged, problems): what the preview promised."""
        return (self.count(Action.CREATE), self.count(Action.UPDATE),
                self.count(Action.UNCHANGED), self.problem_count)


def collect(entries: Iterable[Change | Problem]) -> Plan:
    plan = Plan()
    for entry in entries:
        plan.add(entry)
    return plan
