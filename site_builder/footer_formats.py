"""The formats of the identifiers a government site's footer shows, and the addresses they link to.

One place for both: site.yaml is checked against these patterns (config.py), the footer links
are made from these addresses (templates, through the ``footer`` Jinja global) and `audit`
checks the built pages against the same patterns.

* 网站标识码: issued by the national government-website system, 6–20 letters or digits (a
  government site's is 10 digits, e.g. ``3799000012``);
* ICP备案号 (工业和信息化部): ``鲁ICP备12345678号`` or ``鲁ICP备12345678号-1``, linked to the MIIT
  record site;
* 公安机关备案号: ``鲁公网安备37010202000123号`` (a province, 公网安备, 14 digits, 号), linked to the
  public-security record site's entry for its number;
* 党政机关网站标识 (中央机构编制委员会办公室): the site's 32-character identifier, a plain link to
  its verification page (never the script from that host);
* 我为政府网站找错: the national error-report page, with the site code and the page's address.
"""

from __future__ import annotations

import re
from typing import Final
from urllib.parse import quote

# the one-character names of the 34 provincial-level divisions, as record numbers use them
PROVINCES: Final = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台"

SITE_ID: Final = re.compile(r"[0-9A-Za-z]{6,20}")
ICP: Final = re.compile(rf"[{PROVINCES}]ICP备\d{{6,10}}号(?:-\d{{1,3}})?")
POLICE_RECORD: Final = re.compile(rf"([{PROVINCES}])公网安备(\d{{14}})号")
CONAC_ID: Final = re.compile(r"[0-9A-Fa-f]{32}")

MIIT_URL: Final = "https://beian.miit.gov.cn/"
MPS_URL: Final = "https://beian.mps.gov.cn/#/query/webSearch?code="
CONAC_URL: Final = "https://bszs.conac.cn/sitename?method=show&id="
ERROR_REPORT_URL: Final = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"


def police_url(record: str) -> str:
    """The public-security record site's page for ``record`` (``鲁公网安备37010202000123号``)."""
    match = POLICE_RECORD.fullmatch(record)
    return MPS_URL + (match.group(2) if match else "")


def conac_url(conac_id: str) -> str:
    return CONAC_URL + conac_id.upper()


def error_report_url(site_id: str, page_url: str) -> str:
    """「我为政府网站找错」 for one page: the site code and the page's address, encoded."""
    return f"{ERROR_REPORT_URL}?site_code={quote(site_id, safe='')}&url={quote(page_url, safe='')}"
