"""All parse options in one object (unstructured's lesson: no 25-keyword functions)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from .limits import DEFAULT_MAX_BYTES, DEFAULT_MAX_MEMORY_MB, DEFAULT_MAX_PAGES, DEFAULT_TIMEOUT

PDF_ENGINES = (None, "pdfium", "pdfminer")  # None: the default (pdfium)


@dataclass(frozen=True)
class Options:
    """How to parse: passwords, limits and plugins to leave out.

    Limits are on by default (see :mod:`govreport.limits`): 60 s, 1 GiB of memory,
    256 MiB of input and 2,000 PDF pages per document. ``None`` lifts a limit.

    Pass an ``Options`` or a plain dict (``Options.coerce`` accepts both, so options travel
    to batch workers as plain data).
    """

    password: str | None = None       # opens an encrypted PDF
    max_pages: int | None = DEFAULT_MAX_PAGES  # refuse PDFs with more pages
    max_bytes: int | None = DEFAULT_MAX_BYTES  # refuse larger files (checked before reading)
    timeout: float | None = DEFAULT_TIMEOUT    # seconds per document: ParseTimeoutError;
                                      # batch / parse_many also kill a stuck worker
    max_memory_mb: float | None = DEFAULT_MAX_MEMORY_MB  # MiB a parse may add: LimitExceededError
    disabled_plugins: tuple[str, ...] = field(default_factory=tuple)
    pdf_engine: str | None = None     # "pdfium" (default) or "pdfminer" (the reference)

    def __post_init__(self) -> None:
        if self.pdf_engine not in PDF_ENGINES:
            raise ValueError(f"unknown PDF engine {self.pdf_engine!r} "
                             f"(choose from {', '.join(e for e in PDF_ENGINES if e)})")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def coerce(cls, value: Options | dict[str, Any] | None) -> Options:
        if value is None:
            return cls()
        if isinstance(value, cls):
            return value
        data = dict(value)  # type: ignore[arg-type]  # a mapping, not an Options (checked above)
        if "disabled_plugins" in data:
            data["disabled_plugins"] = tuple(data["disabled_plugins"] or ())
        return cls(**data)
