"""The reader hook: built-ins registered like plugins, stated order, pass-on, isolation."""
from __future__ import annotations

import io
import json

import pytest

import govreport
from govreport.cli import main as cli_main
from govreport.errors import NoTextLayerError, UnreadableError, UnsupportedTypeError
from govreport.model import Document, Page
from govreport.plugins import build_registry
from govreport.readers import read_document
from govreport.testing import parse_with

REPORT = ("某县人民政府2023年政府信息公开工作年度报告\n一、总体情况\n"
          "本年度主动公开政府信息120条。\n")


def _registry(*plugins):
    return build_registry(plugins=list(plugins), entry_points=False)


class _Plugin:
    """A plugin object registering the given readers."""

    def __init__(self, *readers):
        self.readers = readers

    @govreport.hookimpl
    def govreport_register_readers(self, register):
        for r in self.readers:
            register(r)


class Upper:
    """Reads text files that start with '#UPPER' (a format of its own)."""

    name = "upper"
    kinds = ("text",)
    order = 800

    def recognise(self, data, path):
        return data.startswith(b"#UPPER")

    def read(self, data, path, sha256, options):
        text = data.decode("utf-8").split("\n", 1)[1]
        return Document(path=path, sha256=sha256, kind="upper", pages=[Page(1, text)])


class Exploding:
    name = "exploding"
    kinds = "*"
    order = 10

    def read(self, data, path, sha256, options):
        raise RuntimeError("reader bug")


class BadRecognise:
    name = "bad-recognise"
    kinds = "*"
    order = 10

    def recognise(self, data, path):
        raise ValueError("recognise bug")

    def read(self, data, path, sha256, options):  # pragma: no cover - never reached
        raise AssertionError


def _image_pdf(pages: list[str | None]) -> bytes:
    """A PDF whose pages are text (a string) or an image with no text (None)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    for text in pages:
        if text is None:
            img = Image.new("L", (200, 100), 255)
            img.paste(0, (20, 20, 180, 30))
            c.drawImage(ImageReader(img), 72, 500, 400, 200)
        else:
            c.setFont("STSong-Light", 12)
            for i, line in enumerate(text.split("\n")):
                c.drawString(72, 780 - 16 * i, line)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_builtins_register_through_the_hook_in_stated_order():
    registry = _registry()
    readers = registry.readers
    assert [r.name for r in readers] == ["pdf", "docx", "ofd", "office", "html", "text"]
    assert [r.order for r in readers] == sorted(r.order for r in readers)
    info = registry.plugin("govreport.readers.builtin")
    assert info is not None and info.readers == ["pdf", "docx", "ofd", "office", "html", "text"]


def test_plugin_reader_is_tried_before_text_and_others_keep_working():
    registry = _registry(("upper", _Plugin(Upper())))
    assert [r.name for r in registry.readers][-2:] == ["upper", "text"]
    doc = read_document(b"#UPPER\n" + REPORT.encode(), path="a.up", registry=registry)
    assert doc.kind == "upper" and "主动公开" in doc.text
    plain = read_document(REPORT.encode(), path="a.txt", registry=registry)
    assert plain.kind == "text"


def test_a_reader_that_crashes_is_skipped_with_a_warning():
    registry = _registry(("boom", _Plugin(Exploding())))
    doc = read_document(REPORT.encode(), path="a.txt", registry=registry)
    assert doc.kind == "text"
    assert any("exploding" in w and "reader bug" in w for w in doc.warnings)
    report = parse_with(doc_path := _write(REPORT), [("boom", _Plugin(Exploding()))],
                        entry_points=False)
    assert any("reader bug" in w for w in report.warnings), doc_path


def _write(text: str):
    import tempfile
    from pathlib import Path

    path = Path(tempfile.mkdtemp()) / "r.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_reader_whose_recognise_crashes_is_left_out():
    registry = _registry(("bad", _Plugin(BadRecognise())))
    doc = read_document(REPORT.encode(), path="a.txt", registry=registry)
    assert doc.kind == "text"
    assert any("recognise bug" in w for w in doc.warnings)


def test_registering_a_class_or_a_non_reader_is_refused():
    class NoRead:
        name = "noread"
        kinds = "*"

    registry = _registry(("odd", _Plugin(NoRead(), Upper)))
    assert "noread" not in [r.name for r in registry.readers]
    assert any("no read() method" in w for w in registry.warnings)
    assert any("not an instance" in w for w in registry.warnings)


def test_only_a_crashing_reader_gives_a_typed_error():
    class OnlyImages:
        name = "img"
        kinds = ("image",)

        def read(self, data, path, sha256, options):
            raise RuntimeError("decoder bug")

    registry = _registry(("img", _Plugin(OnlyImages())))
    with pytest.raises(UnreadableError, match=r"x\.png: no reader could read it.*decoder bug"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, path="x.png", registry=registry)


def test_image_without_a_reader_says_what_to_install():
    with pytest.raises(UnsupportedTypeError, match="PNG image.*OCR plugin"):
        read_document(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, path="x.png", registry=_registry())


def test_no_text_layer_passes_the_pdf_to_the_next_reader():
    pdf = _image_pdf([None, None])
    with pytest.raises(NoTextLayerError):
        read_document(pdf, path="scan.pdf", registry=_registry())

    class FakeOcr:
        name = "fake-ocr"
        kinds = ("pdf",)
        order = 150

        def read(self, data, path, sha256, options):
            return Document(path=path, sha256=sha256, kind="pdf",
                            pages=[Page(1, "认出的文字"), Page(2, "第二页")])

    doc = read_document(pdf, path="scan.pdf", registry=_registry(("ocr", _Plugin(FakeOcr()))))
    assert doc.text == "认出的文字\n第二页"


def test_mixed_pdf_keeps_text_pages_and_completes_scans():
    long_page = REPORT + "本机关全年共办理政府信息公开申请二十一件，均按期答复。\n" * 10
    pdf = _image_pdf([long_page, None])
    plain = read_document(pdf, path="mixed.pdf", registry=_registry())
    assert plain.pages_without_text == [2]
    assert "主动公开" in plain.pages[0].text
    assert any("not read (scans: 2)" in w for w in plain.warnings)

    seen = []

    class Completer:
        name = "completer"
        kinds = ("pdf",)
        order = 150

        def read(self, data, path, sha256, options):  # pragma: no cover - pdf reader wins
            raise AssertionError

        def complete(self, document, data, options):
            seen.append(list(document.pages_without_text))
            for page in document.pages:
                if page.number in document.pages_without_text:
                    page.text = "补上的第二页"
            document.pages_without_text = []
            return document

    doc = read_document(pdf, path="mixed.pdf", registry=_registry(("c", _Plugin(Completer()))))
    assert seen == [[2]]
    assert doc.pages[1].text == "补上的第二页" and "主动公开" in doc.pages[0].text
    assert not any("not read" in w for w in doc.warnings)


def test_cli_plugins_lists_readers_in_order(capsys, tmp_path):
    plugin = tmp_path / "upperplug.py"
    plugin.write_text("import govreport\n"
                      "class Upper:\n    name = 'upper'\n    kinds = ('text',)\n    order = 800\n"
                      "    def read(self, data, path, sha256, options):\n        raise NotImplementedError\n"
                      "@govreport.hookimpl\n"
                      "def govreport_register_readers(register):\n    register(Upper())\n",
                      encoding="utf-8")
    assert cli_main(["--plugins-dir", str(tmp_path), "plugins"]) == 0
    out = json.loads(capsys.readouterr().out)
    names = [r["name"] for r in out["readers"]]
    assert names.index("pdf") < names.index("upper") < names.index("text")
    upper = next(r for r in out["readers"] if r["name"] == "upper")
    assert upper == {"name": "upper", "plugin": "upperplug", "kinds": ["text"], "order": 800,
                     "description": None}


class _Broken(property):
    """A property that raises when read."""

    def __init__(self):
        super().__init__(lambda self: (_ for _ in ()).throw(RuntimeError("attribute bug")))


@pytest.mark.parametrize("attrs, why", [
    ({"kinds": _Broken()}, "attribute bug"),
    ({"order": _Broken()}, "attribute bug"),
    ({"kinds": 7}, "not a kind or a list of kinds"),
    ({"kinds": ("text", 3)}, "not all text"),
    ({"order": "first"}, "not a number"),
    ({"order": float("nan")}, "not a number"),
    ({"recognise": "yes"}, "recognise is not callable"),
])
def test_a_reader_with_unusable_attributes_is_refused_and_others_work(attrs, why):
    """A reader whose kinds, order or hooks cannot be used is refused at registration,
    with a warning naming it; the built-in readers read the file as usual."""
    def read(self, data, path, sha256, options):
        raise AssertionError("never called")

    cls = type("Odd", (), {"name": "odd", "kinds": ("text",), "read": read, **attrs})
    registry = _registry(("oddplug", _Plugin(cls())))
    assert "odd" not in [getattr(r, "name", None) for r in registry.readers]
    assert any("odd" in w and why in w for w in registry.warnings), registry.warnings
    doc = read_document(REPORT.encode(), path="a.txt", registry=registry)
    assert doc.kind == "text"
