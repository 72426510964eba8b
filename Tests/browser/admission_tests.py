"""事项准入 in the browser: the console's pages as the roles that see them at desktop and 360 px, an application
through the form (a negative amount refused at its field, then saved and submitted), and the portal's 准入清单 at
360 px without signing in."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, use_session, visit)

COMMUNITY = "321271002001"

ROLE_PAGES = {
    "dept": ["/console/admission", "/console/admission/tasks", "/console/admission/tasks/new"],
    "district": ["/console/admission", "/console/admission/tasks?status=submitted", f"/console/admission/community?community={COMMUNITY}"],
    "street": ["/console/admission", f"/console/admission/community?community={COMMUNITY}"],
    "worker": ["/console/admission", f"/console/admission/community?community={COMMUNITY}"],
}


@test
def admission_pages_as_each_role_on_desktop_and_phone():
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
                    assert "准入" in h1 or "事项" in h1, f"{role} {page}: {h1}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"admission-{kind}-{role}-" + page.split("?")[0].replace("/console/admission", "home").replace("/", "-"))
    assert not problems, "\n".join(problems)


@test
def admission_application_through_the_form():
    """The department applies (a negative amount refused at its field, then 120.50 元), and submits it."""
    d = desktop_driver()
    use_session(d, "dept")
    visit(d, "/console/admission/tasks/new")
    fill(d, "title", "浏览器测试：沿街门头招牌统计")
    fill(d, "kind", "data")
    fill(d, "content", "每季度统计一次沿街门头招牌")
    fill(d, "basis", "区城市管理考核办法")
    fill(d, "reach", "district")
    fill(d, "frequency", "quarterly")
    today = d.execute_script("return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)")
    # Set as the date picker would: typed keys follow the browser's locale.
    d.execute_script("document.querySelector('input[name=valid_from]').value = arguments[0];"
                     "document.querySelector('input[name=valid_to]').value = arguments[1]", today, str(int(today[:4]) + 1) + today[4:])
    fill(d, "funds_yuan", "-5")
    click_button(d, "保存")
    assert "经费应为" in field_error(d, "funds_yuan") or "经费" in text_of(d), text_of(d)[:400]
    shot(d, "admission-application-refused")
    fill(d, "funds_yuan", "120.50")
    click_button(d, "保存")
    assert "浏览器测试：沿街门头招牌统计" in text_of(d) and "120.50" in text_of(d), text_of(d)[:400]
    fill(d, "decision", "submit")
    click_button(d, "提交")
    assert "待初审" in text_of(d), text_of(d)[:400]
    shot(d, "admission-application-submitted")


@test
def admission_portal_list_at_360_px():
    """Without signing in: the 准入清单 at 360 px, linked from the portal's header."""
    d = phone_driver()
    visit(d, "/notices/admission")
    assert "行政事务进社区准入清单" in text_of(d) and "费随事转" in text_of(d), text_of(d)[:400]
    assert d.find_elements(By.CSS_SELECTOR, "a[href='/notices/admission']"), "no link in the portal's header"
    shot(d, "admission-portal-phone")
