"""The shipped jieba tables cut and score exactly as jieba's own dictionary does."""
from __future__ import annotations

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
    sample = list(theirs.FREQ.items())[::997]
    table = ours.FREQ.table
    assert len(table.keys) == len(theirs.FREQ) - sum(
        1 for w in ours.FREQ.added if table.get(w) is None)
    assert all(ours.FREQ.added.get(k, table.get(k)) == v for k, v in sample)
    ours.FREQ.ensure("不存在的词语组合甲乙")
    assert "不存在的词语组合甲乙" not in ours.FREQ and ours.FREQ.get("甲乙丙丁戊", 7) == 7


def test_same_idf_as_jieba_file():
    table, median = lexicon.idf_table()
    assert isinstance(table, lexicon.SortedTable)
    plain: dict[str, float] = {}
    with open(lexicon._jieba_file("analyse", "idf.txt"), encoding="utf-8") as fh:
        for line in fh:
            word, _, value = line.strip().partition(" ")
            if value:
                plain[word] = float(value)
    values = sorted(plain.values())
    assert median == values[len(values) // 2]
    assert len(table.keys) == len(plain)
    assert all(table.get(w) == v for w, v in list(plain.items())[::503])


def test_jieba_import_leaves_pkg_resources_alone():
    code = ("import sys; from govreport.extractors import lexicon; lexicon.import_jieba(); "
            "print('pkg_resources' in sys.modules, 'jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "True"]
