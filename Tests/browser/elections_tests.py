"""换届选举 in the browser: the pages as the roles that see them, on a desktop and at 360 px; a worker prepares an
election (a timetable with the roll too late refused at its field), publishes the roll drawn from the registry; the
portal's election notice with the roll's names masked, without signing in."""
from __future__ import annotations

import datetime

from selenium.webdriver.common.by import By

from harness import (district_today, api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit)

def set_date(d, name: str, value: str):
    # A date field takes its value in the browser's own format when typed: set it as ISO.
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.NAME, name), value)


ROLE_PAGES = {
    "worker": ["/console/elections", "/console/elections/board", "/console/elections/new"],
    "street": ["/console/elections", "/console/elections/board"],
    "district": ["/console/elections", "/console/elections/board"],
}


def the_demo_election() -> str:
    """The id of the demo's election in the worker's community (last year's general election)."""
    items = api("GET", "/api/v1/elections", token("worker"))
    assert items, "the demo held no election in the worker's community"
    return items[0]["id"]


@test
def elections_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px; the demo election's page; the portal's list and
    the election notice (names masked) without signing in."""
    election = the_demo_election()
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + ["/console/elections/" + election]:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    assert "选举" in d.find_element(By.TAG_NAME, "h1").text, f"{role} {page}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"elections-{kind}-{role}" + page.replace(election, "file").replace("/console/elections", "").replace("/", "-"))
        d.delete_all_cookies()
        for page in ["/notices/elections", "/notices/elections/" + election]:
            try:
                visit(d, page)
                assert "选举" in text_of(d), page
            except AssertionError as e:
                problems.append(f"{kind}: {e}")
            shot(d, f"elections-{kind}-portal" + ("-notice" if election in page else ""))
    assert not problems, "\n".join(problems)


@test
def a_worker_prepares_an_election_and_publishes_the_roll():
    """The form refuses a roll published less than 20 days before the vote at its field; corrected, the election is
    prepared and its roll drawn from the registry; the portal shows the roll with masked names."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/elections/new")
    day = district_today() + datetime.timedelta(days=40)
    fill(d, "committee", "王建国、李红、张伟")
    set_date(d, "election_day", day.isoformat())
    set_date(d, "roll_published_on", (day - datetime.timedelta(days=10)).isoformat())
    click_button(d, "保存")
    assert "20日前" in field_error(d, "roll_published_on"), text_of(d)[:400]
    shot(d, "elections-form-refused")
    set_date(d, "roll_published_on", (day - datetime.timedelta(days=25)).isoformat())
    set_date(d, "roll_frozen_on", (day - datetime.timedelta(days=5)).isoformat())
    set_date(d, "candidates_published_on", (day - datetime.timedelta(days=5)).isoformat())
    click_button(d, "保存")
    assert "筹备中" in text_of(d), text_of(d)[:400]
    path = path_of(d)
    click_button(d, "从人口登记生成并公布选民名单")
    assert "选民名单已公布" in text_of(d), text_of(d)[:400]
    rows = d.find_elements(By.CSS_SELECTOR, "tbody tr")
    assert rows, "the roll is empty"
    full = rows[0].find_elements(By.TAG_NAME, "td")[0].text
    shot(d, "elections-roll-published")
    d.delete_all_cookies()
    visit(d, "/notices/elections/" + path.rsplit("/", 1)[-1])
    assert "选民名单" in text_of(d)
    assert full not in text_of(d).split("选民名单")[-1], f"the portal shows the full name {full}"
    shot(d, "elections-portal-roll")
