"""``build.py audit``: the machine-checkable rules a government-website inspector applies, on the
content (`content.audit_content`, through the model of the site on "today") and on the built
site (`output.audit_output`: links, reachability, meta tags, the footer of every page).

The findings are printed as a Chinese report grouped by rule, each rule with the document it
comes from, and written as JSON with ``--json``. Errors fail the audit; warnings only with
``--strict``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..options import Log, Options
from ..problems import UsageError
from .content import audit_content
from .findings import RULES, Finding
from .output import FooterExpectation, audit_output


@dataclass(frozen=True, slots=True)
class AuditReport:
    today: date
    findings: tuple[Finding, ...]

    @property
    def errors(self) -> int:
        return sum(f.severity == "error" for f in self.findings)

    @property
    def warnings(self) -> int:
        return sum(f.severity == "warning" for f in self.findings)

    def failed(self, strict: bool) -> bool:
        return self.errors > 0 or (strict and self.warnings > 0)

    def lines(self, strict: bool) -> list[str]:
        """The terminal report: findings grouped by rule, in the order of `RULES`, then a verdict."""
        out = [f"政府网站检查（检查日期 {self.today}）"]
        for rule, spec in RULES.items():
            found = [f for f in self.findings if f.rule == rule]
            if found:
                out.append(f"【{spec.title}】依据：{spec.source}")
                out += [f"  {finding}" for finding in found]
        verdict = "未通过" if self.failed(strict) else "通过"
        out.append(
            f"检查{verdict}：{self.errors} 个错误，{self.warnings} 个警告"
            + ("（--strict：警告也算）" if strict else "")
        )
        return out

    def as_json(self) -> dict[str, object]:
        return {
            "today": self.today.isoformat(),
            "errors": self.errors,
            "warnings": self.warnings,
            "findings": [f.as_json() for f in self.findings],
        }


def audit(options: Options, log: Log) -> AuditReport:
    """Audit the content of ``options.content_dir`` and the site built from it in ``options.out_dir``.

    Bad content stops here as in ``check`` (ContentError); no built site is a usage error.
    """
    from ..pipeline import load_site

    index = options.out_dir / "index.html"
    if not index.is_file():
        raise UsageError(f"{options.out_dir} 里没有生成的网站：先运行 build.py build --out {options.out_dir}")
    site, problems = load_site(options, log)
    config = site.config
    footer = FooterExpectation(
        site_id=config.site_id, icp=config.icp, police_record=config.police_record, conac_id=config.conac_id
    )
    findings = audit_content(site, problems.rel, options.out_dir)
    findings += audit_output(options.out_dir, config.base_url, footer, problems.rel)
    return AuditReport(options.today, tuple(sorted(findings, key=_order)))


def _order(finding: Finding) -> tuple[int, str, int, str]:
    rules: Sequence[str] = list(RULES)
    return (rules.index(finding.rule), finding.path, finding.line, finding.message)


def write_json(report: AuditReport, path: Path) -> None:
    path.write_text(json.dumps(report.as_json(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


__all__ = ["AuditReport", "audit", "write_json"]
