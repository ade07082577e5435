"""Typed errors: every way an input can fail, under one base class.

Each message names the file and the reason in one line, so a researcher reading a batch's
error list knows what is wrong with which file without a traceback.
"""
from __future__ import annotations


class GovReportError(Exception):
    """Base class of every error govreport raises on purpose about an input."""

    code = "error"

    def __init__(self, path: str | None, reason: str):
        self.path = str(path) if path is not None else "<input>"
        # one line: library messages (lxml, pdfminer) may carry line breaks
        self.reason = " ".join(str(reason).splitlines())
        super().__init__(f"{self.path}: {self.reason}")

    def __reduce__(self):
        # picklable (process pools send errors back): rebuild from (path, reason)
        return (type(self), (self.path, self.reason), self.__dict__)


class EmptyFileError(GovReportError):
    """The file holds no bytes, or only whitespace."""

    code = "empty"


class UnreadableError(GovReportError):
    """The bytes cannot be read as the format they claim (truncated, corrupt, random)."""

    code = "unreadable"


class EncryptedError(GovReportError):
    """A password-protected PDF opened without the right password (``--password``)."""

    code = "encrypted"


class NoTextLayerError(GovReportError):
    """A scanned PDF: pages are images, there is no text to read without OCR."""

    code = "no_text_layer"


class LowTextQualityError(GovReportError):
    """Text came out as (cid:N) codes or other garbage: the font has no usable mapping."""

    code = "low_text_quality"


class UnsupportedTypeError(GovReportError):
    """Not a document type govreport reads (an image, an archive, binary data)."""

    code = "unsupported_type"


class NotAReportError(GovReportError):
    """Readable, but not a government information-disclosure annual report."""

    code = "not_a_report"
    # the reason without any words of the file (batch error records never copy a
    # file that is not a report)
    without_content: str | None = None


class LimitExceededError(GovReportError):
    """A user-set limit (file size, pages) was exceeded."""

    code = "limit_exceeded"


class ParseTimeoutError(GovReportError):
    """No result within the time limit (``--timeout`` / ``Options.timeout``)."""

    code = "timeout"


class PluginError(GovReportError):
    """A plugin could not be used."""

    code = "plugin"


class UnsafePathError(GovReportError):
    """An output path derived from an input name would leave the output folder."""

    code = "unsafe_path"


class RecordsError(GovReportError):
    """Parsed reports cannot be read back: not a batch output folder, a reports.jsonl or
    a report's JSON (``govreport compare``, cross-year checks)."""

    code = "bad_records"
