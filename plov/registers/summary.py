"""What an import did, in a shape the command line prints and ImportRun keeps."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

MAX_EXAMPLES = 20


@dataclass
class ImportSummary:
    created: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    notes: list[str] = field(default_factory=list)
    # register-specific lists kept with the run, e.g. SOR units still on an old unit type
    details: dict[str, list] = field(default_factory=dict)
    # The import changed what the publication rules read about the units (SOR's units, CVR's
    # production units, DAR's addresses) and left the refresh to whoever runs it, who
    # refreshes once after all its imports (plov.registers.runs.refresh_after). Not kept with
    # the run. The CSV importers refresh the units they touch themselves and leave it False.
    moves_publication: bool = False
    # the day the import judged by (SOR closes units as of it): the refresh after it uses it
    today: dt.date | None = None

    def skip(self, reason: str, where: str) -> None:
        self.skipped[reason] += 1
        if len(self.examples[reason]) < MAX_EXAMPLES:
            self.examples[reason].append(where)

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "closed": self.closed,
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
            "skipped_examples": {k: v for k, v in self.examples.items()},
            "notes": self.notes,
            **self.details,
        }

    def render(self) -> str:
        lines = [
            f"oprettet:       {self.created}",
            f"opdateret:      {self.updated}",
            f"lukket:         {self.closed}",
            f"uændret:        {self.unchanged}",
            f"sprunget over:  {sum(self.skipped.values())}",
        ]
        for reason, count in sorted(self.skipped.items(), key=lambda kv: -kv[1]):
            examples = ", ".join(self.examples[reason][:5])
            lines.append(f"  {count} × {reason}" + (f" (f.eks. {examples})" if examples else ""))
        lines.extend(self.notes)
        return "\n".join(lines)
