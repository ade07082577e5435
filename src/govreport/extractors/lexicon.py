"""jieba's word frequencies and IDF table as package data, looked up without building dicts.

A parse that tokenises narrative text needs jieba's prefix dictionary (half a million
words and prefixes) and the IDF table behind its TF-IDF keywords (270 thousand words).
jieba builds the first as a dict from ``dict.txt`` or its marshal cache, and reading the
second as a dict takes as long: together most of a one-shot ``govreport parse``. Here
both are sorted tables (``data/jieba_freq.bin``, ``data/jieba_idf.bin``: zlib-compressed
keys and values) searched by bisection — loading is one decompress and one split, and a
parse only ever looks up the few thousand strings its text contains.

The tokenizer is jieba's own ``Tokenizer`` whose ``FREQ`` (:class:`LazyFreq`) holds
exactly what ``Tokenizer.gen_pfdict`` builds for every word a text can meet — loaded
from the table before the text is cut — so it cuts exactly as jieba does
(``tests/test_lexicon.py`` compares the tokens). The tables record the size and
SHA-256 of the jieba files they were built from; with another jieba the tokenizer falls
back to jieba's own dictionary loading.

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
from collections.abc import Iterable
from importlib import resources
from typing import Any

FREQ_FILE = "jieba_freq.bin"
IDF_FILE = "jieba_idf.bin"
_MISSING = object()


class SortedTable:
    """A read-mostly ``str → number`` mapping over sorted keys, with a small dict for
    the words added later (jieba's ``add_word``)."""

    def __init__(self, keys: list[str], values: array, meta: dict[str, Any]):
        self.keys = keys
        self.values = values
        self.meta = meta
        self.added: dict[str, Any] = {}

    def _find(self, key: str) -> Any:
        hit = self.added.get(key, _MISSING)
        if hit is not _MISSING:
            return hit
        keys = self.keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return self.values[i]
        return _MISSING

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
        return len(self.keys) + sum(1 for k in self.added if self._find_base(k) is _MISSING)

    def _find_base(self, key: str) -> Any:
        i = bisect_left(self.keys, key)
        return self.values[i] if i < len(self.keys) and self.keys[i] == key else _MISSING


class LazyFreq(dict):
    """jieba's ``FREQ`` as a plain dict filled on demand: before a text is cut,
    :meth:`ensure` loads every word that starts with one of the text's characters — all
    jieba can look up while cutting it (it only ever looks up substrings of the text) —
    so the cut runs on a real dict at full speed. Words added later (``add_word``) win
    over the table's."""

    def __init__(self, table: SortedTable):
        super().__init__()
        self.table = table
        self.loaded: set[str] = set()
        self.added: dict[str, Any] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        self.added[key] = value
        super().__setitem__(key, value)

    def ensure(self, text: str) -> None:
        new = set(text) - self.loaded
        if not new:
            return
        keys, values = self.table.keys, self.table.values
        for ch in new:
            lo = bisect_left(keys, ch)
            hi = bisect_left(keys, chr(ord(ch) + 1)) if ord(ch) < 0x10FFFF else len(keys)
            if hi > lo:
                self.update(zip(keys[lo:hi], values[lo:hi]))
        self.loaded |= new
        for word, value in self.added.items():
            if word[:1] in new:
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
    keys = "\n".join(k for k, _ in items).encode("utf-8")
    values = array(typecode, (v for _, v in items)).tobytes()
    head = json.dumps({**meta, "typecode": typecode, "keys": len(keys), "n": len(items)},
                      ensure_ascii=False).encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(head + b"\n" + zlib.compress(keys + values, 6))


def load(name: str) -> SortedTable:
    """The table in ``govreport/data/<name>``."""
    raw = resources.files("govreport").joinpath("data").joinpath(name).read_bytes()
    head, _, body = raw.partition(b"\n")
    meta = json.loads(head)
    blob = zlib.decompress(body)
    keys = blob[:meta["keys"]].decode("utf-8").split("\n") if meta["n"] else []
    values = array(meta["typecode"])
    values.frombytes(blob[meta["keys"]:])
    if len(keys) != meta["n"] or len(values) != meta["n"]:
        raise ValueError(f"{name}: corrupt table")
    return SortedTable(keys, values, meta)


def build(outdir: str) -> None:
    """Write both tables from the installed jieba's ``dict.txt`` and ``analyse/idf.txt``."""
    import jieba

    dict_path = _jieba_file("dict.txt")
    with open(dict_path, "rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    _write(os.path.join(outdir, FREQ_FILE), freq.items(), "q",
           {"source": "jieba/dict.txt", **_fingerprint(dict_path), "total": total})
    idf_path = _jieba_file("analyse", "idf.txt")
    idf: dict[str, float] = {}
    with open(idf_path, encoding="utf-8") as fh:
        for line in fh:  # as jieba.analyse.IDFLoader reads it
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    values = sorted(idf.values())
    median = values[len(values) // 2] if values else 1.0
    _write(os.path.join(outdir, IDF_FILE), idf.items(), "d",
           {"source": "jieba/analyse/idf.txt", **_fingerprint(idf_path), "median": median})


# -- what the narrative extractor uses -------------------------------------------------

def _matches_installed(table: SortedTable, *parts: str) -> bool:
    """The table was built from the installed jieba's file (same size and SHA-256)."""
    try:
        path = _jieba_file(*parts)
        if os.path.getsize(path) != table.meta.get("size"):
            return False
        return _fingerprint(path)["sha256"] == table.meta.get("sha256")
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
    idf: dict[str, float] = {}
    with open(_jieba_file("analyse", "idf.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().partition(" ")
            if value:
                idf[word] = float(value)
    values = sorted(idf.values())
    return idf, values[len(values) // 2] if values else 1.0


if __name__ == "__main__":
    here = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data")
    build(sys.argv[1] if len(sys.argv) > 1 else here)
    print(f"wrote {FREQ_FILE} and {IDF_FILE} in {here}")
