"""Decode the bytes of a text-like source (HTML, plain text, markdown) to ``str``.

Order of evidence: a byte-order mark wins; then the declared charset (an HTML
``<meta charset>``), but only if it survives validation — a strict decode without
errors whose result reads like text; then the common encodings of Chinese government
sites (UTF-8, GB18030, Big5-HKSCS) scored against each other; charset-normalizer's
guess last. GBK/GB2312 are read as their superset GB18030, Big5 as Big5-HKSCS.

Validation is what keeps a wrong declaration from winning: UTF-8 bytes under
``charset=gbk`` decode "successfully" into nonsense, and so do GBK bytes read as Big5.
The score counts how much of the non-ASCII text is made of frequent Chinese characters
(Simplified or Traditional) and CJK punctuation; mojibake is made of rare ones.
"""
from __future__ import annotations

import codecs

# BOMs, longest first (UTF-32-LE starts with the UTF-16-LE BOM).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Frequent characters of modern Chinese and of government reports, Simplified and the
# Traditional forms that differ. Only used to tell real text from mojibake.
_COMMON_SIMPLIFIED = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下"
    "自之年过发后作里用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其"
    "些主样理心她本前开但因只从想实日军者意无力它与长把机十民第公此已工使情明性知全三又关点"
    "正业外将两高间由问很最重并物手应战向头文体政美相见被利什二等产或新己制身果加西斯月话合"
    "回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处走义各入几口认条"
    "平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资"
    "命山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象"
    "完设式色路记南品住告类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导"
    "争运笑飞风步改收根干造言联持组每济车亲极林服快办议往元英士证近失转夫令准布始怎呢存未远"
    "叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石级整府离况亚请技际约示复病息究"
    "线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找装广显吧阿李"
    "标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土"
    "投某案黑维革划敌致陈律足态护七兴派孩验责营星够章音跟志底站严巴例防族供效续施留讲型料终"
    "答紧黄绝奇察母京段依批群项故按河米围江织害斗双境客纪采举杀攻父苏密低朝友诉止细愿千值仍"
    "男钱破网热助倒育属坐帝限船脸职速刻乐否刚威毛状率甚独球般普怕弹校苦创假久错承印晚兰试股"
    "拿脑预谁益阳若哪微尼继送急血惊伤素药适波夜省初喜卫源食险待述陆习置居劳财环排福纳欢雷警"
    "获模充负云停木游龙树疑层冷洲冲射略范竟句室异激汉村哈策演简卡罪判担州静退既衣您宗积余痛"
    "检差富灵协角占配征修皮挥胜降阶审沉坚善妈刘读啊超免压银买皇养伊怀执副乱抗犯追帮宣佛岁航"
    "优怪香著田铁控税左右份穿艺背阵草脚概恶块顿敢守酒岛托央户烈洋哥索胡款靠评版宝座释景顾弟"
    "登货互付伯慢欧换闻危忙核暗姐介坏讨丽良序升监临亮露永呼味野架域沙掉括舰鱼杂误湾吉减编楚"
    "肯测败屋跑梦散温困剑渐封救贵枪缺楼县尚毫移娘朋画班智亦耳恩短掌恐遗固席松秘谢鲁遇康虑幸"
    "均销钟诗藏赶剧票损忽巨炮旧端探湖录叶春乡附吸予礼港雨呀板庭妇归睛饭额含顺输摇招婚脱补谓"
    "督毒油疗旅泽材灭逐莫笔亡鲜词圣择寻厂睡博勒烟授诺伦岸奥唐卖俄炸载洛健堂旁宫喝借君禁阴园"
    "谋宋避抓荣姑孙逃牙束跳顶玉镇雪午练迫爷篇肉嘴馆遍凡础洞卷坦牛宁纸诸训私庄祖丝翻暴森塔默"
    "握戏隐熟骨访弱蒙歌店鬼软典欲萨伙遭盘爸扩盖弄雄稳忘亿刺拥徒姆杨齐赛趣曲刀床迎冰虚玩析窗"
    "醒妻透购替塞努休虎扬途侵刑绿兄迅套贸毕唯谷轮库迹尤竞街促延震弃甲伟麻川申缓潜闪售灯针哲"
    "络抵朱埃抱鼓植纯夏忍页杰筑折郑贝尊吴秀混臣雅振染盛怒舞圆搞狂措姓残秋培迷诚宽宇猛摆梅毁"
    "伸摩盟末乃悲拍丁赵硬麦蒋操耶阻订彩抽赞魔纷沿喊违妹浪汇币丰蓝殊献桌啦瓦莱援译夺汽烧距裁"
    "偏符勇触课敬哭懂墙袭召罚侠厅拜巧侧韩冒债曼融惯享戴童犹乘挂奖绍厚纵障讯涉彻刊丈爆乌役描"
    "洗玛患妙镜唱烦签仙彼弗症仿倾牌陷鸟轰咱菜闭奋庆撤泪茶疾缘播朗杜奶季丹狗尾仪偷奔珠虫驻孔"
    "宜艾桥淡翼恨繁寒伴叹旦愈潮粮缩罢聚径恰挑袋灰捕徐珍幕映裂泰隔启尖忠累炎暂估泛荒偿横拒瑞"
    "忆孤鼻闹羊呆厉衡胞零穷舍码赫婆魂灾洪腿胆津俗辩胸晓劲贫仁偶辑邦恢赖圈摸仰润堆碰艇稍迟辆"
    "废净凶署壁御奉旋冬矿抬蛋晨伏吹鸡倍糊秦盾杯租骑乏隆诊奴摄丧污渡旗甘耐凭扎抢绪粗肩梁幻菲"
    "皆碎宙叔岩荡综爬荷悉蒂返井壮薄悄扫敏碍殖详迪矛霍允幅撒剩凯颗骂赏液番箱贴漫酸郎腰舒眉忧"
    "浮辛恋餐吓挺励辞艘键伍峰尺昨黎辈贯侦滑券崇扰宪绕趋慈乔阅汗枝拖墨胁插箭腊粉泥氏彭拔骗凤"
    "慧媒佩愤扑龄驱惜豪掩兼跃尸肃帕驶堡届欣惠册储飘桑闲惨洁踪勃宾频仇磨递邪撞拟滚奏巡颜剂绩"
    "贡疯坡瞧截燃焦殿伪柳锁逼颇昏劝呈搜勤戒驾漂饮曹朵仔柔俩孟腐幼践籍牧凉牲佳娜浓芳稿竹腹跌"
    "逻垂遵脉貌柏狱猜怜惑陶兽帐饰贷昌叙躺钢沟寄扶铺邓寿惧询汤盗肥尝匆辉奈扣廷澳嘛董迁凝慰厌"
    "脏腾幽怨鞋丢埋泉涌辖躲晋紫艰魏吾慌祝邮吐狠鉴曰械咬邻赤挤弯椅陪割揭韦悟聪雾锋梯猫祥阔誉"
    "筹丛牵鸣沈阁穆屈旨袖猎臂蛇贺柱抛鼠瑟戈牢逊迈欺吨琴衰瓶恼燕仲诱狼池疼卢仗冠粒遥吕玄尘冯"
    "抚浅敦纠钻晶岂峡苍喷耗凌敲菌赔涂粹扁亏寂煤熊恭湿循暖糖赋抑秩帽哀宿踏烂袁侯抖夹昆肝擦猪"
    "炼恒慎搬纽纹玻渔磁铜齿跨押怖漠疲叛遣兹祭醉拳弥斜档稀捷肤疫肿豆削岗晃吞宏癌肚隶履涨耀扭"
    "坛拨沃绘伐堪仆郭牺歼墓雇廉契拼惩捉覆刷劫嫌瓜歇雕闷乳串娃缴唤赢莲霸桃妥瘦搭赴岳嘉舱俊址"
    "庞耕锐缝悔邀玲惟斥宅添挖呵讼氧浩羽斤酷掠妖祸侍乙妨贪挣汪尿莉悬唇翰仓轨枚盐览傅帅庙芬屏"
    "寺胖璃愚滴疏萧姿颤丑劣柯寸扔盯辱匹俱辨饿蜂哦腔郁溃谨糟葛苗肠忌溜鸿爵鹏鹰笼丘桂滋聊挡纲"
    "肌茨壳痕碗穴膀卓贤卧膜毅锦欠哩函茫昂薛皱夸豫胃舌剥傲拾窝睁携陵哼棉晴铃填饲渴吻扮逆脆喘"
    "罩卜炉柴愉绳胎蓄眠竭喂傻慕浑奸扇柜悦拦诞饱乾泡贼亭夕爹酬儒姻卵氛泄杆挨僧蜜吟猩遂狭肖甜"
    "霞驳裕顽於摘矮秒卿畜咽披辅勾盆疆赌塑畏吵囊嗯泊肺骤缠冈羞瞪吊贾漏斑涛悠鹿俘锡卑葬铭滩嫁"
    "催璇翅盒蛮矣潘歧赐鲍锅廊拆灌勉盲宰佐啥胀扯禧辽抹筒棋裤唉朴咐孕誓喉妄拘链驰栏逝窃艳臭纤"
    "玑棵趁匠盈翁愁瞬婴孝颈倘浙谅蔽畅赠妮莎尉冻跪闯葡後厨鸭颠遮谊圳吁仑辟瘤嫂陀框谭亨钦庸歉"
    "芝吼甫衫摊宴嘱衷娇陕矩浦讶耸裸碧摧薪淋耻胶屠鹅饥盼脖虹翠崩账萍逢赚撑翔倡绵猴枯巫昭怔渊"
    "凑溪蠢禅阐旺寓藤匪伞碑挪琼脂谎慨菩萄狮掘抄岭晕逮砍掏狄晰罕挽脾舟痴蔡剪脊弓懒叉拐喃僚捐"
    "姊骚拓歪粘柄坑陌窄湘兆崖骄刹鞭芒筋聘钩棍嚷腺弦焰耍俯厘愣厦恳饶钉寡憾摔叠惹喻谱愧煌徽溶"
    "坠煞巾滥洒堵瓷咒姨棒郡浴媚稣淮哎屁漆淫巢吩撰啸滞玫硕钓蝶膝姚茂躯吏猿寨恕渠戚辰舶颁惶狐"
    "讽笨袍嘲啡泼衔倦涵雀旬僵撕肢垄夷逸茅侨舆窑涅蒲谦杭噢弊勋刮郊凄捧浸砖鼎篮蒸饼亩肾陡爪兔"
    "殷贞荐哑炭坟眨搏咳拢舅昧擅爽咖搁禄雌哨巩绢螺裹昔轩谬谍龟媳姜瞎冤鸦蓬巷琳栽沾诈斋瞒彪厄"
    "咨纺罐桶壤糕颂膨谐垒咕隙辣绑宠嘿兑霉挫稽辐乞纱裙嘻哇绣杖塘衍轴攀膊譬斌祈踢肆坎轿棚泣屡"
    "躁邱凰溢椎砸趟帘帆栖窜丸斩堤塌贩厢掀喀乖谜捏阎滨虏匙芦苹卸沼钥株祷剖熙哗劈怯棠胳桩瑰娱"
    "娶沫嗓蹲焚淘嫩韵衬匈钧竖峻豹捞菊鄙魄兜哄颖镑屑蚁壶怡渗秃迦旱哟咸焉谴宛稻铸锻伽詹毙恍贬"
    "烛骇芯汁桓坊驴朽靖佣汝碌迄冀荆崔雁绅珊榜诵傍彦醇笛禽勿娟瞄幢寞睹贿踩霆呜拱妃蔑谕缚诡篷"
    "淹腕煮倩卒勘馨逗甸贱炒灿敞蜡囚栗辜垫妒魁谣寇蛙逾焕涌涂"
    "镇县乡街办市区省自治委员会主任副局处科室股站所中心报告年度政府信息公开工作申请数量本"
    "年新收上年结转予以部分不予无法提供处理其他总计复议诉讼行政结果维持纠正尚未审结直接起诉"
    "元万件条次项个平台网站门户政务新媒体公众号微博微信栏目发布解读回应关切依据规定条例规章"
    "规范性文件制发废止现行有效许可处罚强制收费金额单位自然人法人组织商业企业科研机构社会公"
    "益法律服务危及三安全一稳定保护第三方合法权益属于内部事务过程执法案卷查询掌握另行制作补"
    "明确信访举报投诉重复出版物正当理由大量反复确认重新出具已获取逾期缴纳通知情况存在问题改进"
)

_COMMON_TRADITIONAL = (
    "這個們國來時會說對發後過裡經學現當沒動從實與關點業兩間問題會頭體產爲為種見議話們還進"
    "長門開東聲員處義總電數條樣區統計據資達書聽權認運軍將應變隊領傳師觀識帶導爭筆飛風動"
    "轉聯車親極證轉近類樂廣顯歷醫專費號陳盡參眾構節維護費業務審結訴訟復議糾正請報告處理與"
    "為個這們國來時會說對發後過經學現當動從實關於進機業務區縣市級統計據網門戶條規範類項辦結"
    "資訊開請數處與單位萬規範許可處罰強製強制收費金額單位組織商業科研機構社會公益法律服務"
    "危及三安全一穩定保護第三方合法權益屬於內部事務過程執法案卷查詢掌握另行製作補正後明確"
    "信訪舉報投訴重複出版物正當理由大量反覆確認重新出具已獲取逾期繳納通知情況存在問題改進"
    "總計複議訴訟行政結果維持糾正尚未審結直接起訴鎮鄉街辦委員會主任副局處科室級站所網站門戶"
    "平臺發佈解讀回應關切依據規定條例規章規範性文件製發廢止現行有效從這裡還沒讓認識說話讀寫"
    "聽見覺間問題開關門東車馬魚鳥龍頭頁顏風飛電氣雲雙對戰爭歷史經濟發展實現與為會議當選舉"
)

COMMON_CHARS = frozenset(_COMMON_SIMPLIFIED + _COMMON_TRADITIONAL)

# Label -> the codec we actually use.
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
    "gb_2312": "gb18030", "gb_2312-80": "gb18030", "euc-cn": "gb18030", "euccn": "gb18030",
    "csgb2312": "gb18030", "chinese": "gb18030", "ms936": "gb18030", "windows-936": "gb18030",
    "gb18030": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "big5hkscs": "big5hkscs", "cp950": "big5hkscs",
    "x-x-big5": "big5hkscs", "csbig5": "big5hkscs", "cn-big5": "big5hkscs", "ms950": "big5hkscs",
    "utf8": "utf-8", "utf-8": "utf-8", "unicode-1-1-utf-8": "utf-8",
    # WHATWG: these labels mean windows-1252 on the web
    "iso-8859-1": "cp1252", "latin1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252",
    "us-ascii": "cp1252", "windows-1252": "cp1252", "cp1252": "cp1252", "l1": "cp1252",
}

# Python codecs that are no web charset: declared in a page, they are a hostile or broken label.
_NOT_CHARSETS = frozenset({"undefined", "unicode-escape", "raw-unicode-escape", "idna", "punycode",
                           "charmap", "unicode-internal"})

_ACCEPT = 0.35  # plausibility above which a strict decode is believed


def normalize_charset(name: str | None) -> str | None:
    """Map a charset label to the Python codec we use, or None if unknown/unusable."""
    if not name:
        return None
    label = name.strip().strip("\"'").lower()
    if not label:
        return None
    if label in _ALIASES:
        return _ALIASES[label]
    try:
        info = codecs.lookup(label)
    except LookupError:
        return None
    codec = info.name
    if not getattr(info, "_is_text_encoding", True) or codec in _NOT_CHARSETS:
        return None  # "undefined" (always raises), "rot13", "unicode_escape", ...
    if codec.startswith(("utf-16", "utf-32")):
        return None  # declared inside ASCII-compatible bytes: cannot be true
    return _ALIASES.get(codec, codec)


def _is_cjk(o: int) -> bool:
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF


def plausibility(text: str, limit: int = 20000) -> float:
    """How much ``text`` looks like real (Chinese or Western) text rather than mojibake.

    1.0 for pure ASCII; for non-ASCII characters, frequent hanzi and CJK/general
    punctuation count fully, rare hanzi a little, isolated Latin-1 letters half,
    private-use/control/replacement characters negatively.
    """
    sample = text[:limit]
    n = 0
    good = 0.0
    prev_ascii = True
    length = len(sample)
    for i, ch in enumerate(sample):
        o = ord(ch)
        if o < 128:
            prev_ascii = True
            continue
        n += 1
        if ch in COMMON_CHARS:
            good += 1.0
        elif 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF or 0x2000 <= o <= 0x206F:
            good += 1.0 if o != 0xFFFD and o not in (0xFFFE, 0xFFFF) else -1.0
        elif _is_cjk(o):
            good += 0.15
        elif 0xC0 <= o <= 0x24F:
            nxt_ascii = i + 1 >= length or ord(sample[i + 1]) < 128
            if prev_ascii and nxt_ascii:
                good += 0.5
        elif 0x80 <= o <= 0x9F or 0xE000 <= o <= 0xF8FF or 0xD800 <= o <= 0xDFFF:
            good -= 1.0
        elif o in (0xFFFD,):
            good -= 1.0
        prev_ascii = False
    if n == 0:
        return 1.0
    return good / n


def _utf8_body(body: bytes) -> bool:
    """The bytes are UTF-8 (a last character cut off by truncation is forgiven)."""
    try:
        codecs.getincrementaldecoder("utf-8")().decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except (UnicodeError, LookupError):
        return None


def decode_bytes(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode ``data``; return ``(text, encoding)``.

    ``declared`` is a charset label found in the document (e.g. an HTML meta charset);
    it is used only if a strict decode with it succeeds and the result reads as text.
    The encoding returned is the Python codec name actually used ("utf-8", "utf-8-sig",
    "gb18030", "big5hkscs", ...).
    """
    if not data:
        return "", "utf-8"
    text: str | None
    for bom, codec in _BOMS:
        if data.startswith(bom):
            if codec == "utf-8-sig" and not _utf8_body(data[len(bom):]):
                # an editor or a CMS put a UTF-8 BOM in front of a GBK/Big5 body: the
                # body decides (a BOM is a claim like a meta charset, checked first)
                return decode_bytes(data[len(bom):], declared)
            body = data[len(bom):] if codec != "utf-8-sig" else data
            text = body.decode(codec, errors="replace")
            if codec == "utf-8-sig" and text.startswith("\ufeff"):
                text = text[1:]
            return text, codec

    declared_codec = normalize_charset(declared)
    scored: list[tuple[float, int, str, str]] = []  # (score, -priority, codec, text)
    if declared_codec:
        text = _strict(data, declared_codec)
        if text is not None:
            score = plausibility(text)
            if score >= _ACCEPT and not _utf8_beats(data, declared_codec):
                return text, declared_codec
            scored.append((score, 0, declared_codec, text))

    for prio, codec in enumerate(("utf-8", "gb18030", "big5hkscs"), start=1):
        if codec == declared_codec:
            continue
        text = _strict(data, codec)
        if text is None:
            continue
        score = plausibility(text)
        if codec == "utf-8" and score > 0:
            # valid UTF-8 with multi-byte sequences is (almost) never an accident
            return text, "utf-8"
        scored.append((score, -prio, codec, text))

    best = max(scored, default=None)
    if best is not None and best[0] >= _ACCEPT:
        return best[3], best[2]

    detected = _detect(data)
    if detected:
        text = data.decode(detected, errors="replace")
        score = plausibility(text)
        if best is None or score > best[0]:
            return text, detected
    if best is not None:
        return best[3], best[2]
    # nothing decodes strictly: keep what can be kept
    for fallback in (declared_codec, "utf-8", "gb18030"):
        if not fallback:
            continue
        text = data.decode(fallback, errors="replace")
        if plausibility(text) >= _ACCEPT:
            return text, fallback
    return data.decode("gb18030", errors="replace"), "gb18030"


def _utf8_beats(data: bytes, declared_codec: str) -> bool:
    """True when the bytes are valid, non-ASCII UTF-8 but another charset was declared."""
    if declared_codec == "utf-8":
        return False
    try:
        data.decode("ascii")
        return False
    except UnicodeDecodeError:
        pass
    return _strict(data, "utf-8") is not None


def _detect(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - core dependency
        return None
    try:
        match = from_bytes(data[:200_000]).best()
    except Exception:  # noqa: BLE001 - detection is best effort
        return None
    if match is None or not match.encoding:
        return None
    return normalize_charset(match.encoding) or match.encoding
