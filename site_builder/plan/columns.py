"""The columns (栏目) of the disclosure site, as the 47号文 meta tags name them.

Every page belongs to one column; its ``ColumnType`` is one of `COLUMN_TYPES`, the column
types of the 政府信息公开 platform (国办公开办函〔2019〕61号: 政府信息公开指南, 政府信息公开制度,
法定主动公开内容, 政府信息公开年报, plus 依申请公开 and the column's home), and 办事服务 for the
service guides (办事指南) that 民办函〔2019〕52号 lists among the column's contents. `audit` checks every
built page against this list.
"""

from __future__ import annotations

from typing import Final

HOME: Final = "政府信息公开"  # the column's home page
GUIDE: Final = "信息公开指南"
SYSTEM: Final = "信息公开制度"
CATALOG: Final = "信息公开目录"  # the catalog and the policies in it
STATUTORY: Final = "法定主动公开内容"  # standards and roster notices
SERVICE: Final = "办事服务"  # service guides (办事指南)
REPORTS: Final = "信息公开年报"
REQUEST: Final = "依申请公开"
SEARCH: Final = "站内搜索"
SITE_INFO: Final = "网站信息"  # 关于本站, 无障碍声明, the 404 page

COLUMN_TYPES: Final = (HOME, GUIDE, SYSTEM, CATALOG, STATUTORY, SERVICE, REPORTS, REQUEST, SEARCH, SITE_INFO)

# a free page's column by its slug (others: SITE_INFO; a 年报 page: REPORTS)
PAGE_COLUMNS: Final = {"guide": GUIDE, "system": SYSTEM}


def column(name: str, description: str, keywords: str, column_type: str) -> dict[str, str]:
    """The four Column meta tags of a page."""
    assert column_type in COLUMN_TYPES, column_type
    return {
        "ColumnName": name,
        "ColumnDescription": description,
        "ColumnKeywords": keywords,
        "ColumnType": column_type,
    }
