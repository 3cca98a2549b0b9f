"""What `audit` reports: findings, each tied to the rule an inspector applies and where it is.

A finding's ``rule`` is a key of `RULES`, which names the rule in Chinese and the document it
comes from; ``path`` and ``line`` say where (a content file, site.yaml or a built page), line 0
when there is no line to point at.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Rule:
    title: str
    source: str


INSPECTION: Final = "《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）"
GUIDELINE: Final = "《政府网站发展指引》（国办发〔2017〕47号）"
REGULATIONS: Final = "《中华人民共和国政府信息公开条例》"
PLATFORM: Final = "《关于政府信息公开平台建设的意见》（国办公开办函〔2019〕61号）"

RULES: Final = {
    "stale-column": Rule("栏目不更新：政策文件类栏目超过 6 个月没有新信息", f"{INSPECTION} 单项否决：内容更新"),
    "stale-home": Rule("首页栏目超过 2 周没有新信息", f"{INSPECTION} 单项否决：内容更新"),
    "empty-column": Rule("空白栏目", f"{INSPECTION} 内容更新（空白栏目超过 5 个为单项否决）"),
    "annual-report-missing": Rule("上一年度政府信息公开工作年度报告未按期公布", f"{REGULATIONS} 第四十九条"),
    "annual-report-late": Rule("年度报告公布晚于期限", f"{REGULATIONS} 第四十九条"),
    "footer": Rule("页脚要素缺失或格式不对", f"{GUIDELINE}；{INSPECTION} 网站标识"),
    "meta": Rule("网页元数据缺失或格式不对", f"{GUIDELINE} 附件《政府网站网页设计规范》"),
    "catalog-summary": Rule("政府信息公开目录条目缺少内容概述", f"{REGULATIONS} 第十二条"),
    "late-publication": Rule("信息形成后超过 20 个工作日才公开", f"{REGULATIONS} 第二十六条"),
    "broken-link": Rule("链接或附件无法访问", f"{INSPECTION} 可用性：链接可用性"),
    "unreachable": Rule("页面从栏目首页无法到达", f"{PLATFORM}；{INSPECTION} 可用性"),
    "roster-expired": Rule("公示名单超过公示期仍在网上", "《最低生活保障审核确认办法》第二十四条；《个人信息保护法》"),
    "column-nav": Rule("栏目导航不完整", f"{PLATFORM}：四个一级栏目"),
    "statutory-info": Rule(
        "法定主动公开内容缺少机构职能、领导信息或监督检查", f"{REGULATIONS} 第二十条第（一）项；{PLATFORM}"
    ),
}


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    path: str
    line: int
    rule: str
    message: str
    severity: Severity = "error"

    def __post_init__(self) -> None:
        if self.rule not in RULES:
            raise ValueError(f"unknown audit rule {self.rule!r}")

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        level = "错误" if self.severity == "error" else "警告"
        return f"{where}: {level}：{self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "title": RULES[self.rule].title,
            "source": RULES[self.rule].source,
            "severity": self.severity,
            "path": self.path,
            "line": self.line or None,
            "message": self.message,
        }
