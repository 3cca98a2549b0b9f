"""docs/deploy.md and docs/ci-example.yml stay in step with the site they publish."""

from __future__ import annotations

import re

import yaml
from conftest import ROOT


def test_nginx_csp_is_the_pages_csp_plus_frame_ancestors() -> None:
    meta = re.search(
        r'http-equiv="Content-Security-Policy" content="([^"]+)"',
        (ROOT / "templates" / "base.html").read_text(encoding="utf-8"),
    )
    header = re.search(
        r'add_header Content-Security-Policy "([^"]+)" always;',
        (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8"),
    )
    assert meta and header
    assert header.group(1) == meta.group(1) + "; frame-ancestors 'none'"


def test_nginx_config_has_the_headers_the_site_relies_on() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    for needed in (
        'X-Content-Type-Options "nosniff"',
        "Referrer-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "error_page 404 /404.html",
        "location /rosters/",
        'X-Robots-Tag "noindex',
        "location /static/",
        "immutable",
    ):
        assert needed in text, needed


def test_ci_example_tests_builds_and_uploads() -> None:
    workflow = yaml.safe_load((ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    steps = [step.get("run", "") for job in workflow["jobs"].values() for step in job["steps"]]
    script = "\n".join(steps)
    assert "python -m pytest" in script
    assert "build.py build --strict" in script and "--today" in script
    assert "manifest.json" in script and "rsync" in script
    assert workflow["jobs"]["publish"]["needs"] == "test"
