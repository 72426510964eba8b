"""民主协商与网上议事 in the browser: the console's pages as the roles that see them, on a desktop and at 360 px; the
worker records a meeting (minutes dated after today refused at the date), a resolution and its follow-up; the demo
resident (linked to the registry in 寺巷社区) supports and comments on the community's proposal at 360 px; the portal's
pages without signing in."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, assert_no_overflow, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token,
                     use_session, visit)

ROLE_PAGES = {
    "worker": ["/console/deliberation", "/console/consultations"],
    "grid": ["/console/deliberation", "/console/consultations"],
    "street": ["/console/deliberation", "/console/consultations"],
    "district": ["/console/deliberation", "/console/deliberation?kind=kentan", "/console/consultations"],
}


def open_proposal() -> str:
    """An open proposal of 寺巷社区 (the demo publishes two per street in its first communities)."""
    items = api("GET", "/api/v1/deliberation/proposals?state=open", token("worker"))["items"]
    assert items, "the demo published no open proposal in 寺巷社区"
    return items[0]["id"]


@test
def deliberation_pages_as_each_role_on_desktop_and_phone():
    """Each console page as each role that sees it, at 1280 px and at 360 px; the portal's lists without signing in."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    h1 = d.find_element(By.TAG_NAME, "h1").text
                    assert "民主协商" in h1 or "网上议事" in h1, f"{role} {page}: {h1}"
                    if make is phone_driver:
                        assert_no_overflow(d)
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"deliberation-{kind}-{role}" + page.replace("/console", "").replace("/", "-").replace("?", "-"))
        d.delete_all_cookies()
        for page in ("/consultations", "/consultations/meetings", "/consultations/" + open_proposal()):
            try:
                visit(d, page)
                assert "网上议事" in text_of(d) or "议事会议" in text_of(d), page
                if make is phone_driver:
                    assert_no_overflow(d)
            except AssertionError as e:
                problems.append(f"{kind}: portal {page}: {e}")
            shot(d, f"deliberation-{kind}-portal" + page.replace("/", "-")[:40])
    assert not problems, "\n".join(problems)


@test
def deliberation_meeting_recorded_with_resolution_and_follow_up():
    """The worker records a 工作听证会: minutes with a date after today refused at the date; then saved, a resolution
    without a due date refused, one added and followed up to done."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/deliberation")
    fill(d, "title", "浏览器测试：养老服务站选址听证")
    fill(d, "agenda", "介绍选址方案，听取居民意见")
    d.execute_script("document.querySelector('#f-kind').value = 'tingzheng'")
    d.execute_script("document.querySelector('input[name=held_on]').value = '2099-01-01'")
    fill(d, "place", "寺巷社区议事厅")
    fill(d, "minutes", "与会居民同意选址")
    click_button(d, "保存")
    assert "不能记录会议纪要" in field_error(d, "held_on") or "不能记录会议纪要" in text_of(d), text_of(d)[:300]
    shot(d, "deliberation-meeting-refused")
    d.execute_script("document.querySelector('input[name=held_on]').value = new Date().toISOString().slice(0, 10)")
    click_button(d, "保存")
    assert "/console/deliberation/meetings/" in path_of(d), path_of(d)
    fill(d, "text", "选址公示七天")
    fill(d, "owner", "社区居委会")
    # The browser would stop the form for the empty date itself: let it through to hear the server.
    d.execute_script("document.querySelector('input[name=due_on]').removeAttribute('required')")
    click_button(d, "添加决议")
    assert "请填写落实期限" in text_of(d)
    d.execute_script("document.querySelector('input[name=due_on]').value = new Date(Date.now() + 30 * 864e5).toISOString().slice(0, 10)")
    click_button(d, "添加决议")
    assert "选址公示七天" in text_of(d) and "落实中" in text_of(d)
    fill(d, "note", "已在公开栏公示")
    d.find_element(By.NAME, "done").click()
    click_button(d, "记录跟进")
    assert "已落实" in text_of(d) and "已在公开栏公示" in text_of(d)
    shot(d, "deliberation-meeting-followed-up")


@test
def deliberation_resident_supports_and_comments_at_360px():
    """The demo resident, linked to a resident of 寺巷社区, supports the community's open proposal (once) and comments,
    on a phone; the counts show on the page and nothing is wider than the screen."""
    proposal = open_proposal()
    d = phone_driver()
    use_session(d, "resident")
    visit(d, "/consultations/" + proposal)
    assert_no_overflow(d)
    if "您已支持这个议题" not in text_of(d):
        click_button(d, "支持")
        assert "感谢您的支持" in text_of(d), text_of(d)[:300]
    assert "您已支持这个议题" in text_of(d)
    fill(d, "body", "浏览器测试：赞成，建议同时加装雨棚")
    click_button(d, "发表")
    assert "评论已发表" in text_of(d) and "浏览器测试：赞成" in text_of(d)
    assert_no_overflow(d)
    shot(d, "deliberation-phone-resident-commented")
