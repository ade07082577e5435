"""pdfminer's log messages, captured while govreport reads a PDF.

pdfminer logs warnings ("Could not get FontBBox from font descriptor …") through the
``logging`` module; with no handler configured, Python's last-resort handler prints them
on stderr — dozens per Chrome-printed PDF, in the CLI and in every batch worker. While
a PDF is read, a handler on the ``pdfminer`` logger collects them instead (and stops
them propagating), and the reader turns them into ``Document.warnings`` — one line per
distinct message, with a count — which reach ``Report.warnings`` (shown by ``-v``).
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager

_LOCK = threading.Lock()
_MAX_KINDS = 20


class _Collector(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.counts: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            msg = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is not our parse's problem
            msg = str(record.msg)
        if len(self.counts) < _MAX_KINDS or msg in self.counts:
            self.counts[" ".join(msg.split())[:200]] += 1

    def messages(self) -> list[str]:
        return [f"pdfminer: {m}" + (f" ({n} times)" if n > 1 else "")
                for m, n in self.counts.items()]


@contextmanager
def captured_pdfminer_log() -> Iterator[_Collector]:
    """Collect the ``pdfminer`` logger's warnings for the duration of the block."""
    logger = logging.getLogger("pdfminer")
    collector = _Collector()
    with _LOCK:
        logger.addHandler(collector)
        saved = logger.propagate
        logger.propagate = False
    try:
        yield collector
    finally:
        with _LOCK:
            logger.removeHandler(collector)
            if not any(isinstance(h, _Collector) for h in logger.handlers):
                logger.propagate = saved
