"""志愿者 in the browser: the pages as the roles that see them, on a desktop and at 360 px; an activity published
through the form (an end before the start refused at its field), a volunteer added by their ID number; the
resident's 我的志愿服务 and the public check of a certificate's code."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session,
                     visit)


def a_volunteer() -> dict:
    """A signed volunteer of 寺巷社区 (the demo registers about one resident in six there)."""
    items = api("GET", "/api/v1/volunteers?state=signed&per_page=5", token("worker"))["items"]
    assert items, "the demo registered no signed volunteer in the worker's community"
    return items[0]


ROLE_PAGES = {
    "worker": ["/console/volunteers", "/console/volunteers/activities", "/console/volunteers/new", "/console/volunteers/teams",
               "/console/volunteers/performance"],
    "grid": ["/console/volunteers", "/console/volunteers/activities"],
    "street": ["/console/volunteers", "/console/volunteers/performance"],
    "district": ["/console/volunteers", "/console/volunteers?page=2", "/console/volunteers/performance"],
}


@test
def volunteer_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); a volunteer's
    file; the resident's portal page; the public certificate check without signing in."""
    volunteer = "/console/volunteers/" + a_volunteer()["id"]
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + [volunteer]:
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert "志愿" in d.find_element(By.TAG_NAME, "h1").text or page == volunteer, f"{role} {page}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"volunteers-{kind}-{role}-" + (page.strip("/").replace("/", "-").replace("?", "-") if page != volunteer else "file"))
        use_session(d, "resident")
        try:
            visit(d, "/volunteer")
            assert "我的志愿服务" in text_of(d)
        except AssertionError as e:
            problems.append(f"{kind}: resident: {e}")
        shot(d, f"volunteers-{kind}-resident-portal")
        d.delete_all_cookies()
        try:
            visit(d, "/volunteer/certificate?code=NOSUCHCODE")
            assert "没有这个验证码的证明" in text_of(d)
        except AssertionError as e:
            problems.append(f"{kind}: certificate: {e}")
        shot(d, f"volunteers-{kind}-certificate-check")
    assert not problems, "\n".join(problems)


@test
def volunteer_activity_published_and_certificate_checked():
    """The worker publishes an activity (an end before the start refused at its field), sees its check-in code,
    issues a volunteer's certificate and anyone checks its code on the portal."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/volunteers/activities")
    fill(d, "title", "浏览器测试：楼道清扫")
    fill(d, "place", "寺巷社区3号楼")
    d.execute_script("document.querySelector('input[name=starts_at]').value = '2030-05-01T09:00'")
    d.execute_script("document.querySelector('input[name=ends_at]').value = '2030-05-01T08:00'")
    fill(d, "places", "5")
    click_button(d, "发布")
    assert "结束时间应晚于开始时间" in field_error(d, "ends_at")
    shot(d, "volunteers-activity-refused")
    d.execute_script("document.querySelector('input[name=starts_at]').value = '2030-05-01T09:00'")
    d.execute_script("document.querySelector('input[name=ends_at]').value = '2030-05-01T11:00'")
    click_button(d, "发布")
    assert "现场签到码" in text_of(d) and "浏览器测试：楼道清扫" in text_of(d), text_of(d)[:400]
    shot(d, "volunteers-activity-published")
    visit(d, "/console/volunteers/" + a_volunteer()["id"])
    click_button(d, "出具志愿服务记录证明")
    code = d.find_element(By.ID, "certificate-code").text.strip()
    assert "志愿服务记录证明" in text_of(d) and code, text_of(d)[:400]
    shot(d, "volunteers-certificate")
    d.delete_all_cookies()
    visit(d, "/volunteer/certificate")
    fill(d, "code", code)
    click_button(d, "查验")
    assert "证明有效" in text_of(d), text_of(d)[:400]
    shot(d, "volunteers-certificate-valid")
