"""Roster notices of a fixed length: 初审公示 and 终止公示 (《特困人员认定办法》第二十六条) run for
site.yaml ``roster.notice_days`` calendar days or working days, by the official holiday calendar
with its make-up workdays; a year the calendar does not know is an error saying what to add."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import SITE_YAML, run_cli, soup, write_tree
from test_rosters import HEADER, roster_yaml, rows

from site_builder.options import Options
from site_builder.pipeline import load_site
from site_builder.problems import ContentError
from site_builder.workdays import Calendar, UnknownYear

HOTLINE = "  hotline: 0599-86612345\n"
WORKING = SITE_YAML.replace(HOTLINE, HOTLINE + "  notice_days: 7\n  notice_unit: 工作日\n")


def test_seven_working_days_across_the_national_day_week() -> None:
    # 2026: 09-25…27 (中秋) and 10-01…10-07 off; 09-20 (Sun) and 10-10 (Sat) are make-up workdays
    calendar = Calendar()
    assert calendar.last_of(date(2026, 9, 25), 7) == date(2026, 10, 12)  # 9-28, 29, 30, 10-8, 9, 10, 12
    assert calendar.last_of(date(2026, 9, 19), 1) == date(2026, 9, 20)  # a Saturday start: Sunday 9-20 is worked
    assert calendar.last_of(date(2026, 10, 1), 1) == date(2026, 10, 8)
    assert calendar.workdays_after(date(2026, 9, 30), date(2026, 10, 8)) == 1


def test_a_year_the_calendar_does_not_know_is_never_guessed() -> None:
    with pytest.raises(UnknownYear) as caught:
        Calendar().last_of(date(2026, 12, 28), 7)
    assert caught.value.year == 2027
    # site.yaml gives that year's days: then it is Monday to Friday with them
    known = Calendar(holidays=frozenset({date(2027, 1, 1)}))
    assert known.last_of(date(2026, 12, 28), 7) == date(2027, 1, 6)  # 12-28…31, 1-4, 5, 6 (1-1 off)


def load(tmp_path: Path, site_yaml: str, files: dict[str, str], today: str) -> tuple[list[str], list[str]]:
    """(titles of the rosters published on ``today``, the problems)."""
    root = write_tree(tmp_path / "content", {"site.yaml": site_yaml, **files})
    options = Options(content_dir=root, out_dir=tmp_path / "out", today=date.fromisoformat(today))
    try:
        site, problems = load_site(options, lambda _: None)
    except ContentError as exc:
        return [], [str(p) for p in exc.problems]
    return [r.slug for r in site.rosters], [str(p) for p in problems.items]


NOTICE = {
    "rosters/t.yaml": roster_yaml(stage="终止公示", publish_from="2026-09-25", period='"2026-09"'),
    "rosters/t.csv": HEADER + rows(2),
}


@pytest.mark.parametrize(
    ("today", "online"), [("2026-09-24", False), ("2026-09-25", True), ("2026-10-12", True), ("2026-10-13", False)]
)
def test_a_termination_notice_of_seven_working_days_is_online_for_exactly_its_period(
    tmp_path: Path, today: str, online: bool
) -> None:
    published, problems = load(tmp_path, WORKING, NOTICE, today)
    assert problems == [] and published == (["t"] if online else [])


def test_in_calendar_days_the_same_notice_ends_a_week_after_it_starts(tmp_path: Path) -> None:
    assert load(tmp_path, SITE_YAML, NOTICE, "2026-10-01")[0] == ["t"]
    assert load(tmp_path, SITE_YAML, NOTICE, "2026-10-02")[0] == []


def test_a_notice_running_into_an_unknown_year_says_what_to_add(tmp_path: Path) -> None:
    files = {
        "rosters/t.yaml": roster_yaml(stage="初审公示", publish_from="2026-12-28"),
        "rosters/t.csv": HEADER + rows(1),
    }
    _published, problems = load(tmp_path, WORKING, files, "2026-12-28")
    assert problems == [
        (
            "content/rosters/t.yaml:5: 公示期按 7 个工作日计算，需要 2027 年的节假日：工作日历没有 2027 年的节假日数据"
            "（请升级 chinesecalendar，或在 site.yaml 的 calendar 中写上 2027 年的 节假日 和 调休上班日）"
        )
    ]
    given = WORKING + "calendar:\n  节假日: [2027-01-01]\n"
    assert load(tmp_path, given, files, "2027-01-06") == (["t"], [])
    assert load(tmp_path, given, files, "2027-01-07") == ([], [])


def test_the_notice_page_and_the_list_say_its_length(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", {"site.yaml": WORKING, **NOTICE})
    out = tmp_path / "output"
    assert run_cli("build", "--content", str(content), "--out", str(out), "--today", "2026-09-28").code == 0
    page = soup(out / "rosters" / "t" / "index.html")
    text = page.find("section", class_="notice-text").get_text(" ", strip=True)
    assert "拟终止城市低保的人员名单予以公示" in text and "共 7 个工作日" in text
    assert "2026-09-25 至 2026-10-12" in text
    listing = soup(out / "rosters" / "index.html")
    assert listing.find("h2", id="termination-heading").get_text() == "终止公示"
