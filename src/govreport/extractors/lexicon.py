"""jieba's word frequencies and IDF table as package data, read one first character at a time.

A parse that tokenises narrative text needs jieba's prefix dictionary (half a million
words and prefixes) and the IDF table behind its TF-IDF keywords (270 thousand words).
jieba builds the first as a dict from ``dict.txt`` or its marshal cache, and reading the
second as a dict takes as long: together most of a one-shot ``govreport parse``. Here
both are :class:`BlockTable` files (``data/jieba_freq.bin``, ``data/jieba_idf.bin``): one
compressed block per first character, cut into groups by the first two characters, so a
parse decompresses only the blocks of the characters its text holds and builds only the
groups of its two-character substrings (a report: about 9 thousand dictionary entries
instead of half a million).

The tokenizer is jieba's own ``Tokenizer`` whose ``FREQ`` (:class:`LazyFreq`) holds
exactly what ``Tokenizer.gen_pfdict`` builds for every word a text can meet — loaded
from the table before the text is cut — so it cuts exactly as jieba does
(``tests/test_lexicon.py`` compares the tokens and the whole tables). The tables record
the jieba version and the size and SHA-256 of the files they were built from; a parse
compares the version and the size (hashing 11 MB would cost a tenth of a cold start; the
tests compare the SHA-256), and with another jieba falls back to jieba's own loading.

Rebuild after upgrading jieba: ``python -m govreport.extractors.lexicon``.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
import zlib
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from importlib import resources
from itertools import accumulate, groupby
from typing import Any

FREQ_FILE = "jieba_freq.bin"
IDF_FILE = "jieba_idf.bin"
FORMAT = 2  # 1: one sorted table; 2: blocks by first character
_MISSING = object()


class BlockTable:
    """A read-mostly ``str → number`` mapping stored as one compressed block per first
    character, each block cut into groups by the key's first two characters. A lookup
    decompresses the block of its key and turns only the key's group into a dict, so
    a text's few thousand look-ups never build the whole half-million-entry table.
    Words added later (jieba's ``add_word``) go to a small dict that wins over the file.
    """

    def __init__(self, raw: bytes, meta: dict[str, Any], start: int):
        self.meta = meta
        self.n: int = meta["n"]
        self._typecode: str = meta["typecode"]
        self._chars: str = meta["chars"]  # sorted: a block is found by bisection
        nblocks = len(self._chars)
        self._offsets = array("I")
        self._offsets.frombytes(raw[start:start + 4 * (nblocks + 1)])
        self._raw = raw
        self._base = start + 4 * (nblocks + 1)
        self._groups: dict[str, dict[str, Any]] = {}
        self._blocks: dict[str, _Block | None] = {}
        self.added: dict[str, Any] = {}
        if self._offsets.itemsize != 4 or self._base + self._offsets[-1] != len(raw):
            raise ValueError("corrupt table index")

    def _read_block(self, ch: str) -> _Block | None:
        i = bisect_left(self._chars, ch)
        if i == len(self._chars) or self._chars[i] != ch:
            return None
        base = self._base
        return _Block(ch, zlib.decompress(
            self._raw[base + self._offsets[i]:base + self._offsets[i + 1]]), self._typecode)

    def _block(self, ch: str) -> _Block | None:
        """The block of ``ch``, decompressed once (a tokenizer's ``add_word`` calls and
        the text's cut meet the same blocks; all blocks together are a few MB)."""
        if ch in self._blocks:
            return self._blocks[ch]
        block = self._blocks[ch] = self._read_block(ch)
        return block

    def _groups_of(self, ch: str, prefixes: Iterable[str]) -> Iterator[tuple[str, Any]]:
        """The entries of the groups ``prefixes`` (all starting with ``ch``)."""
        block = self._block(ch)
        if block is not None:
            for prefix in prefixes:
                yield from block.group(prefix)

    def pairs(self, prefixes: Iterable[str]) -> Iterator[tuple[str, Any]]:
        """The file's entries (not the added words) whose key is a one-character prefix
        in ``prefixes`` or starts with a two-character one; each block read once."""
        by_char: dict[str, list[str]] = {}
        for p in prefixes:
            if p:
                by_char.setdefault(p[0], []).append(p[:2])
        for ch, group in by_char.items():
            yield from self._groups_of(ch, group)

    def _find(self, key: str) -> Any:
        hit = self.added.get(key, _MISSING)
        if hit is _MISSING and key:
            prefix = key[:2]
            group = self._groups.get(prefix)
            if group is None:
                group = self._groups[prefix] = dict(self._groups_of(key[0], (prefix,)))
            hit = group.get(key, _MISSING)
        return hit

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) is not _MISSING

    def __getitem__(self, key: str) -> Any:
        v = self._find(key)
        if v is _MISSING:
            raise KeyError(key)
        return v

    def get(self, key: str, default: Any = None) -> Any:
        v = self._find(key)
        return default if v is _MISSING else v

    def __setitem__(self, key: str, value: Any) -> None:
        self.added[key] = value

    def __len__(self) -> int:
        added = [k for k in self.added if k]
        base = dict(self.pairs({k[:2] for k in added}))
        return self.n + sum(1 for k in self.added if k not in base)

    def items(self) -> Iterator[tuple[str, Any]]:
        """Every entry of the file (not the added words)."""
        for ch in self.meta["chars"]:
            block = self._read_block(ch)
            assert block is not None
            for prefix in block.prefixes():
                yield from block.group(prefix)


class _Block:
    """One decompressed block: ``[n, groups, single]`` (uint32); each group's number of
    keys, then its number of key bytes (uint16 each); the values; the keys (UTF-8, each
    followed by a line break); the second character of each group's keys (the group of
    the one-character key, first when ``single``, has none)."""

    def __init__(self, ch: str, blob: bytes, typecode: str):
        head = array("I")
        head.frombytes(blob[:12])
        n, ngroups, self.single = head
        self.ch = ch
        sizes, self.values = array("H"), array(typecode)
        pos = 12 + 4 * ngroups
        sizes.frombytes(blob[12:pos])
        self.lines = array("I", accumulate(sizes[:ngroups], initial=0))
        self.offs = array("I", accumulate(sizes[ngroups:], initial=0))
        self.values.frombytes(blob[pos:pos + n * self.values.itemsize])
        pos += n * self.values.itemsize
        self.keys = blob[pos:pos + self.offs[-1]]
        self.seconds = blob[pos + self.offs[-1]:].decode("utf-8")
        if (len(self.lines) != ngroups + 1 or self.lines[-1] != n or len(self.values) != n
                or len(self.seconds) + self.single != ngroups):
            raise ValueError(f"corrupt table block {ch!r}")

    def prefixes(self) -> list[str]:
        return [self.ch] * self.single + [self.ch + c for c in self.seconds]

    def group(self, prefix: str) -> Iterator[tuple[str, Any]]:
        """The entries of the key ``prefix`` (one character) or of the keys starting
        with ``prefix`` (two characters)."""
        if len(prefix) == 1:
            g = 0 if self.single else -1
        else:
            g = self.seconds.find(prefix[1])
            g = g + self.single if g >= 0 else -1
        if g < 0:
            return iter(())
        lines = self.lines
        words = self.keys[self.offs[g]:self.offs[g + 1] - 1].decode("utf-8").split("\n")
        if len(words) != lines[g + 1] - lines[g]:
            raise ValueError(f"corrupt table block {self.ch!r}")
        return zip(words, self.values[lines[g]:lines[g + 1]])


class LazyFreq(dict):
    """jieba's ``FREQ`` as a plain dict filled on demand: before a text is cut,
    :meth:`ensure` loads the text's characters and every word that starts with one of
    its two-character substrings — all jieba can look up while cutting it (it only ever
    looks up substrings of the text) — so the cut runs on a real dict at full speed.
    Words added later (``add_word``) win over the table's."""

    def __init__(self, table: BlockTable):
        super().__init__()
        self.table = table
        self.loaded: set[str] = set()
        self.added: dict[str, Any] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        self.added[key] = value
        super().__setitem__(key, value)

    def ensure(self, text: str) -> None:
        new = set(text)
        new.update(text[i:i + 2] for i in range(len(text) - 1))
        new -= self.loaded
        if not new:
            return
        self.update(self.table.pairs(new))
        self.loaded |= new
        for word, value in self.added.items():
            if word[:2] in new:
                dict.__setitem__(self, word, value)


# -- files ----------------------------------------------------------------------------

def _jieba_file(*parts: str) -> str:
    import importlib.util

    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("jieba is not installed")
    return os.path.join(list(spec.submodule_search_locations)[0], *parts)


def _fingerprint(path: str) -> dict[str, Any]:
    with open(path, "rb") as fh:
        data = fh.read()
    return {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}


def _write(path: str, pairs: Iterable[tuple[str, float | int]], typecode: str,
           meta: dict[str, Any]) -> None:
    items = sorted(pairs)
    if any(not k or "\n" in k for k, _ in items):
        raise ValueError("keys must be non-empty and hold no line break")
    chars: list[str] = []
    offsets = array("I", [0])
    blocks: list[bytes] = []
    for ch, block in groupby(items, key=lambda kv: kv[0][0]):
        entries = list(block)
        lines, offs, seconds = [], [], []
        keys = bytearray()
        single = int(entries[0][0] == ch)
        for i, (key, _) in enumerate(entries):
            if i == 0 or (len(key) > 1 and key[:2] != entries[i - 1][0][:2]):
                lines.append(i)
                offs.append(len(keys))
                if len(key) > 1:
                    seconds.append(key[1])
            keys += key.encode("utf-8") + b"\n"
        lines.append(len(entries))
        offs.append(len(keys))
        sizes = array("H", [b - a for a, b in zip(lines, lines[1:])]
                      + [b - a for a, b in zip(offs, offs[1:])])  # OverflowError past 65535
        data = (array("I", [len(entries), len(lines) - 1, single]).tobytes() + sizes.tobytes()
                + array(typecode, (v for _, v in entries)).tobytes()
                + bytes(keys) + "".join(seconds).encode("utf-8"))
        blocks.append(zlib.compress(data, 9))
        chars.append(ch)
        offsets.append(offsets[-1] + len(blocks[-1]))
    head = json.dumps({**meta, "format": FORMAT, "typecode": typecode, "n": len(items),
                       "byteorder": sys.byteorder, "chars": "".join(chars)},
                      ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(head + b"\n" + offsets.tobytes() + b"".join(blocks))


def load(name: str) -> BlockTable:
    """The table in ``govreport/data/<name>``."""
    raw = resources.files("govreport").joinpath("data").joinpath(name).read_bytes()
    end = raw.index(b"\n")
    meta = json.loads(raw[:end])
    if meta.get("format") != FORMAT or meta.get("byteorder") != sys.byteorder:
        raise ValueError(f"{name}: a table of another format or byte order")
    return BlockTable(raw, meta, end + 1)


def _jieba_version() -> str:
    return str(getattr(import_jieba(), "__version__", ""))


def read_idf_file(path: str) -> dict[str, float]:
    """jieba's ``idf.txt`` as a dict, read as ``jieba.analyse.IDFLoader`` reads it."""
    idf: dict[str, float] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    return idf


def _median(values: Iterable[float]) -> float:
    ordered = sorted(values)
    return ordered[len(ordered) // 2] if ordered else 1.0


def build(outdir: str) -> None:
    """Write both tables from the installed jieba's ``dict.txt`` and ``analyse/idf.txt``."""
    jieba = import_jieba()
    version = {"jieba": _jieba_version()}
    dict_path = _jieba_file("dict.txt")
    with open(dict_path, "rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    _write(os.path.join(outdir, FREQ_FILE), freq.items(), "q",
           {"source": "jieba/dict.txt", **version, **_fingerprint(dict_path), "total": total})
    idf_path = _jieba_file("analyse", "idf.txt")
    idf = read_idf_file(idf_path)
    _write(os.path.join(outdir, IDF_FILE), idf.items(), "d",
           {"source": "jieba/analyse/idf.txt", **version, **_fingerprint(idf_path),
            "median": _median(idf.values())})


# -- what the narrative extractor uses -------------------------------------------------

def _matches_installed(table: BlockTable, *parts: str) -> bool:
    """The table was built from the installed jieba's file: same jieba version, same
    file size (``tests/test_lexicon.py`` checks the SHA-256 too)."""
    try:
        return (table.meta.get("jieba") == _jieba_version()
                and os.path.getsize(_jieba_file(*parts)) == table.meta.get("size"))
    except OSError:
        return False


def import_jieba():
    """``import jieba`` without its ``import pkg_resources`` (half a second of setuptools,
    used only to open jieba's own files, which its fallback opens directly)."""
    if "jieba" in sys.modules:
        return sys.modules["jieba"]
    had = "pkg_resources" in sys.modules
    if not had:
        sys.modules["pkg_resources"] = None  # an ImportError for jieba._compat
    try:
        import jieba
    finally:
        if not had and sys.modules.get("pkg_resources", _MISSING) is None:
            del sys.modules["pkg_resources"]
    return jieba


def new_tokenizer():
    """A ``jieba.Tokenizer`` ready to cut: its dictionary from the shipped table when
    that was built from the installed jieba, else jieba's own loading."""
    jieba = import_jieba()
    tok = jieba.Tokenizer()
    try:
        table = load(FREQ_FILE)
        usable = _matches_installed(table, "dict.txt")
    except (OSError, ValueError):
        usable = False
    if not usable:
        tok.initialize()
        return tok
    tok = _lazy_class(jieba)()
    tok.FREQ = LazyFreq(table)
    tok.total = table.meta["total"]
    tok.initialized = True
    return tok


_LAZY: dict[str, type] = {}


def _lazy_class(jieba) -> type:
    """``jieba.Tokenizer`` whose ``cut`` first loads the words its text can meet."""
    cls = _LAZY.get("tokenizer")
    if cls is None:
        class LazyTokenizer(jieba.Tokenizer):
            def cut(self, sentence, *args, **kwargs):
                if isinstance(self.FREQ, LazyFreq):
                    self.FREQ.ensure(sentence if isinstance(sentence, str) else str(sentence))
                return super().cut(sentence, *args, **kwargs)

            def add_word(self, word, freq=None, tag=None):
                if isinstance(self.FREQ, LazyFreq):  # its prefixes must see the table
                    self.FREQ.ensure(word if isinstance(word, str) else str(word))
                return super().add_word(word, freq, tag)

        cls = _LAZY["tokenizer"] = LazyTokenizer
    return cls


def idf_table() -> tuple[Any, float]:
    """(word → IDF, median IDF): the shipped table, or jieba's file read as a dict."""
    try:
        table = load(IDF_FILE)
        if _matches_installed(table, "analyse", "idf.txt"):
            return table, table.meta["median"]
    except (OSError, ValueError):
        pass
    idf = read_idf_file(_jieba_file("analyse", "idf.txt"))
    return idf, _median(idf.values())


if __name__ == "__main__":
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
    build(sys.argv[1] if len(sys.argv) > 1 else here)
    print(f"wrote {FREQ_FILE} and {IDF_FILE} in {here}")
