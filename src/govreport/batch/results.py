"""What one parse in a batch comes back as: a :class:`Result` (ok, or an :class:`ErrorInfo`),
and the two ways a pooled task can end without one."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

# --------------------------------------------------------------------------- errors

class TaskTimeout(Exception):
    """Set on a :class:`WorkerPool` future whose task ran past the timeout (worker killed)."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        super().__init__(f"no result within {seconds:g} s; the worker process was killed")


class WorkerCrashedError(Exception):
    """Set on a :class:`WorkerPool` future whose worker process died while running it."""


class WorkersUnavailableError(RuntimeError):
    """No worker process can be started (or every one dies on start): the run stops and
    says so once, instead of recording every document as failed."""


class WorkerLimitError(Exception):
    """Set on a :class:`WorkerPool` future whose worker its own limit watchdog ended (a
    parse past its memory or time limit, stuck where no exception reaches it)."""

    def __init__(self, type_: str, code: str, reason: str):
        self.type, self.code, self.reason = type_, code, reason
        super().__init__(reason)


# --------------------------------------------------------------------------- results

@dataclass(frozen=True)
class ErrorInfo:
    """Why one input failed: the error class name, its short code and one-line message."""

    type: str
    code: str
    message: str
    where: str | None = None  # file:line of an unexpected exception (a bug, not the input)

    def to_dict(self) -> dict[str, Any]:
        d = {"type": self.type, "code": self.code, "message": self.message}
        if self.where:
            d["where"] = self.where
        return d

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"


class Result:
    """The outcome of one input of :func:`parse_many`.

    ``ok`` tells which of ``report`` (the SCHEMA §1 dict, decoded on first access) and
    ``error`` (:class:`ErrorInfo`) is set. ``skipped`` marks a file that is not a report
    type at all (an image, an archive, a data file); it is also ``ok=False``.
    """

    __slots__ = ("path", "ok", "error", "skipped", "sha256", "seconds", "worker",
                 "peak_rss_mb", "report_json", "_report")

    def __init__(self, path: str, ok: bool, *, report_json: str | None = None,
                 report: dict[str, Any] | None = None, error: ErrorInfo | None = None,
                 skipped: bool = False, sha256: str | None = None, seconds: float = 0.0,
                 worker: Any = None, peak_rss_mb: float | None = None):
        self.path = path
        self.ok = ok
        self.report_json = report_json
        self._report = report
        self.error = error
        self.skipped = skipped
        self.sha256 = sha256
        self.seconds = seconds
        self.worker = worker
        self.peak_rss_mb = peak_rss_mb

    @property
    def report(self) -> dict[str, Any] | None:
        if self._report is None and self.report_json is not None:
            self._report = json.loads(self.report_json)
        return self._report

    def __repr__(self) -> str:
        what = "ok" if self.ok else f"{'skipped' if self.skipped else 'failed'}: {self.error}"
        return f"<Result {self.path!r} {what}>"

    @classmethod
    def failed(cls, path: str, type_: str, code: str, message: str, *, skipped: bool = False,
               sha256: str | None = None, seconds: float = 0.0, where: str | None = None
               ) -> Result:
        return cls(path, False, error=ErrorInfo(type_, code, message, where), skipped=skipped,
                   sha256=sha256, seconds=seconds)

    @classmethod
    def from_worker(cls, data: dict[str, Any]) -> Result:
        err = data.get("error")
        return cls(data["path"], bool(data["ok"]), report_json=data.get("report_json"),
                   error=ErrorInfo(**err) if err else None, sha256=data.get("sha256"),
                   seconds=data.get("seconds", 0.0), worker=data.get("worker"),
                   peak_rss_mb=data.get("peak_rss_mb"))
