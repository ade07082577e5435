"""Where the shared real reports are: ``../shared/corpus`` beside the checkout.

Real reports are never copied into the project; tests that read them skip cleanly when
the folder is absent. ``GOVREPORT_CORPUS`` points elsewhere.
"""
import os
from pathlib import Path

import pytest

CORPUS = Path(os.environ.get("GOVREPORT_CORPUS")
              or Path(__file__).resolve().parents[1].parent / "shared" / "corpus")
needs_corpus = pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not available")
