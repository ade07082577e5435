"""Text normalisation with an offset map back to the raw text.

``normalize(raw)`` returns a :class:`NormText` whose ``.text`` is what extractors match
against (Simplified script, mainland wording, clean spaces) and whose
``.source_span(start, end)`` gives the raw offsets of any normalised span, so a fact found
at normalised ``[s, e)`` can be shown in the source's own wording (docs/schema.md, "Provenance":
``text`` is the source's own wording).

Steps, in order (each keeps the offset map):

1. Line ends and invisible characters: ``\\r\\n``/``\\r`` → ``\\n``; zero-width characters and
   soft hyphens dropped; NBSP, U+3000 and the other Unicode spaces → ``" "``; lone
   surrogates (bad decodes) → U+FFFD.
2. Full-width ASCII → ASCII for digits, letters and ``％ ． ／ － ＋ ＝ ＜ ＞ ＠ ＃ ＆ ＊ ＿ ｜
   ～ …`` (``１２．５％`` → ``12.5%``, ``1．属于国家秘密`` → ``1.属于国家秘密``); Chinese
   punctuation ``，。、；：！？（）【】“”`` is kept.  Kangxi radicals and CJK
   compatibility ideographs that PDF fonts emit (``⼀`` U+2F00) → the unified ideograph.
3. Pinyin annotations of spam mirrors after a CJK character are removed
   (``公(gong)开(kai)`` → ``公开``); only real pinyin syllables of 2–6 letters count.
4. Spaces between two CJK characters (or CJK punctuation) are removed (``总 计`` → ``总计``,
   ``本年度办 理结果``); spaces between numbers (``21 0 0``: table cells) or around Latin
   words are kept.  Tabs and newlines are never touched.
5. Page footer lines (``- 3 -``, ``— 1 —``, ``-3-``, ``第 3 页``, ``第3页 共5页``) are
   dropped when they are a whole line.
6. OpenCC ``t2s`` — applied to *every* text, Simplified too: it is a no-op on all the
   Simplified corpus files (measured), costs ~1 ms per 10k characters, and fixes stray
   Traditional characters in mostly-Simplified text (big5 gateway pages, mirrors).
7. Only when the source is Traditional: :data:`TW_TERMS`, a small curated, context-sensitive
   map of Taiwan-localised wording back to mainland terms (keys are post-``t2s``).
   ``tw2sp`` wholesale is never used (行政规范性文件 → 行政规范性文档, 行政查询 → 行政查找).
   Measured: re-rendering the 41 Simplified corpus texts with OpenCC ``s2twp`` and
   normalising gives the same text as normalising the original for 99.92 % of characters
   (the rest: 运行/执行, 查看/检视, 支持/支援 … where either reading is mainland usage).

Offsets: every step records, for each output character, the raw span it came from.  Steps
that change one character into one character (folding, ``t2s``) keep offsets as they are;
deletions drop characters from the map; a replacement of a different length maps each new
character to the whole replaced raw span (``门户网站`` ← ``入口網站``).  ``t2s`` is 1:1 in
practice; if a line ever changes length it is mapped proportionally.

``import govreport.normalize`` does not import OpenCC; it is loaded on first use.
"""
from __future__ import annotations

import bisect
import functools
import re
import sys
import unicodedata
from dataclasses import dataclass, field

from .lazyre import lazy
from .script import _HAN_RANGES, _t2s, detect_script, script_counts

# detect_script and script_counts (govreport.script) are part of this module's interface

__all__ = ["NormText", "TW_TERMS", "detect_script", "normalize", "normalize_cell",
           "script_counts"]


# ---------------------------------------------------------------------------------------
# Taiwan-localised wording → mainland wording.  Applied ONLY to text detected (or declared)
# as Traditional, AFTER OpenCC t2s, so patterns are written in Simplified characters.
# Each entry: (regex, replacement).  Order matters where keys overlap: longer and more
# specific entries first (they are combined into one alternation, first match wins).
# Sources checked: corpus/baotou-2013.txt, snippets/*-trad.txt, and s2twp round trips of
# the Simplified corpus (the eval scorer re-renders Simplified reports with s2twp).
# ---------------------------------------------------------------------------------------
TW_TERMS: list[tuple[str, str]] = [
    # 資訊 is Taiwan for 信息 (政府資訊公開, 資訊處理費); s2twp turns every 信息 into 資訊.
    (r"资讯", "信息"),
    # s2twp: 数据 → 資料.  资料 is also mainland (宣传资料, 登记资料), so only the
    # contexts where 资料 can only be 数据: table-3 caption 本列数据的勾稽关系, preamble
    # 本报告所列数据的统计期限, 数据库, 大数据, numbered column headers (数据1 …).
    (r"资料库", "数据库"),
    (r"(?<=本列|所列)资料", "数据"),
    (r"大资料", "大数据"),
    (r"资料(?=[0-9])", "数据"),
    (r"资料(?=同源|开放|共享|治理|安全|要素|中心|丢失|准确)", "数据"),
    (r"(?<=政务)资料", "数据"),
    # 入口網站 = 门户网站 (baotou ×5; s2twp 门户网站 → 入口網站).
    (r"入口网站", "门户网站"),
    # 檔案 = 文件 (规范性檔案 = 规范性文件, baotou 政务服务檔案精神); s2twp 文件 → 檔案.
    # Real archives stay: 档案馆/局/室/柜, 人事档案, 档案管理 …
    (r"规范性档案", "规范性文件"),
    (r"(?<!人事|干部|历史|城建|纸质|实物|会计|文书|学籍|婚姻|诉讼|健康|信用|土地|房产"
     r"|科技|声像|照片|利用|归档|诚信|个人|企业|病历|户籍|民生|电子)档案"
     r"(?!馆|館|局|室|柜|库|袋|盒|号|管理|工作|资料|利用|查阅|查询|整理|移交|保管|保护"
     r"|事业|信息化|数字化|部门|机构|法|学)", "文件"),
    # 網際網路 = 互联网 (must precede 网路 → 网络).
    (r"网际网路", "互联网"),
    # 網路 = 网络 (baotou 电子政务網路平台).
    (r"网路", "网络"),
    # 觸控(式)螢幕 = 触摸屏 (baotou 电子觸控螢幕; s2twp 触摸屏 → 觸控式螢幕); 螢幕 = 屏幕.
    (r"触控式?萤幕", "触摸屏"),
    (r"萤幕", "屏幕"),
    # 連結 = 链接 (baotou 公开栏的連結; s2twp 原文链接 → 原文連結).
    (r"连结", "链接"),
    # 設定 = 设置 (baotou 政务大厅設定了; s2twp 设置 → 設定).
    (r"设定", "设置"),
    # 程式 = 程序 (baotou 发布程式).
    (r"程式", "程序"),
    # 套用 = 应用 (baotou 电子政务套用工作).
    (r"套用", "应用"),
    # 聯絡 = 联系 (site boilerplate 聯絡我們; s2twp 联系 → 聯絡).  联络员/处/组… are mainland.
    (r"联络我们", "联系我们"),
    (r"联络(?!员|處|处|组|站|点|办|部|官|室)", "联系"),
    # 線上 = 在线 (s2twp 在线 → 線上).  线上 is also mainland (线上线下, 线上平台), so only
    # before words that in mainland reports take 在线.
    (r"线上(?=访谈|咨询|申请|问答|留言|互动|答疑|客服|解答|回复|答复|受理|提交|填报|预约|申报|"
     r"查询|直播|调查|评议|办理|或(?!者?线下))", "在线"),
    # 數位 = 数字 (數位政府 = 数字政府).
    (r"数位", "数字"),
    # 影片 / 視訊 = 视频.
    (r"影片|视讯", "视频"),
    # 品質 = 质量 (beijing-2024 高品質发展, 答复品質).  Not inside 产品质量/药品质量.
    (r"(?<![产药商食物用])品质(?!量)", "质量"),
    # 運作 = 运行 (beijing-2024 big5 gateway: 运行 → 運作); 封关运作 etc. are mainland.
    (r"(?<!封关|市场|资本|项目)运作", "运行"),
    # s2twp 运行 → 執行; only where 执行 cannot be mainland 执行 (预算执行, 严格执行 stay).
    (r"(?<=平稳|稳定|高效|安全|顺畅|通畅|正常|良好|上线|权力|系统|平台|网站)执行", "运行"),
    (r"执行(?=正常|平稳|环境|维护)", "运行"),
    # 釋出 = 发布 (s2twp 发布 → 釋出: 共发布政府信息N条, 新闻发布会).
    (r"释出", "发布"),
    # 專案 = 项目 (s2twp 项目 → 專案: 上一年项目数量, 采购项目数量).  专案组 is mainland.
    (r"专案(?!组)", "项目"),
    # 物件 = 对象 (s2twp 保障对象 → 保障物件).
    (r"物件", "对象"),
    # 型別 = 类型 (s2twp 其他类型 → 其他型別).
    (r"型别", "类型"),
    # 社群 = 社区 (s2twp 社区 → 社群).
    (r"社群", "社区"),
    # 視窗 = 窗口 (s2twp 办事窗口 → 辦事視窗).
    (r"视窗", "窗口"),
    # 最佳化 = 优化 (shanghai-2012-trad; s2twp 优化 → 最佳化).
    (r"最佳化", "优化"),
    # 巨觀 = 宏观 (shanghai-2012-trad).
    (r"巨观", "宏观"),
    # 模組 = 模块.
    (r"模组", "模块"),
    # 稽核 = 审核 (s2twp 审核 → 稽核); 社保/医保/税务稽核 are mainland.
    (r"(?<!社保|医保|保险|税务|审计)稽核", "审核"),
    # 使用者 = 用户.
    (r"使用者", "用户"),
    # 軟體/硬體 = 软件/硬件, 列印 = 打印, 介面 = 界面, 伺服器 = 服务器, 登入 = 登录,
    # 行動裝置 = 移动设备.
    (r"软体", "软件"),
    (r"硬体", "硬件"),
    (r"列印", "打印"),
    (r"(?<![媒中简引])介面", "界面"),
    (r"伺服器", "服务器"),
    (r"登入", "登录"),
    (r"行动装置", "移动设备"),
    # s2twp: 集群 → 叢集, 复印 → 影印, 信号 → 訊號 (微信号 → 微訊號), 调度 → 排程.
    (r"丛集", "集群"),
    (r"影印", "复印"),
    (r"讯号", "信号"),
    # 訊息 = 信息 (s2twp 信息查找 → 訊息查詢).
    (r"讯息", "信息"),
    # s2twp: 搜索 → 搜尋, 音频 → 音訊, 注销 → 登出, 智能问答 → 智慧問答.
    (r"搜寻", "搜索"),
    (r"音讯", "音频"),
    (r"登出", "注销"),
    (r"智慧(?=问答|推送|搜索|搜寻|推荐|检索|客服|应答)", "智能"),
    (r"排程", "调度"),
    # 水準 = 水平 (beijing-2024 big5 gateway: 业务水平 → 業務水準).
    (r"水准", "水平"),
    # 谘詢: variant 谘 survives t2s (c3e5 mirror 谘詢); mainland 咨询.
    (r"谘(?=询|议)", "咨"),
    # s2twp and Taiwan usage write 着 as 著 (随著, 著力, 本著); t2s keeps 著.  Real 著
    # (显著, 著作, 著名, 卓著, 编著 …) is not preceded/followed by these.
    (r"著(?=力|重|眼|手|实|落|陆|装|急|迷|凉)", "着"),
    (r"(?<=随|沿|接|朝|向|本|带|顺|跟|凭|怀|穿|戴|握|含|盯|望|守|抱|紧|等|看|有)著"
     r"(?!作|名|称|述|录|者|书|有)", "着"),
    (r"(?<=围绕|意味|存在|保持|面临|伴随|坚持|发挥|继续|肩负|承担|承载|关系|标志)著"
     r"(?!作|名|称|述|录|者|书)", "着"),
]

# ---------------------------------------------------------------------------------------
# character classes and tables
# ---------------------------------------------------------------------------------------
_HAN = "".join(f"{lo}-{hi}" for lo, hi in _HAN_RANGES)
# CJK ideographs + CJK punctuation (、。〈〉《》「」【】〔〕 …) + full-width Chinese
# punctuation （），：；！？ + curly quotes and the ellipsis / middle dot.
_CJK = _HAN + "\u3001-\u303f\uff01\uff08\uff09\uff0c\uff1a\uff1b\uff1f\u2018\u2019\u201c\u201d\u2026\u00b7"

_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"

# Full-width forms folded to ASCII: digits, letters, and symbols that are not Chinese
# punctuation.  Kept: ！（），：；？ and ［］｛｝＂＇ (used as Chinese brackets/quotes).
_FOLD_FW = "０１２３４５６７８９％．／－＋＝＜＞＠＃＆＊＿｜～＄＼＾｀"
_FOLD_FW += "".join(chr(c) for c in range(0xFF21, 0xFF3B)) + "".join(chr(c) for c in range(0xFF41, 0xFF5B))


@functools.lru_cache(maxsize=1)
def _char_table() -> dict[int, str]:
    """str.translate table for the 1:1 character folds (offsets unchanged)."""
    table: dict[int, str] = {ord(c): " " for c in _SPACES}
    table.update({ord(c): "\n" for c in "\r\u2028\u2029\x0b\x0c\x85"})
    # lone surrogates (bad decodes) cannot be UTF-8 encoded for OpenCC → U+FFFD
    table.update({cp: "\ufffd" for cp in range(0xD800, 0xE000)})
    table.update({ord(c): chr(ord(c) - 0xFEE0) for c in _FOLD_FW})
    # Kangxi radicals, CJK radicals supplement, compatibility ideographs → unified form.
    for lo, hi in ((0x2E80, 0x2EF4), (0x2F00, 0x2FD6), (0xF900, 0xFB00)):
        for cp in range(lo, hi):
            nf = unicodedata.normalize("NFKC", chr(cp))
            if len(nf) == 1 and nf != chr(cp):
                table[cp] = nf
    return table


_DELETE_RE = lazy(r"\r(?=\n)|[" + _ZERO_WIDTH + "]+")

# pinyin syllables (tone marks stripped, ü written as v or u)
_PY_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_PY_FINAL = (r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un"
             r"|vn|ia|ie|iu|ua|uo|ui|ue|ve|er|a|o|e|i|u|v|ng|n|m)")
_PY_SYLLABLE_RE = lazy(_PY_INITIAL + _PY_FINAL + r"$")
_PY_LETTERS = "a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ"
_PINYIN_RE = lazy(
    r"(?<=[" + _HAN + r"])((?:[ ]*[(（][" + _PY_LETTERS + r"]{2,6}[)）])+)"
)
_PINYIN_ITEM_RE = lazy(r"[ ]*[(（]([" + _PY_LETTERS + r"]+)[)）]")

_CJK_SPACE_RE = lazy(r"(?<=[" + _CJK + r"]) +(?=[" + _CJK + r"])")

_DASH = r"[-—–─―‐‑‒﹣]"
_FOOTER_RE = lazy(
    r"^[ \t]*(?:"
    r"(?:" + _DASH + r"{1,3}[ \t]*[0-9]{1,4}[ \t]*" + _DASH + r"{1,3})"
    r"|(?:第[ \t]*[0-9]{1,4}[ \t]*[页頁](?:[ \t]*[,，/、]?[ \t]*共[ \t]*[0-9]{1,4}[ \t]*[页頁])?)"
    r"|(?:共[ \t]*[0-9]{1,4}[ \t]*[页頁][ \t]*[,，/、]?[ \t]*第[ \t]*[0-9]{1,4}[ \t]*[页頁])"
    r")[ \t]*(?:\n|\Z)",
    re.M,
)


def _is_pinyin(word: str) -> bool:
    base = unicodedata.normalize("NFD", word.lower())
    base = base.replace("u\u0308", "v")  # ü → v
    base = "".join(ch for ch in base if not unicodedata.combining(ch))
    return bool(_PY_SYLLABLE_RE.match(base))


# ---------------------------------------------------------------------------------------
# offset-tracking buffer
# ---------------------------------------------------------------------------------------
class _Buf:
    """Text plus, for every character, the raw span [st, en) it came from."""

    __slots__ = ("text", "st", "en", "raw_len")

    def __init__(self, raw: str):
        self.text = raw
        self.st: list[int] | None = None  # None = identity
        self.en: list[int] | None = None
        self.raw_len = len(raw)

    def _pst(self, i: int) -> int:
        if i >= len(self.text):
            return self.raw_len
        return i if self.st is None else self.st[i]

    def _pen(self, i: int) -> int:
        return i + 1 if self.en is None else self.en[i]

    def apply(self, edits: list[tuple[int, int, str, bool]]) -> None:
        """Replace non-overlapping sorted spans: (start, end, replacement, proportional).

        An equal-length replacement maps 1:1; otherwise each new character maps to the whole
        replaced span, or proportionally when ``proportional`` is set.
        """
        if not edits:
            return
        text, pst, pen = self.text, self.st, self.en
        out: list[str] = []
        st: list[int] = []
        en: list[int] = []

        def copy(a: int, b: int) -> None:
            if b <= a:
                return
            if pst is None:
                st.extend(range(a, b))
                en.extend(range(a + 1, b + 1))
            else:
                st.extend(pst[a:b])
                en.extend(pen[a:b])  # type: ignore[index]

        pos = 0
        for s, e, rep, prop in edits:
            if s > pos:
                out.append(text[pos:s])
                copy(pos, s)
            n = len(rep)
            if n:
                out.append(rep)
                if n == e - s:
                    copy(s, e)
                elif e == s:  # insertion: anchor at the following character
                    a = self._pst(s)
                    st.extend([a] * n)
                    en.extend([a] * n)
                else:
                    w = e - s
                    for k in range(n):
                        if prop:
                            lo = s + k * w // n
                            hi = max(lo + 1, s + (k + 1) * w // n)
                        else:
                            lo, hi = s, e
                        st.append(self._pst(lo))
                        en.append(self._pen(hi - 1))
            pos = max(pos, e)
        if pos < len(text):
            out.append(text[pos:])
            copy(pos, len(text))
        self.text = "".join(out)
        self.st, self.en = st, en

    def sub(self, pattern, repl) -> int:
        edits = []
        for m in pattern.finditer(self.text):
            r = repl(m) if callable(repl) else repl
            if r is None or (r == m.group() and m.end() > m.start()):
                continue
            edits.append((m.start(), m.end(), r, False))
        self.apply(edits)
        return len(edits)


# ---------------------------------------------------------------------------------------
# the public result
# ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NormText:
    """Normalised text with the map back to the raw text it came from."""

    text: str
    script: str
    raw: str = field(repr=False, default="")
    _st: list[int] | None = field(repr=False, default=None, compare=False)
    _en: list[int] | None = field(repr=False, default=None, compare=False)

    def to_source(self, i: int) -> int:
        """Raw offset of the character at normalised offset ``i`` (``len(text)`` → ``len(raw)``).

        For the end of a span use :meth:`source_span`, which does not stretch over
        characters dropped after the span's last character.
        """
        n = len(self.text)
        i = 0 if i < 0 else (n if i > n else i)
        if i == n:
            return len(self.raw)
        return i if self._st is None else self._st[i]

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw ``[start, end)`` covering the characters at normalised ``[start, end)``."""
        n = len(self.text)
        start = max(0, min(start, n))
        end = max(0, min(end, n))
        if end <= start:
            p = self.to_source(start)
            return p, p
        s = start if self._st is None else self._st[start]
        e = end if self._en is None else self._en[end - 1]
        return s, e

    def from_source(self, raw_offset: int) -> int:
        """Normalised offset of the first character that comes from raw ``raw_offset`` or later."""
        if self._st is None:
            return max(0, min(raw_offset, len(self.text)))
        return bisect.bisect_left(self._st, raw_offset)

    def source_text(self, start: int, end: int) -> str:
        """The raw text behind normalised ``[start, end)`` — the source's own wording."""
        s, e = self.source_span(start, end)
        return self.raw[s:e]


# ---------------------------------------------------------------------------------------
# pipeline
# ---------------------------------------------------------------------------------------
def _first_chars(pattern: str) -> set[str] | None:
    """Characters a match of ``pattern`` can start with (lookarounds skipped), or None."""
    try:
        if sys.version_info >= (3, 11):
            from re import _constants as C
            from re import _parser as P
        else:  # pragma: no cover - older Pythons
            import sre_constants as C
            import sre_parse as P

        def first(items) -> set[str] | None:
            for op, av in items:
                if op in (C.ASSERT, C.ASSERT_NOT):
                    continue
                if op is C.LITERAL:
                    return {chr(av)}
                if op is C.IN:
                    if all(o is C.LITERAL for o, _a in av):
                        return {chr(a) for _o, a in av}
                    return None
                if op is C.BRANCH:
                    out: set[str] = set()
                    for branch in av[1]:
                        f = first(list(branch))
                        if not f:
                            return None
                        out |= f
                    return out
                if op is C.SUBPATTERN:
                    return first(list(av[-1]))
                return None
            return None

        return first(list(P.parse(pattern).data))
    except Exception:  # private API changed: just skip the speed-up
        return None


@functools.lru_cache(maxsize=1)
def _tw_regex():
    parts = [f"(?P<t{i}>{pat})" for i, (pat, _rep) in enumerate(TW_TERMS)]
    body = "|".join(parts)
    # A leading look-ahead on the possible first characters lets the engine reject most
    # positions at once instead of trying every alternative (≈50x faster).
    trigger: set[str] = set()
    for pat, _rep in TW_TERMS:
        f = _first_chars(pat)
        if not f:
            return re.compile(body)
        trigger |= f
    return re.compile("(?=[" + re.escape("".join(sorted(trigger))) + "])(?:" + body + ")")


def _tw_repl(m: re.Match) -> str:
    return TW_TERMS[int(m.lastgroup[1:])][1]  # type: ignore[index]


def _apply_tw(buf: _Buf) -> None:
    # Until stable: one replacement can complete another's context (线上谘询 → 线上咨询 →
    # 在线咨询); a couple of passes at most, the later ones find next to nothing.
    for _ in range(4):
        if not buf.sub(_tw_regex(), _tw_repl):
            break


def _pinyin_repl(m: re.Match) -> str | None:
    group = m.group(1)
    pos = 0
    for item in _PINYIN_ITEM_RE.finditer(group):
        if item.start() != pos or not _is_pinyin(item.group(1)):
            break
        pos = item.end()
    if pos == 0:
        return None
    # drop the valid annotations (and the spaces before them), keep anything after them
    return group[pos:]


def _apply_t2s(buf: _Buf) -> None:
    text = buf.text
    conv = _t2s(text)
    if conv == text:
        return
    if len(conv) == len(text):  # the usual case: 1:1, offsets unchanged
        buf.text = conv
        return
    # length changed somewhere: convert line by line, map changed lines proportionally
    edits = []
    pos = 0
    for line in text.splitlines(keepends=True):
        c = _t2s(line)
        if c != line:
            # narrow the edit to what differs: common prefix / suffix stay 1:1
            n = min(len(c), len(line))
            p = 0
            while p < n and c[p] == line[p]:
                p += 1
            q = 0
            while q < n - p and c[-1 - q] == line[-1 - q]:
                q += 1
            edits.append((pos + p, pos + len(line) - q, c[p:len(c) - q], True))
        pos += len(line)
    buf.apply(edits)


def _clean(buf: _Buf, *, footers: bool) -> None:
    buf.sub(_DELETE_RE, "")
    buf.text = buf.text.translate(_char_table())  # 1:1
    buf.sub(_PINYIN_RE, _pinyin_repl)
    buf.sub(_CJK_SPACE_RE, "")
    if footers:
        buf.sub(_FOOTER_RE, "")


def _norm_script(script: str | None) -> str | None:
    if script is None:
        return None
    s = str(script).lower()
    if s.startswith("trad") or s in ("t", "zh-hant", "zh_tw", "zh-tw", "tw", "hk"):
        return "traditional"
    return "simplified"


def normalize(raw: str, *, script: str | None = None) -> NormText:
    """Normalise ``raw`` (see the module doc); ``script`` overrides detection."""
    if raw is None:
        raw = ""
    elif not isinstance(raw, str):
        raw = str(raw)
    sc = _norm_script(script) or detect_script(raw)
    buf = _Buf(raw)
    _clean(buf, footers=True)
    _apply_t2s(buf)
    if sc == "traditional":
        _apply_tw(buf)
    return NormText(buf.text, sc, raw, buf.st, buf.en)


_CELL_BREAK_RE = lazy(r"(?<=[" + _CJK + r"])[ \t]*\n[ \t\n]*(?=[" + _CJK + r"])")
_CELL_WS_RE = lazy(r"\s+")


def normalize_cell(s: str | None, *, script: str | None = None) -> str | None:
    """Normalise one table cell: same cleaning and t2s; the Taiwan map only when
    ``script="traditional"`` is passed (a cell is too short to detect a script).
    Line breaks inside a CJK label are removed (``商业\\n企业`` → ``商业企业``), other
    whitespace runs become one space, and the result is stripped.  ``None`` stays ``None``.
    """
    if s is None:
        return None
    if not isinstance(s, str):
        s = str(s)
    sc = _norm_script(script) or "simplified"
    if len(s) > _CELL_MEMO_LEN:
        return _normalize_cell(s, sc)
    key = (s, sc)
    done = _CELLS.get(key)
    if done is None:
        if len(_CELLS) >= _CELLS_MAX:
            _CELLS.clear()
        done = _CELLS[key] = _normalize_cell(s, sc)
    return done


# normalised cells by (text, script), for cells of up to _CELL_MEMO_LEN characters: a
# report's tables repeat their labels and small numbers, and every report of a template
# repeats its labels (the result is a pure function of the two)
_CELLS: dict[tuple[str, str], str] = {}
_CELLS_MAX = 20_000
_CELL_MEMO_LEN = 120


def _normalize_cell(s: str, sc: str) -> str:
    buf = _Buf(s)
    _clean(buf, footers=False)
    buf.sub(_CELL_BREAK_RE, "")
    _apply_t2s(buf)
    if sc == "traditional":
        _apply_tw(buf)
    return _CELL_WS_RE.sub(" ", buf.text).strip()
