"""What every offline page of govreport shares: escaping, data: URIs, the CJK font stack
and the page shell with its CSS and JavaScript inlined.

Offline means the page asks the network for nothing: no CDN, no web font, no script or
image by URL. Everything a page shows is inside the one file (images as ``data:`` URIs).
Chinese text renders with the reader's own fonts, in the order of :data:`FONT_STACK`.
"""
from __future__ import annotations

import base64
import html
from importlib import resources

#: The CSS font stack of every page: system UI fonts first, then the CJK fonts of macOS
#: (PingFang, Hiragino), Windows (Microsoft YaHei), Linux (Noto/Source Han, WenQuanYi).
FONT_STACK = ('system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", '
              '"Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", '
              '"WenQuanYi Micro Hei", "WenQuanYi Zen Hei", sans-serif')


def esc(value: object) -> str:
    """Text (or any value shown as text) escaped for HTML content and attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def data_uri(data: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def csv_data_uri(text: str) -> str:
    """A CSV file as a ``data:`` link (UTF-8 with a BOM, so Excel reads the Chinese)."""
    return data_uri(("\ufeff" + text).encode("utf-8"), "text/csv;charset=utf-8")


def asset(name: str) -> str:
    """A CSS/JS file shipped in ``govreport/view/assets``."""
    return (resources.files("govreport.view") / "assets" / name).read_text("utf-8")


# No request may leave the page: default-src 'none' blocks anything that slipped in,
# data: images and the inline style/script are all the page needs.
_CSP = ("default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        "script-src 'unsafe-inline'; font-src 'none'; connect-src 'none'")


def page(title: str, body: str, *, css: str, js: str = "") -> str:
    """One self-contained HTML document."""
    script = f"<script>\n{js}\n</script>\n" if js else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{_CSP}\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        "<meta name=\"generator\" content=\"govreport\">\n"
        f"<title>{esc(title)}</title>\n"
        f"<style>\n:root {{ --font: {FONT_STACK}; }}\n{css}\n</style>\n</head>\n"
        f"<body>\n{body}\n{script}</body>\n</html>\n")
