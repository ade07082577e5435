"""Build OFD packages (GB/T 33190) for tests: from a PDF's characters and rules, or by hand."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

NS = "http://www.ofdspec.org/2016"
MM = 25.4 / 72  # mm per point


def ofd_package(pages: list[str], *, extra: dict[str, bytes] | None = None,
                page_loc: str = "Pages/Page_{i}/Content.xml") -> bytes:
    """An OFD holding the given page ``<ofd:Content>`` bodies."""
    refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="{page_loc.format(i=i)}"/>' for i in range(len(pages)))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("OFD.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:OFD xmlns:ofd="{NS}" '
                               f'Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo><ofd:DocID>x'
                               f'</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>'
                               f'</ofd:DocBody></ofd:OFD>')
        zf.writestr("Doc_0/Document.xml", f'<?xml version="1.0" encoding="UTF-8"?><ofd:Document '
                                          f'xmlns:ofd="{NS}"><ofd:CommonData><ofd:PageArea><ofd:PhysicalBox>'
                                          f'0 0 210 297</ofd:PhysicalBox></ofd:PageArea></ofd:CommonData>'
                                          f'<ofd:Pages>{refs}</ofd:Pages></ofd:Document>')
        for i, body in enumerate(pages):
            zf.writestr("Doc_0/" + page_loc.format(i=i),
                        f'<?xml version="1.0" encoding="UTF-8"?><ofd:Page xmlns:ofd="{NS}">'
                        f'<ofd:Content><ofd:Layer ID="{i + 100}">{body}</ofd:Layer></ofd:Content></ofd:Page>')
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return buf.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ofd_from_pdf(pdf: Path) -> bytes:
    """The PDF's layout as OFD: one TextObject per text line (DeltaX advances), one
    PathObject per ruling edge — what an OFD export of the same report holds."""
    import pdfplumber

    bodies = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            objs = []
            lines: dict[tuple[float, float], list[dict]] = {}
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                lines.setdefault((round(ch["bottom"], 1), round(ch["size"], 1)), []).append(ch)
            for (bottom, size), chars in sorted(lines.items()):
                chars.sort(key=lambda c: c["x0"])
                # split where the gap is wide (separate cells), so each run is one TextCode
                runs = [[chars[0]]]
                for c in chars[1:]:
                    if c["x0"] - runs[-1][-1]["x1"] > size:
                        runs.append([c])
                    else:
                        runs[-1].append(c)
                for run in runs:
                    deltas = " ".join(f"{(b['x0'] - a['x0']) * MM:.3f}" for a, b in zip(run, run[1:]))
                    text = _esc("".join(c["text"] for c in run))
                    x0 = run[0]["x0"] * MM
                    objs.append(f'<ofd:TextObject ID="1" Boundary="{x0:.3f} 0 200 297" Font="1" '
                                f'Size="{size * MM:.3f}"><ofd:TextCode X="0" Y="{bottom * MM:.3f}"'
                                + (f' DeltaX="{deltas}"' if deltas else "") + f'>{text}</ofd:TextCode>'
                                f'</ofd:TextObject>')
            for e in page.edges:
                objs.append(f'<ofd:PathObject ID="2" Boundary="0 0 210 297" LineWidth="0.2">'
                            f'<ofd:AbbreviatedData>M {e["x0"] * MM:.3f} {e["top"] * MM:.3f} '
                            f'L {e["x1"] * MM:.3f} {e["bottom"] * MM:.3f}</ofd:AbbreviatedData>'
                            f'</ofd:PathObject>')
            bodies.append("".join(objs))
    return ofd_package(bodies)
