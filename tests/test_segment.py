"""Our dictionary segmentation cuts every text into jieba's words (``cut(HMM=False)``)."""
from __future__ import annotations

import random

from _corpus import CORPUS
from govreport import fixtures as F
from govreport.extractors.narrative import tokenizer
from govreport.extractors.segment import cut


def _texts() -> list[str]:
    texts = [F.render_text(F.default_spec()), F.render_text(F.default_spec(era="pre2019")),
             F.render_text(F.random_spec(9, traditional=True))]
    if CORPUS.is_dir():
        for p in sorted(CORPUS.iterdir()):
            if p.suffix in (".txt", ".md", ".html"):
                texts.append(p.read_text(encoding="utf-8", errors="replace"))
    return texts


def test_same_words_as_jieba_on_report_texts():
    tok = tokenizer()
    n = 0
    for text in _texts():
        ours = cut(tok, text)
        assert ours == list(tok.cut(text, HMM=False))
        n += len(ours)
    assert n > 3000


def test_same_words_as_jieba_on_random_text():
    """Mixed scripts, digits and letters between Chinese words, punctuation, spaces,
    characters jieba's dictionary lacks."""
    tok = tokenizer()
    pieces = ["政府信息公开", "申请", "依申请公开", "行政复议", "年度报告", "的", "了", "和",
              "2024", "年", "GDP", "A", "b", "3", "x1", "，", "。", " ", "\n", "—", "%", "㐀",
              "𠀀", "ｱ", "政", "府", "公开工作", "不予公开", "12345", ".", "_", "#", "&",
              "网站", "平台", "人员", "机制", "区", "县", "局", "e-mail", "。。"]
    rng = random.Random(44)
    for _ in range(2000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert cut(tok, text) == list(tok.cut(text, HMM=False)), text
