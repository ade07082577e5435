"""All parse options in one object (unstructured's lesson: no 25-keyword functions)."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PDF_ENGINES = (None, "pdfium", "pdfminer")  # None: the default (pdfium)


@dataclass(frozen=True)
class Options:
    """How to parse: passwords, limits and plugins to leave out.

    Pass an ``Options`` or a plain dict (``Options.coerce`` accepts both, so options travel
    to batch workers as plain data).
    """

    password: str | None = None       # opens an encrypted PDF
    max_pages: int | None = None      # refuse PDFs with more pages
    max_bytes: int | None = None      # refuse files larger than this
    timeout: float | None = None      # seconds per document: parse() raises ParseTimeoutError;
                                      # batch / parse_many also kill a stuck worker
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
