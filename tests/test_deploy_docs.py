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
        "location ^~ /rosters/",
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


def test_ci_example_audits_what_it_published() -> None:
    """The inspection rules run after every upload (never before it: a stale column must not keep
    expired notices online), strictly, with the findings kept as data."""
    workflow = yaml.safe_load((ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    audit = workflow["jobs"]["audit"]
    assert audit["needs"] == "publish"
    script = "\n".join(step.get("run", "") for step in audit["steps"])
    assert "build.py audit --strict" in script and "--json audit.json" in script and "--out output" in script
    assert any(step.get("with", {}).get("name") == "site" for step in audit["steps"])  # the published files


def test_nginx_config_loads_on_debian_12s_nginx() -> None:
    """nginx 1.22 (Debian 12) has no `http2` directive (1.25.1+): it refuses to start on one. The
    documented blocks turn HTTP/2 on in the listen line (tests/test_nginx.py runs them)."""
    text = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```nginx\n(.*?)\n```", text, flags=re.DOTALL)
    assert blocks
    config = "\n".join(line.split("#", 1)[0] for block in blocks for line in block.splitlines())
    assert not re.search(r"^\s*http2\s", config, flags=re.MULTILINE)
    assert re.search(r"^\s*listen 443 ssl http2;", config, flags=re.MULTILINE)


def test_ci_example_cannot_hang_and_a_failure_alerts() -> None:
    """A hung step must fail the run, and a failed run (which uploads nothing, so expired roster
    notices stay online) must tell someone: docs/deploy.md, 4 says what they must then do."""
    workflow = yaml.safe_load((ROOT / "docs" / "ci-example.yml").read_text(encoding="utf-8"))
    jobs = workflow["jobs"]
    for name, job in jobs.items():
        assert isinstance(job.get("timeout-minutes"), int), f"job {name} has no timeout-minutes"
        for step in job["steps"]:
            label = step.get("name") or step.get("uses")
            assert isinstance(step.get("timeout-minutes"), int), f"step {label!r} of {name} has no timeout-minutes"
    notify = [job for job in jobs.values() if "failure()" in str(job.get("if", ""))]
    assert len(notify) == 1, "no job runs on failure"
    assert set(notify[0]["needs"]) == set(jobs) - {name for name, job in jobs.items() if job is notify[0]}
    alert = "\n".join(step.get("run", "") for step in notify[0]["steps"])
    assert "gh issue create" in alert and "ALERT_WEBHOOK_URL" in alert
    assert notify[0]["permissions"] == {"issues": "write"}
    publish_failure = [step for step in jobs["publish"]["steps"] if step.get("if") == "failure()"]
    assert publish_failure and "GITHUB_STEP_SUMMARY" in publish_failure[0]["run"]

    deploy = (ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    section = deploy[deploy.index("## 4. When the daily build fails") :]
    assert "notify" in section and "rm -rf" in section and "Run workflow" in section
