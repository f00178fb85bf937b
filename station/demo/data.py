"""Realistic, reproducible member rosters for tests, benchmarks and the demo.

The rows look like what a Dongguan town union exports: many local people
with 441900 ID numbers born before 1988 (when Dongguan got that code),
migrant workers from Hunan, Guangxi, Sichuan, Jiangxi, Hubei and Guizhou,
a few hundred enterprises of very different sizes (a Zipf-like spread: a
handful of factories hold most of the members), each with its own
grassroots union.  Everything is drawn from one seeded ``random.Random``,
so the same seed always gives the same roster.

``write_roster_csv(..., dirty=True)`` adds what hand-made sheets really
contain: a title row, a date row, full-width digits, stray spaces,
lowercase x, +86 prefixes, and a small share of bad rows (checksum errors,
IDs Excel turned into 4.41900199001011E+17, repeated IDs, bad phones).
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from station.people.idnumber import check_digit

# Canonical CSV headers, in the order the template uses.
HEADERS = ("姓名", "身份证号码", "手机号码", "单位名称", "基层工会名称", "镇街")
KEYS = ("name", "id_number", "phone", "enterprise", "union", "town")

# Ages are computed against a fixed day so the roster does not change with the calendar.
REFERENCE_DAY = dt.date(2024, 6, 30)

# (address code, weight, earliest birth year, latest birth year)
# 441900 before 1988 is the case a strict stdnum validate() would reject.
_REGIONS: tuple[tuple[str, int, int, int], ...] = (
    ("441900", 30, 1964, 1987),  # 东莞 locals, born before the code existed
    ("441900", 8, 1988, 2006),
    ("430521", 5, 1970, 2004),  # 湖南 邵东
    ("431023", 3, 1970, 2004),  # 湖南 永兴
    ("430426", 3, 1970, 2004),  # 湖南 祁东
    ("450821", 4, 1970, 2004),  # 广西 平南
    ("450881", 4, 1970, 2004),  # 广西 桂平
    ("452123", 2, 1965, 2000),  # 广西 宾阳
    ("510722", 3, 1968, 2004),  # 四川 三台
    ("511321", 3, 1968, 2004),  # 四川 南部
    ("513030", 2, 1965, 1998),  # 四川 渠县
    ("360733", 3, 1970, 2004),  # 江西 会昌
    ("421181", 3, 1970, 2004),  # 湖北 麻城
    ("420984", 2, 1970, 2004),  # 湖北 汉川
    ("522422", 3, 1972, 2004),  # 贵州 大方
    ("520221", 2, 1972, 2004),  # 贵州 水城
    ("445281", 4, 1968, 2004),  # 广东 普宁
    ("441481", 3, 1968, 2004),  # 广东 兴宁
    ("440882", 3, 1968, 2004),  # 广东 雷州
    ("441322", 2, 1968, 2004),  # 广东 博罗
    ("440981", 3, 1968, 2004),  # 广东 高州
    ("411523", 2, 1970, 2004),  # 河南 新县
    ("500228", 2, 1970, 2004),  # 重庆 梁平
)

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范"
    "汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛段雷黎史龙贺顾毛郝龚邵万覃武戴孔汤庞樊殷施洪翟颜倪严温季俞章鲁葛伍莫庄"
)
_COMPOUND_SURNAMES = ("欧阳", "司马", "上官", "诸葛", "司徒")
_GIVEN_MALE = "伟强磊军洋勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆帅旭宁龙林锋东文志建国春海峰亮成新振家荣彬坤达锦燊铭"
_GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀玲桂英梅琳燕红琴云莲洁萍丹雪慧颖倩婷怡欣玉兰凤翠珍莉佳瑶晶月嘉惠婉"
# Characters outside GBK: a name must survive import, storage and reports.
_RARE_GIVEN = ("𠮷", "䶮", "𠮷祥", "子䶮")
# Transliterated names with the middle dot, as on Uyghur and other ID cards.
_DOT_NAMES = (
    "阿卜杜·热合曼",
    "买买提·艾力",
    "古丽·阿不都",
    "热依拉·吐尔逊",
    "艾尔肯·买合木提",
    "迪丽娜尔·阿布都",
)

_TOWNS = (
    "长安镇", "虎门镇", "厚街镇", "塘厦镇", "凤岗镇", "常平镇", "大朗镇", "寮步镇", "清溪镇", "樟木头镇",
    "黄江镇", "大岭山镇", "松山湖", "石龙镇", "石碣镇", "茶山镇", "东城街道", "南城街道", "万江街道", "莞城街道",
)
_BRANDS = (
    "华茂", "德信", "永胜", "金利", "新达", "宏发", "捷成", "立信", "富华", "嘉利", "恒通", "裕元", "广达", "兴业",
    "联合", "东盛", "大昌", "鸿图", "美时", "佳能达", "精工", "力佳", "冠宏", "瑞丰", "锦泰", "升辉", "景龙", "海湾",
    "伟创", "顺发", "华瀚", "益新", "天成", "宝利", "正扬", "先锋", "长荣", "信隆", "明辉", "港华",
)
_TRADES = (
    "电子", "五金", "塑胶制品", "模具", "家具", "鞋业", "服装", "玩具", "印刷", "包装", "电器", "精密机械", "光电",
    "纺织", "食品", "物流", "电子科技", "照明", "智能科技", "线材",
)
# Dialling prefixes (3 digits) that phonenumbers accepts as CN mobiles.
_MOBILE_PREFIXES = tuple(
    str(p)
    for p in (
        *range(130, 140), 150, 151, 152, 153, 155, 156, 157, 158, 159, 166, 177, 180, 181, 182, 183, 184,
        185, 186, 187, 188, 189, 198, 199,
    )
)


def valid_id(region: str, birth: dt.date, seq: int) -> str:
    """A checksum-correct 18-character ID number.

    `seq` is the 3-digit order code (odd for men, even for women).
    """
    first17 = f"{region}{birth:%Y%m%d}{seq % 1000:03d}"
    return first17 + check_digit(first17)


def enterprise_names(count: int = 300, seed: int = 0) -> list[tuple[str, str, str]]:
    """`count` distinct (enterprise, grassroots union, town) triples."""
    rng = random.Random(f"enterprises-{seed}")
    combos = list(itertools.product(_BRANDS, _TRADES))
    rng.shuffle(combos)
    out = []
    for brand, trade in combos[:count]:
        town = rng.choice(_TOWNS)
        style = rng.random()
        if style < 0.55:
            company = f"{brand}{trade}有限公司"
            enterprise = f"东莞市{company}"
        elif style < 0.8:
            company = f"{town[:-1] if town.endswith('镇') else town}{brand}{trade}有限公司"
            enterprise = f"东莞{company}"
        else:  # foreign-invested, 东莞 in brackets
            company = f"{brand}{trade}（东莞）有限公司"
            enterprise = company
        out.append((enterprise, f"{company}工会委员会", town))
    return out


def _zipf_cumulative(count: int, exponent: float = 1.07) -> list[float]:
    return list(itertools.accumulate(1.0 / (k**exponent) for k in range(1, count + 1)))


def _name(rng: random.Random, male: bool) -> str:
    roll = rng.random()
    if roll < 0.004:
        return rng.choice(_DOT_NAMES)
    if roll < 0.006:
        return rng.choice(_SURNAMES) + rng.choice(_RARE_GIVEN)
    surname = rng.choice(_COMPOUND_SURNAMES) if roll < 0.02 else rng.choice(_SURNAMES)
    pool = _GIVEN_MALE if male else _GIVEN_FEMALE
    given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
    return surname + given


def generate_roster_rows(n: int, seed: int = 0) -> Iterator[dict[str, str]]:
    """`n` clean roster rows with keys name, id_number, phone, enterprise, union, town.

    ID numbers are unique within one call (order codes are drawn without
    repeats per region and birth day), valid and checksum-correct.
    """
    rng = random.Random(seed)
    firms = enterprise_names(300, seed)
    firm_cum = _zipf_cumulative(len(firms))
    firm_total = firm_cum[-1]
    region_cum = list(itertools.accumulate(w for _c, w, _a, _b in _REGIONS))
    region_total = region_cum[-1]
    used: set[str] = set()
    for _ in range(n):
        code, _w, first_year, last_year = _REGIONS[bisect.bisect(region_cum, rng.random() * region_total)]
        while True:
            born = dt.date(rng.randint(first_year, last_year), 1, 1) + dt.timedelta(days=rng.randrange(365))
            seq = rng.randrange(1, 1000)
            number = valid_id(code, born, seq)
            if number not in used:
                used.add(number)
                break
        enterprise, union, town = firms[bisect.bisect(firm_cum, rng.random() * firm_total)]
        phone = rng.choice(_MOBILE_PREFIXES) + f"{rng.randrange(100_000_000):08d}"
        yield {
            "name": _name(rng, male=seq % 2 == 1),
            "id_number": number,
            "phone": phone,
            "enterprise": enterprise,
            "union": union,
            "town": town,
        }


_FULLWIDTH_DIGITS = str.maketrans("0123456789Xx", "０１２３４５６７８９Ｘｘ")


@dataclass
class WrittenRoster:
    """What write_roster_csv wrote, so a test can say what to expect."""

    path: Path
    rows: int  # data rows written (bad ones included)
    bad_checksum: list[int] = field(default_factory=list)  # 1-based file line numbers
    excel_number: list[int] = field(default_factory=list)
    duplicates: list[int] = field(default_factory=list)
    bad_phone: list[int] = field(default_factory=list)
    header_line: int = 1

    @property
    def rejected(self) -> int:
        return len(self.bad_checksum) + len(self.excel_number)


def _dirty_row(row: dict[str, str], rng: random.Random) -> dict[str, str]:
    """The same person, typed the way hand-made sheets type them."""
    row = dict(row)
    roll = rng.random()
    if roll < 0.03:
        row["id_number"] = row["id_number"].translate(_FULLWIDTH_DIGITS)
    elif roll < 0.06:
        ident = row["id_number"]
        row["id_number"] = f" {ident[:6]} {ident[6:14]} {ident[14:]} "
    if row["id_number"].endswith("X") and rng.random() < 0.5:
        row["id_number"] = row["id_number"][:-1] + "x"
    roll = rng.random()
    if roll < 0.05:
        row["phone"] = "+86 " + row["phone"]
    elif roll < 0.08:
        row["phone"] = "86-" + row["phone"]
    elif roll < 0.1:
        row["phone"] = row["phone"].translate(_FULLWIDTH_DIGITS)
    if rng.random() < 0.05:
        row["name"] = " " + row["name"][:1] + " " + row["name"][1:] + "　"
    if rng.random() < 0.03:
        row["enterprise"] = row["enterprise"].replace("（", "(").replace("）", ")") + " "
    return row


def write_roster_csv(
    path: Path,
    n: int,
    seed: int = 0,
    encoding: str = "utf-8-sig",
    dirty: bool = False,
) -> WrittenRoster:
    """Write an `n`-row roster CSV with the canonical headers.

    dirty=True puts a title row, a date row and a blank row above the
    header, messes up spelling as people do, and spoils about 1 row in 100:
    a wrong check digit, an Excel-number ID, an ID repeated from an earlier
    row, or a phone number that is not a mobile.  The returned
    WrittenRoster lists the file line numbers of each kind of bad row.
    """
    path = Path(path)
    rng = random.Random(f"dirty-{seed}")
    written = WrittenRoster(path=path, rows=0)
    with path.open("w", encoding=encoding, newline="", errors="strict") as fh:
        out = csv.writer(fh)
        line = 0
        if dirty:
            out.writerow(["东莞市长安镇总工会会员名册", "", "", "", "", ""])
            out.writerow([f"制表日期：{REFERENCE_DAY:%Y年%m月%d日}", "", "", "", "", ""])
            out.writerow([])
            line = 3
        out.writerow(HEADERS)
        line += 1
        written.header_line = line
        earlier: list[str] = []
        for row in generate_roster_rows(n, seed):
            line += 1
            if dirty:
                roll = rng.random()
                if roll < 0.003:
                    ident = row["id_number"]
                    wrong = "0" if ident[-1] != "0" else "1"
                    row["id_number"] = ident[:-1] + wrong
                    written.bad_checksum.append(line)
                elif roll < 0.005:
                    row["id_number"] = f"{float(row['id_number'][:17]) * 10:.14E}".replace("E+0", "E+")
                    written.excel_number.append(line)
                elif roll < 0.007 and earlier:
                    row["id_number"] = earlier[rng.randrange(len(earlier))]
                    written.duplicates.append(line)
                else:
                    if roll < 0.009:
                        row["phone"] = "1" + row["phone"][1:3] + "1234"  # too short
                        written.bad_phone.append(line)
                    if len(earlier) < 1000:  # only IDs that were written valid can be repeated
                        earlier.append(row["id_number"])
                row = _dirty_row(row, rng)
            values = [row[k] for k in KEYS]
            try:
                "".join(values).encode(encoding)
            except UnicodeEncodeError:
                # GBK has no 𠮷: a GBK sheet cannot hold such a name, so the row gets a plain one.
                values[0] = values[0][0].encode(encoding, "replace").decode(encoding).replace("?", "王") + "吉"
            out.writerow(values)
            written.rows += 1
    return written
