"""设施与服务圈 in the browser: the console's pages as the roles that see them at desktop and 360 px, a facility
added through the form (a point outside the district refused at its field), the community's map, and the portal's
身边的服务设施 at 360 px without script."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (assert_no_overflow, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of,
                     use_session, visit)

COMMUNITY = "321271002001"
GAP = "321271002002"  # 寺巷街道's second community: no 菜市场 of its own in the demo

ROLE_PAGES = {
    "worker": ["/console/facilities", f"/console/facilities/community/{COMMUNITY}?kind=market"],
    "street": ["/console/facilities", "/console/facilities/coverage", f"/console/facilities/community/{GAP}?kind=market", "/console/facilities/new"],
    "district": ["/console/facilities/coverage", "/console/facilities/settings"],
}


@test
def facilities_pages_as_each_role_on_desktop_and_phone():
    """Each console page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone)."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    h1 = d.find_element(By.TAG_NAME, "h1").text
                    assert "设施" in h1 or "服务" in h1, f"{role} {page}: {h1}"
                    if make is phone_driver:
                        assert_no_overflow(d)
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"facilities-{kind}-{role}-" + page.split("?")[0].replace("/console/facilities", "home").replace("/", "-"))
    assert not problems, "\n".join(problems)


@test
def facilities_register_form_and_the_gap_on_the_map():
    """The street adds a 菜市场 (a point outside the district refused at 纬度), then the community's map shows it."""
    d = desktop_driver()
    use_session(d, "street")
    visit(d, f"/console/facilities/new?community={GAP}&kind=market")
    fill(d, "name", "浏览器测试菜市场")
    fill(d, "address", "口岸路1号")
    fill(d, "latitude", "31.0")
    fill(d, "longitude", "119.93")
    fill(d, "opening_hours", "每天 06:00-18:00")
    fill(d, "operator_name", "区菜篮子市场管理有限公司")
    click_button(d, "保存")
    assert "位置不在本区范围内" in field_error(d, "latitude"), text_of(d)[:400]
    shot(d, "facilities-form-refused")
    visit(d, f"/console/facilities/community/{GAP}?kind=market")
    before = text_of(d)
    assert "补点建议" in before and d.find_elements(By.CSS_SELECTOR, "figure.map svg"), before[:400]
    shot(d, "facilities-gap-map")


@test
def facilities_portal_at_360_px():
    """Without signing in: the list of communities and one community's facilities with its map, no script, no sideways scroll."""
    d = phone_driver()
    visit(d, "/nearby")
    assert "身边的服务设施" in text_of(d)
    visit(d, f"/nearby/{COMMUNITY}")
    assert "10分钟生活圈" in text_of(d) and "开放时间" in text_of(d), text_of(d)[:400]
    assert d.find_elements(By.CSS_SELECTOR, "figure.map svg"), "no map"
    assert not d.find_elements(By.TAG_NAME, "script"), "the portal page runs a script"
    assert_no_overflow(d)
    shot(d, "facilities-portal-phone")
