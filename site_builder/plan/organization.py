"""Plan entry for the bureau's own page (机构信息: 机构职能, 内设机构, 领导信息, 监督检查), part of
法定主动公开内容 beside the catalog, the standards and the roster notices."""

from __future__ import annotations

from .. import urls
from ..site import Site
from . import HOME_CRUMB, Entry, Meta, Render, columns

TITLE = "机构信息"
DESCRIPTION = "法定主动公开内容：机构职能、内设机构、领导信息和监督检查（信访、投诉）渠道"


def plan_organization(site: Site) -> list[Entry]:
    organization = site.organization
    if organization is None:
        return []
    return [
        Render(
            urls.output_file(urls.organization()),
            "organization.html",
            Meta(
                TITLE,
                (HOME_CRUMB, ("法定主动公开内容", urls.catalog()), (TITLE, None)),
                description=DESCRIPTION,
                nav="catalog",
                column=columns.column(TITLE, DESCRIPTION, "机构职能,内设机构,领导信息,监督检查", columns.STATUTORY),
            ),
            {"organization": organization},
            markdown=organization.functions,
            searchable=True,
            lastmod=organization.updated,
            source=organization.source,
            body_line=organization.line("functions") + 1,
        )
    ]
