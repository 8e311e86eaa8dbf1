"""The results store: one embedded DuckDB file that a batch run fills and researchers query.

Tables (joinable by ``doc_id``; ids inside a document are the report's own ids):

* ``documents`` — one row per distinct document content: ``doc_id`` (the first 16 hex
  digits of its sha256), path, sha256, organization, region, year, kind, pages, status
  (``ok`` | ``error`` | ``timeout``), error, rules_version, tool_version, seconds, checked_at …
* ``files`` — every input path seen and the ``doc_id`` of its content (two copies of one
  report are one document, checked once).
* ``tables``, ``claims``, ``findings``, ``problems`` — the report's lists, one row per item.
* ``crossyear_findings`` — checks across documents (:mod:`reconcile.crossyear`).

Writing a document replaces all of its rows in one transaction (idempotent upsert), so a
re-check never leaves stale rows. Only one process may write a store at a time (DuckDB's
file lock); open it ``read_only=True`` to read while nothing writes.
"""

from __future__ import annotations

import functools
import importlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb

from . import __version__

__all__ = [
    "SCHEMA",
    "STORE_SCHEMA_VERSION",
    "TIMING_COLUMNS",
    "Region",
    "Store",
    "derive_region",
    "doc_id_for",
    "export_parquet",
    "rows_for_result",
]

STORE_SCHEMA_VERSION = "1"

# name -> [(column, duckdb type)]; the arrow type is derived from the duckdb type.
SCHEMA: dict[str, list[tuple[str, str]]] = {
    "documents": [
        ("doc_id", "VARCHAR"),
        ("path", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("format", "VARCHAR"),
        ("title", "VARCHAR"),
        ("organization", "VARCHAR"),
        ("region", "VARCHAR"),
        ("province", "VARCHAR"),
        ("city", "VARCHAR"),
        ("year", "INTEGER"),
        ("kind", "VARCHAR"),
        ("pages", "INTEGER"),
        ("lines", "INTEGER"),
        ("size", "BIGINT"),
        ("status", "VARCHAR"),
        ("error", "VARCHAR"),
        ("n_tables", "INTEGER"),
        ("n_claims", "INTEGER"),
        ("n_findings", "INTEGER"),
        ("n_inconsistent", "INTEGER"),
        ("n_problems", "INTEGER"),
        ("rules_version", "VARCHAR"),
        ("tool_version", "VARCHAR"),
        ("seconds", "DOUBLE"),
        ("checked_at", "TIMESTAMP"),
        ("worker", "VARCHAR"),
    ],
    "files": [
        ("path", "VARCHAR"),
        ("doc_id", "VARCHAR"),
        ("sha256", "VARCHAR"),
        ("size", "BIGINT"),
        ("mtime", "DOUBLE"),
        ("seen_at", "TIMESTAMP"),
    ],
    "tables": [
        ("doc_id", "VARCHAR"),
        ("table_id", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("title", "VARCHAR"),
        ("rows", "INTEGER"),
        ("columns", "INTEGER"),
        ("cells", "INTEGER"),
        ("pages", "VARCHAR"),  # JSON
        ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
        ("column_names", "VARCHAR"),  # JSON
    ],
    "claims": [
        ("doc_id", "VARCHAR"),
        ("claim_id", "VARCHAR"),
        ("text", "VARCHAR"),
        ("span_start", "INTEGER"),
        ("span_end", "INTEGER"),
        ("line", "INTEGER"),
        ("page", "INTEGER"),
        ("section", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("quantity", "VARCHAR"),
        ("value", "DOUBLE"),
        ("decimals", "INTEGER"),
        ("unit", "VARCHAR"),
        ("status", "VARCHAR"),
        ("base", "VARCHAR"),
        ("figure", "VARCHAR"),
        ("direction", "INTEGER"),
        ("head", "VARCHAR"),
        ("extra", "VARCHAR"),  # JSON: every other field of the claim
    ],
    "findings": [
        ("doc_id", "VARCHAR"),
        ("finding_id", "VARCHAR"),
        ("status", "VARCHAR"),
        ("check", "VARCHAR"),
        ("check_name", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("message", "VARCHAR"),
        ("expected", "DOUBLE"),
        ("observed", "DOUBLE"),
        ("tol_low", "DOUBLE"),
        ("tol_high", "DOUBLE"),
        ("lines", "VARCHAR"),  # JSON
        ("spans", "VARCHAR"),  # JSON
        ("cells", "VARCHAR"),  # JSON
        ("claim_ids", "VARCHAR"),  # JSON
    ],
    "problems": [
        ("doc_id", "VARCHAR"),
        ("n", "INTEGER"),
        ("stage", "VARCHAR"),
        ("message", "VARCHAR"),
        ("page", "INTEGER"),
    ],
    "crossyear_findings": [
        ("finding_id", "VARCHAR"),
        ("check", "VARCHAR"),
        ("check_name", "VARCHAR"),
        ("status", "VARCHAR"),
        ("severity", "VARCHAR"),
        ("message", "VARCHAR"),
        ("organization", "VARCHAR"),
        ("subject", "VARCHAR"),
        ("unit", "VARCHAR"),
        ("doc_id", "VARCHAR"),
        ("year", "INTEGER"),
        ("claim_ids", "VARCHAR"),  # JSON
        ("spans", "VARCHAR"),  # JSON
        ("other_doc_id", "VARCHAR"),
        ("other_year", "INTEGER"),
        ("other_claim_ids", "VARCHAR"),  # JSON
        ("other_spans", "VARCHAR"),  # JSON
        ("expected", "DOUBLE"),
        ("observed", "DOUBLE"),
        ("tol_low", "DOUBLE"),
        ("tol_high", "DOUBLE"),
    ],
    "meta": [("key", "VARCHAR"), ("value", "VARCHAR")],
}

# Columns that differ between two runs over the same inputs (leave them out to compare stores).
TIMING_COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("seconds", "checked_at", "worker"),
    "files": ("seen_at", "mtime"),
}

# Per-document tables: replaced as a whole when a document is written again.
DOC_TABLES = ("documents", "tables", "claims", "findings", "problems")


def _pa() -> Any:
    """pyarrow, imported on first use (batch workers never need it)."""
    return importlib.import_module("pyarrow")


@functools.cache
def _arrow_schema(table: str) -> Any:
    pa = _pa()
    types = {
        "VARCHAR": pa.string(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "DOUBLE": pa.float64(),
        "TIMESTAMP": pa.timestamp("us"),
    }
    return pa.schema([(name, types[typ]) for name, typ in SCHEMA[table]])


def doc_id_for(sha256: str) -> str:
    """The document id of a content hash."""
    return sha256[:16]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _int(v: Any) -> int | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return int(v)
    except (TypeError, ValueError):
        return None


def _float(v: Any) -> float | None:
    if v is None or isinstance(v, bool):
        return None
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def _str(v: Any) -> str | None:
    return None if v is None else str(v)


# ---------------------------------------------------------------------------- regions

# Province-level divisions: short name -> full name.
_PROVINCES: dict[str, str] = {
    "北京": "北京市",
    "天津": "天津市",
    "上海": "上海市",
    "重庆": "重庆市",
    "河北": "河北省",
    "山西": "山西省",
    "内蒙古": "内蒙古自治区",
    "辽宁": "辽宁省",
    "吉林": "吉林省",
    "黑龙江": "黑龙江省",
    "江苏": "江苏省",
    "浙江": "浙江省",
    "安徽": "安徽省",
    "福建": "福建省",
    "江西": "江西省",
    "山东": "山东省",
    "河南": "河南省",
    "湖北": "湖北省",
    "湖南": "湖南省",
    "广东": "广东省",
    "广西": "广西壮族自治区",
    "海南": "海南省",
    "四川": "四川省",
    "贵州": "贵州省",
    "云南": "云南省",
    "西藏": "西藏自治区",
    "陕西": "陕西省",
    "甘肃": "甘肃省",
    "青海": "青海省",
    "宁夏": "宁夏回族自治区",
    "新疆": "新疆维吾尔自治区",
}
_MUNICIPALITIES = frozenset({"北京", "天津", "上海", "重庆"})

# Prefecture-level cities, prefectures and leagues, by province (short names).
_CITIES: dict[str, str] = {
    "河北": "石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水",
    "山西": "太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁",
    "内蒙古": "呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 兴安 锡林郭勒 阿拉善",
    "辽宁": "沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛",
    "吉林": "长春 吉林 四平 辽源 通化 白山 松原 白城 延边",
    "黑龙江": "哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 大兴安岭",
    "江苏": "南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁",
    "浙江": "杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水",
    "安徽": "合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城",
    "福建": "福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德",
    "江西": "南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶",
    "山东": "济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽",
    "河南": "郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源",
    "湖北": "武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 神农架",
    "湖南": "长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西",
    "广东": "广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮",
    "广西": "南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左",
    "海南": "海口 三亚 三沙 儋州",
    "四川": "成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳 阿坝 甘孜 凉山",
    "贵州": "贵阳 六盘水 遵义 安顺 毕节 铜仁 黔西南 黔东南 黔南",
    "云南": "昆明 曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆",
    "西藏": "拉萨 日喀则 昌都 林芝 山南 那曲 阿里",
    "陕西": "西安 铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛",
    "甘肃": "兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南 临夏 甘南",
    "青海": "西宁 海东 海北 黄南 果洛 玉树 海西",
    "宁夏": "银川 石嘴山 吴忠 固原 中卫",
    "新疆": "乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰",
}
_CITY_PROVINCE: dict[str, str] = {c: p for p, names in _CITIES.items() for c in names.split()}

# Pinyin names and common abbreviations of provinces, as whole tokens of a file path.
_PINYIN: dict[str, str] = {
    "beijing": "北京",
    "tianjin": "天津",
    "shanghai": "上海",
    "chongqing": "重庆",
    "hebei": "河北",
    "shanxi": "山西",
    "neimenggu": "内蒙古",
    "liaoning": "辽宁",
    "jilin": "吉林",
    "heilongjiang": "黑龙江",
    "jiangsu": "江苏",
    "zhejiang": "浙江",
    "anhui": "安徽",
    "fujian": "福建",
    "jiangxi": "江西",
    "shandong": "山东",
    "henan": "河南",
    "hubei": "湖北",
    "hunan": "湖南",
    "guangdong": "广东",
    "guangxi": "广西",
    "hainan": "海南",
    "sichuan": "四川",
    "guizhou": "贵州",
    "yunnan": "云南",
    "xizang": "西藏",
    "shaanxi": "陕西",
    "gansu": "甘肃",
    "qinghai": "青海",
    "ningxia": "宁夏",
    "xinjiang": "新疆",
    # unambiguous abbreviations only (hb, hn, sx, gz … name two provinces)
    "bj": "北京",
    "tj": "天津",
    "sh": "上海",
    "cq": "重庆",
    "nmg": "内蒙古",
    "ln": "辽宁",
    "jl": "吉林",
    "hlj": "黑龙江",
    "js": "江苏",
    "zj": "浙江",
    "ah": "安徽",
    "fj": "福建",
    "jx": "江西",
    "sd": "山东",
    "gd": "广东",
    "gx": "广西",
    "sc": "四川",
    "yn": "云南",
    "xz": "西藏",
    "gs": "甘肃",
    "qh": "青海",
    "nx": "宁夏",
    "xj": "新疆",
}

_PROV_RE = re.compile(
    "(?:("
    + "|".join(sorted(set(_PROVINCES) - _MUNICIPALITIES, key=len, reverse=True))
    + r")(?:省|[\u4e00-\u9fff]{0,4}自治区)|("
    + "|".join(sorted(_MUNICIPALITIES))
    + ")市)"
)
_CITY_RE = re.compile(
    "(" + "|".join(sorted(_CITY_PROVINCE, key=len, reverse=True)) + r")"
    r"(?:市|地区|盟|州|[\u4e00-\u9fff]{1,8}自治州|林区)"
)


@dataclass(frozen=True, slots=True)
class Region:
    province: str | None = None
    city: str | None = None

    @property
    def label(self) -> str | None:
        """``广东省/清远市``, ``江苏省``, ``上海市`` or None."""
        if self.province and self.city:
            return f"{self.province}/{self.city}"
        return self.province or self.city


def _region_of_text(text: str) -> Region:
    """Province and city named in a Chinese text (an organization name, a path)."""
    province: str | None = None
    city: str | None = None
    mp = _PROV_RE.search(text)
    if mp:
        province = _PROVINCES[mp.group(1) or mp.group(2)]
    else:
        for short, full in _PROVINCES.items():
            if text.startswith(short):
                province = full
                break
    for mc in _CITY_RE.finditer(text):
        short = mc.group(1)
        if short in _MUNICIPALITIES:
            continue
        prov = _PROVINCES[_CITY_PROVINCE[short]]
        if province is not None and prov != province:
            continue
        city = mc.group(0)
        province = province or prov
        break
    if province in {_PROVINCES[m] for m in _MUNICIPALITIES}:
        city = None
    return Region(province, city)


def _region_of_path(path: str) -> Region:
    found = _region_of_text(path)
    if found.province:
        return found
    tail = "/".join(re.split(r"[\\/]+", path)[-4:])
    for tok in re.split(r"[\\/_\-.\s]+", tail.lower()):
        short = _PINYIN.get(tok)
        if short:
            return Region(_PROVINCES[short], None)
    return Region()


def derive_region(organization: str | None, path: str | None) -> Region:
    """Province and city from the organization name, else from the path; unknown parts are None."""
    org = _region_of_text(re.sub(r"\s+", "", organization)) if organization else Region()
    if org.province and org.city:
        return org
    by_path = _region_of_path(path) if path else Region()
    if org.province is None:
        return by_path if by_path.province else org
    if by_path.city and by_path.province == org.province:
        return Region(org.province, by_path.city)
    return org


# ---------------------------------------------------------------------------- rows


def _claim_status(findings: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    rank = {"inconsistent": 3, "verified": 2, "unverifiable": 1}
    out: dict[str, str] = {}
    for f in findings:
        st = str(f.get("status"))
        for cid in f.get("claims") or ():
            prev = out.get(cid)
            if st in rank and (prev is None or rank[st] > rank[prev]):
                out[cid] = st
    return out


_CLAIM_FIELDS = frozenset(
    {
        "id",
        "text",
        "span",
        "line",
        "page",
        "section",
        "subject",
        "quantity",
        "value",
        "decimals",
        "unit",
        "status",
        "base",
        "figure",
        "direction",
        "head",
    }
)


def _span(v: Any) -> tuple[int | None, int | None]:
    if isinstance(v, (list, tuple)) and len(v) == 2:
        return _int(v[0]), _int(v[1])
    return None, None


def rows_for_result(result: Mapping[str, Any], *, rules_version: str | None = None) -> dict[str, list[dict[str, Any]]]:
    """The store rows of one document outcome.

    ``result`` is what :func:`reconcile.batch.check_one` returns: ``path``, ``sha256``,
    ``status``, ``error``, ``seconds``, ``worker`` and ``report`` (the JSON report dict, or
    None when the document could not be checked). ``rules_version`` is used when there is
    no report to take it from.
    """
    sha = _str(result.get("sha256"))
    doc_id = _str(result.get("doc_id")) or (doc_id_for(sha) if sha else None)
    if doc_id is None:
        raise ValueError("a result needs a doc_id or a sha256")
    report: Mapping[str, Any] | None = result.get("report")
    path = _str(result.get("path"))
    doc: Mapping[str, Any] = (report or {}).get("document") or {}
    tool: Mapping[str, Any] = (report or {}).get("tool") or {}
    organization = _str(doc.get("organization"))
    region = derive_region(organization, path)
    findings: list[Mapping[str, Any]] = list((report or {}).get("findings") or [])
    claims: list[Mapping[str, Any]] = list((report or {}).get("claims") or [])
    tables: list[Mapping[str, Any]] = list((report or {}).get("tables") or [])
    problems: list[Mapping[str, Any]] = list((report or {}).get("errors") or [])
    checked_at = result.get("checked_at")
    if not isinstance(checked_at, datetime):
        checked_at = datetime.now(UTC).replace(tzinfo=None)
    documents = [
        {
            "doc_id": doc_id,
            "path": path,
            "sha256": sha,
            "format": _str(doc.get("format")),
            "title": _str(doc.get("title")),
            "organization": organization,
            "region": region.label,
            "province": region.province,
            "city": region.city,
            "year": _int(doc.get("year")),
            "kind": _str(doc.get("kind")),
            "pages": _int(doc.get("pages")),
            "lines": _int(doc.get("lines")),
            "size": _int(result.get("size")),
            "status": str(result.get("status") or "error"),
            "error": _str(result.get("error")),
            "n_tables": len(tables) if report is not None else None,
            "n_claims": len(claims) if report is not None else None,
            "n_findings": len(findings) if report is not None else None,
            "n_inconsistent": sum(1 for f in findings if f.get("status") == "inconsistent")
            if report is not None
            else None,
            "n_problems": len(problems) if report is not None else None,
            "rules_version": _str(tool.get("rules_version")) or rules_version,
            "tool_version": _str(tool.get("version")) or __version__,
            "seconds": _float(result.get("seconds")),
            "checked_at": checked_at,
            "worker": _str(result.get("worker")),
        }
    ]
    table_rows = []
    for t in tables:
        a, b = _span(t.get("span"))
        table_rows.append(
            {
                "doc_id": doc_id,
                "table_id": _str(t.get("id")),
                "kind": _str(t.get("kind")),
                "title": _str(t.get("title")),
                "rows": _int(t.get("rows")),
                "columns": _int(t.get("columns")),
                "cells": _int(t.get("cells")),
                "pages": _dumps(t.get("pages") or []),
                "span_start": a,
                "span_end": b,
                "column_names": _dumps(t.get("column_names") or []),
            }
        )
    status_of = _claim_status(findings)
    claim_rows = []
    for c in claims:
        a, b = _span(c.get("span"))
        cid = _str(c.get("id"))
        extra = {k: v for k, v in c.items() if k not in _CLAIM_FIELDS}
        claim_rows.append(
            {
                "doc_id": doc_id,
                "claim_id": cid,
                "text": _str(c.get("text")),
                "span_start": a,
                "span_end": b,
                "line": _int(c.get("line")),
                "page": _int(c.get("page")),
                "section": _str(c.get("section")),
                "subject": _str(c.get("subject")),
                "quantity": _str(c.get("quantity")),
                "value": _float(c.get("value")),
                "decimals": _int(c.get("decimals")),
                "unit": _str(c.get("unit")),
                "status": _str(c.get("status")) or (status_of.get(cid) if cid else None),
                "base": _str(c.get("base")),
                "figure": _str(c.get("figure")),
                "direction": _int(c.get("direction")),
                "head": _str(c.get("head")),
                "extra": _dumps(extra),
            }
        )
    finding_rows = []
    for f in findings:
        tol = f.get("tolerance") or [None, None]
        finding_rows.append(
            {
                "doc_id": doc_id,
                "finding_id": _str(f.get("id")),
                "status": _str(f.get("status")),
                "check": _str(f.get("check")),
                "check_name": _str(f.get("check_name")),
                "severity": _str(f.get("severity")),
                "message": _str(f.get("message")),
                "expected": _float(f.get("expected")),
                "observed": _float(f.get("observed")),
                "tol_low": _float(tol[0]) if len(tol) == 2 else None,
                "tol_high": _float(tol[1]) if len(tol) == 2 else None,
                "lines": _dumps(f.get("lines") or []),
                "spans": _dumps(f.get("spans") or []),
                "cells": _dumps(f.get("cells") or []),
                "claim_ids": _dumps(f.get("claims") or []),
            }
        )
    problem_rows = [
        {
            "doc_id": doc_id,
            "n": i,
            "stage": _str(p.get("stage")),
            "message": _str(p.get("message")),
            "page": _int(p.get("page")),
        }
        for i, p in enumerate(problems, 1)
    ]
    return {
        "documents": documents,
        "tables": table_rows,
        "claims": claim_rows,
        "findings": finding_rows,
        "problems": problem_rows,
    }


# ---------------------------------------------------------------------------- the store


@dataclass(frozen=True, slots=True)
class KnownDocument:
    """What the store says about a document already checked (for resuming)."""

    rules_version: str | None
    status: str
    n_inconsistent: int


class Store:
    """An open results store. Use as a context manager, or call :meth:`close`."""

    def __init__(self, path: str | Path, *, read_only: bool = False) -> None:
        self.path = Path(path)
        if not read_only:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        elif not self.path.exists():
            raise FileNotFoundError(f"{self.path}: no such store")
        self.read_only = read_only
        self.con = duckdb.connect(str(self.path), read_only=read_only)
        self._seq = 0
        if not read_only:
            self._create()

    # -- lifecycle
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _create(self) -> None:
        for name, cols in SCHEMA.items():
            body = ", ".join(f'"{c}" {t}' for c, t in cols)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{name}" ({body})')
        # older stores gain new columns (columns are only ever added)
        for name, cols in SCHEMA.items():
            have = {
                r[0]
                for r in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ?", [name]
                ).fetchall()
            }
            for c, t in cols:
                if c not in have:
                    self.con.execute(f'ALTER TABLE "{name}" ADD COLUMN "{c}" {t}')
        self.con.execute("DELETE FROM meta WHERE key = 'schema_version'")
        self.con.execute("INSERT INTO meta VALUES ('schema_version', ?)", [STORE_SCHEMA_VERSION])

    # -- reading
    def query(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return list(self.con.execute(sql, list(params) if params is not None else None).fetchall())

    def known_documents(self) -> dict[str, KnownDocument]:
        rows = self.query("SELECT doc_id, rules_version, status, coalesce(n_inconsistent, 0) FROM documents")
        return {r[0]: KnownDocument(r[1], r[2], int(r[3])) for r in rows}

    def count(self, table: str) -> int:
        if table not in SCHEMA:
            raise KeyError(table)
        row = self.con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        return int(row[0]) if row else 0

    def snapshot(self, table: str, *, timing: bool = False) -> list[tuple[Any, ...]]:
        """Every row of a table, sorted, without the timing columns unless ``timing``."""
        if table not in SCHEMA:
            raise KeyError(table)
        skip = () if timing else TIMING_COLUMNS.get(table, ())
        cols = [c for c, _ in SCHEMA[table] if c not in skip]
        sel = ", ".join(f'"{c}"' for c in cols)
        return sorted(
            self.query(f'SELECT {sel} FROM "{table}"'),
            key=lambda r: tuple((x is None, str(x)) for x in r),
        )

    # -- writing
    def _insert(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        if not rows:
            return
        schema = _arrow_schema(table)
        data = _pa().Table.from_pylist([dict(r) for r in rows], schema=schema)
        self._seq += 1
        name = f"_in_{table}_{self._seq}"
        self.con.register(name, data)
        try:
            cols = ", ".join(f'"{c}"' for c, _ in SCHEMA[table])
            self.con.execute(f'INSERT INTO "{table}" ({cols}) SELECT {cols} FROM "{name}"')
        finally:
            self.con.unregister(name)

    def write(self, rows: Mapping[str, Sequence[Mapping[str, Any]]], *, replace: bool = True) -> None:
        """Write one document's rows (from :func:`rows_for_result`), replacing its old rows."""
        self.write_batch([rows], replace=replace)

    def write_batch(self, batch: Sequence[Mapping[str, Sequence[Mapping[str, Any]]]], *, replace: bool = True) -> None:
        """Write several documents' rows in one transaction, replacing their old rows.

        ``replace=False`` skips the deletes when the caller knows the documents are new.
        """
        by_id: dict[str, Mapping[str, Sequence[Mapping[str, Any]]]] = {}
        for rows in batch:
            docs = rows.get("documents") or []
            if len(docs) != 1:
                raise ValueError("each entry holds the rows of exactly one document")
            by_id[str(docs[0]["doc_id"])] = rows  # the last outcome of a document wins
        if not by_id:
            return
        ids = list(by_id)
        self.con.begin()
        try:
            if replace:
                marks = ", ".join("?" for _ in ids)
                for t in DOC_TABLES:
                    self.con.execute(f'DELETE FROM "{t}" WHERE doc_id IN ({marks})', ids)
            for t in DOC_TABLES:
                self._insert(t, [r for rows in by_id.values() for r in rows.get(t) or []])
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def write_result(self, result: Mapping[str, Any], *, rules_version: str | None = None) -> dict[str, Any]:
        """Write one :func:`reconcile.batch.check_one` outcome; return its documents row."""
        rows = rows_for_result(result, rules_version=rules_version)
        self.write(rows)
        return rows["documents"][0]

    def record_files(self, files: Iterable[Mapping[str, Any]]) -> None:
        """Upsert ``files`` rows (path, doc_id, sha256, size, mtime) keyed by path."""
        now = datetime.now(UTC).replace(tzinfo=None)
        rows = [{**f, "seen_at": f.get("seen_at") or now} for f in files]
        if not rows:
            return
        self.con.begin()
        try:
            schema = _arrow_schema("files")
            data = _pa().Table.from_pylist(rows, schema=schema)
            self._seq += 1
            name = f"_in_files_{self._seq}"
            self.con.register(name, data)
            try:
                self.con.execute(f'DELETE FROM files WHERE path IN (SELECT path FROM "{name}")')
                cols = ", ".join(f'"{c}"' for c, _ in SCHEMA["files"])
                self.con.execute(f'INSERT INTO files ({cols}) SELECT {cols} FROM "{name}"')
            finally:
                self.con.unregister(name)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def replace_table(self, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
        """Replace a derived table (``crossyear_findings``) as a whole."""
        if table in DOC_TABLES or table not in SCHEMA:
            raise ValueError(f"{table} is not a derived table")
        self.con.begin()
        try:
            self.con.execute(f'DELETE FROM "{table}"')
            self._insert(table, rows)
            self.con.commit()
        except BaseException:
            self.con.rollback()
            raise

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write one parquet file per table into ``directory``; return their paths."""
        out = Path(directory)
        out.mkdir(parents=True, exist_ok=True)
        paths: list[Path] = []
        for name in SCHEMA:
            if name == "meta":
                continue
            target = out / f"{name}.parquet"
            literal = str(target).replace("'", "''")
            self.con.execute(f"COPY (SELECT * FROM \"{name}\") TO '{literal}' (FORMAT parquet)")
            paths.append(target)
        return paths


def export_parquet(store: str | Path, directory: str | Path) -> list[Path]:
    """Write one parquet file per table of the store at ``store`` into ``directory``."""
    with Store(store, read_only=True) as st:
        return st.export_parquet(directory)
