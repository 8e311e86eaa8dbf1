"""The summary of a batch run (what ``reconcile batch`` prints)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .. import __version__

__all__ = ["ArchiveSummary"]


@dataclass
class ArchiveSummary:
    """What a batch run did. ``exit_code()`` is the CLI's exit status."""

    store: str
    backend: str
    workers: int
    rules_version: str
    tool_version: str = __version__
    files: int = 0  # input files found
    documents: int = 0  # distinct contents among them
    skipped: int = 0  # already in the store with this rules version
    checked: int = 0  # checked in this run
    ok: int = 0
    errors: int = 0
    timeouts: int = 0
    inconsistent: int = 0  # documents of this run's inputs (checked or skipped) with an inconsistency
    failed: int = 0  # documents of this run's inputs whose status is error or timeout
    not_checkable: int = 0  # documents checked in this run of which nothing could be checked (not a report …)
    crossyear_findings: int = 0
    crossyear_inconsistent: int = 0
    seconds: float = 0.0
    warm_up_seconds: float = 0.0
    peak_parent_rss_mb: float = 0.0
    peak_worker_rss_mb: float = 0.0
    worker_starts: int = 0
    messages: list[str] = field(default_factory=list)

    def exit_code(self) -> int:
        """0 when no document is inconsistent, 1 otherwise (per-document errors are recorded, not fatal)."""
        return 1 if self.inconsistent or self.crossyear_inconsistent else 0

    @property
    def docs_per_minute(self) -> float:
        return 60.0 * self.checked / self.seconds if self.seconds > 0 else 0.0

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["docs_per_minute"] = self.docs_per_minute
        return d

    def describe(self) -> str:
        lines = [
            f"{self.files} files, {self.documents} documents: {self.checked} checked, {self.skipped} already in "
            f"{self.store} (rules {self.rules_version})",
            f"  checked: {self.ok} ok, {self.errors} error, {self.timeouts} timeout "
            f"in {self.seconds:.1f} s ({self.docs_per_minute:.1f} documents/min, {self.workers} worker(s), "
            f"{self.backend})",
            f"  documents with inconsistencies: {self.inconsistent}; unreadable or timed out: {self.failed}",
        ]
        if self.not_checkable:
            lines.append(
                f"  nothing could be checked in {self.not_checkable} (not a report, or no claim or table to check)"
            )
        if self.crossyear_findings:
            lines.append(
                f"  cross-year findings: {self.crossyear_findings} ({self.crossyear_inconsistent} inconsistent)"
            )
        lines.extend(f"  note: {m}" for m in self.messages)
        return "\n".join(lines) + "\n"
