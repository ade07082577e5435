"""The shipped jieba tables cut and score exactly as jieba's own dictionary does."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from _corpus import CORPUS
from govreport import fixtures as F
from govreport.extractors import lexicon, narrative


def _texts() -> list[str]:
    texts = [F.render_text(F.random_spec(seed)) for seed in range(4)]
    texts.append(F.render_text(F.default_spec(era="pre2019")))
    if CORPUS.is_dir():
        texts += [p.read_text(encoding="utf-8", errors="replace")
                  for p in sorted(CORPUS.glob("*.txt"))[:12]]
    texts.append("本机关不掌握相关政府信息；（三）不予公开 3.危及“三安全一稳定” ABC123 ＱＱ号")
    return texts


@pytest.fixture(scope="module")
def tokenizers():
    jieba = lexicon.import_jieba()
    ours = lexicon.new_tokenizer()
    assert isinstance(ours.FREQ, lexicon.LazyFreq)  # the shipped table is in use
    theirs = jieba.Tokenizer()
    theirs.initialize()
    for tok in (ours, theirs):
        for word, freq, tag in narrative._userdict_words():
            tok.add_word(word, freq, tag)
    return ours, theirs


def test_same_tokens_as_jieba(tokenizers):
    ours, theirs = tokenizers
    assert ours.total == theirs.total
    for text in _texts():
        assert list(ours.cut(text, HMM=False)) == list(theirs.cut(text, HMM=False))
        assert ours.lcut(text) == theirs.lcut(text)
        assert ours.lcut(text, cut_all=True) == theirs.lcut(text, cut_all=True)


def test_table_holds_what_jieba_builds(tokenizers):
    ours, theirs = tokenizers
    table = ours.FREQ.table
    jieba = lexicon.import_jieba()
    with open(lexicon._jieba_file("dict.txt"), "rb") as fh:
        freq, total = jieba.Tokenizer.gen_pfdict(fh)
    assert dict(table.items()) == freq and table.n == len(freq)
    assert table.meta["total"] == total
    assert len(table) == len(theirs.FREQ) - sum(
        1 for w in ours.FREQ.added if table.get(w) is None)
    ours.FREQ.ensure("不存在的词语组合甲乙")
    assert "不存在的词语组合甲乙" not in ours.FREQ and ours.FREQ.get("甲乙丙丁戊", 7) == 7


def test_tables_built_from_the_installed_files():
    """The run-time check compares jieba's version and the file sizes; here the hashes."""
    for name, parts in ((lexicon.FREQ_FILE, ("dict.txt",)),
                        (lexicon.IDF_FILE, ("analyse", "idf.txt"))):
        table = lexicon.load(name)
        assert table.meta["jieba"] == lexicon.import_jieba().__version__
        assert lexicon._fingerprint(lexicon._jieba_file(*parts)) == {
            "size": table.meta["size"], "sha256": table.meta["sha256"]}


def test_lookups_load_only_the_groups_they_need():
    table = lexicon.load(lexicon.FREQ_FILE)
    freq = lexicon.LazyFreq(table)
    freq.ensure("政府信息公开")
    # the characters and every word under the text's two-character prefixes, no more
    assert "政府部门" in freq and "政府" in freq and "信息" in freq
    assert "政" in freq and not any(w.startswith("政治") for w in freq)
    assert all(len(w) == 1 or w[:2] in {"政府", "府信", "信息", "息公", "公开"} for w in freq)
    # a word added before its group is loaded wins over the table's entry
    freq["公示"] = 5
    freq.ensure("信息公示")
    assert freq["公示"] == 5 and freq["公示栏"] == table.get("公示栏")


def test_corrupt_table_is_refused(tmp_path):
    path = tmp_path / "t.bin"
    lexicon._write(str(path), [("甲乙", 1), ("甲", 0), ("乙", 2), ("乙丙丁", 4)], "q", {})
    raw = path.read_bytes()
    end = raw.index(b"\n")
    meta = json.loads(raw[:end])
    table = lexicon.BlockTable(raw, meta, end + 1)
    assert dict(table.items()) == {"甲乙": 1, "甲": 0, "乙": 2, "乙丙丁": 4}
    assert table.get("甲乙") == 1 and "丙" not in table and table.get("甲丙", 3) == 3
    with pytest.raises(ValueError):
        lexicon.BlockTable(raw[:-1], meta, end + 1)


def test_same_idf_as_jieba_file():
    table, median = lexicon.idf_table()
    assert isinstance(table, lexicon.BlockTable)
    plain = lexicon.read_idf_file(lexicon._jieba_file("analyse", "idf.txt"))
    values = sorted(plain.values())
    assert median == values[len(values) // 2]
    assert table.n == len(plain) and dict(table.items()) == plain
    assert all(table.get(w) == v for w, v in list(plain.items())[::503])


def test_jieba_import_leaves_pkg_resources_alone():
    code = ("import sys; from govreport.extractors import lexicon; lexicon.import_jieba(); "
            "print('pkg_resources' in sys.modules, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]


def test_tables_of_another_jieba_fall_back_to_its_own_files(monkeypatch):
    monkeypatch.setattr(lexicon, "_jieba_version", lambda: "0.0-other")
    table, median = lexicon.idf_table()
    assert isinstance(table, dict) and not isinstance(table, lexicon.BlockTable)
    assert table == lexicon.read_idf_file(lexicon._jieba_file("analyse", "idf.txt"))
    tok = lexicon.new_tokenizer()
    assert not isinstance(tok.FREQ, lexicon.LazyFreq) and tok.initialized
