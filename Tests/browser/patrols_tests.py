"""网格巡查 in the browser: the pages as the roles that see them, on a desktop and at 360 px; a grid worker's round on a
phone — started, a point outside the grid refused at its field, a building recorded, ended — and the round's page."""
from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from harness import (api, assert_no_overflow, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of,
                     token, use_session, visit)


def a_round() -> str:
    items = api("GET", "/api/v1/patrols/rounds?per_page=5&status=ended", token("street"))["items"]
    assert items, "the demo has no rounds in the street"
    return items[0]["id"]


ROLE_PAGES = {
    "grid": ["/console/patrols/round", "/console/patrols", "/console/patrols/rounds?mine=true"],
    "worker": ["/console/patrols/round", "/console/patrols"],
    "street": ["/console/patrols", "/console/patrols?all=true", "/console/patrols/rounds", "/console/patrols/rounds?page=2"],
    "district": ["/console/patrols", "/console/patrols/settings"],
}


@test
def patrols_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); a round's page."""
    detail = "/console/patrols/rounds/" + a_round()
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + ([detail] if role == "street" else []):
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                    if kind == "phone":
                        assert_no_overflow(d)
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"patrols-{kind}-{role}" + page.replace("/console/patrols", "").replace("/", "-").replace("?", "-")[:40])
    assert not problems, "\n".join(problems)


@test
def a_round_on_a_phone():
    """The grid worker starts a round at 360 px, types a point outside the grid (refused at the latitude, nothing
    recorded), records a building of the grid, ends the round and lands on its page."""
    d = phone_driver()
    use_session(d, "grid")
    visit(d, "/console/patrols/round")
    if "结束本轮巡查" in text_of(d):
        click_button(d, "结束本轮巡查")
        visit(d, "/console/patrols/round")
    click_button(d, "开始巡查")
    assert "记录巡查点" in text_of(d), text_of(d)[:400]
    assert_no_overflow(d)
    shot(d, "patrols-phone-round-open")
    fill(d, "latitude", "32.0")
    fill(d, "longitude", "119.0")
    click_button(d, "记录巡查点")
    assert "不在" in field_error(d, "latitude"), text_of(d)[:400]
    assert "尚未记录巡查点" in text_of(d), text_of(d)[:400]
    shot(d, "patrols-phone-point-refused")
    options = [o.get_attribute("value") for o in Select(d.find_element(By.NAME, "building_id")).options if o.get_attribute("value")]
    assert options, "the grid has no buildings to choose"
    fill(d, "building_id", options[0])
    fill(d, "latitude", "")
    fill(d, "longitude", "")
    click_button(d, "记录巡查点")
    assert "已记录巡查点 1 个" in text_of(d), text_of(d)[:400]
    click_button(d, "结束本轮巡查")
    assert path_of(d).startswith("/console/patrols/rounds/"), path_of(d)
    assert "已结束" in text_of(d) or "计入本周巡查次数" in text_of(d), text_of(d)[:400]
    shot(d, "patrols-phone-round-ended")
