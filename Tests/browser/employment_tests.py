"""就业援助 in the browser: the register, a person's page, the posts and the allowance roll as the roles that see
them, on a desktop and at 360 px; a registration through the form (a future date refused at its field, the values
kept), a contact that takes the person off the overdue list, and an exit."""
from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By

from harness import (district_today, api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit)

ROLE_PAGES = {
    "worker": ["/console/employment", "/console/employment?overdue_contact=true", "/console/employment/new", "/console/employment/posts",
               "/console/employment/settings"],
    "grid": ["/console/employment", "/console/employment?designated=true"],
    "street": ["/console/employment", "/console/employment/posts", "/console/employment/allowances"],
    "district": ["/console/employment", "/console/employment/posts", "/console/employment/settings"],
}


def set_date(d, name: str, value: str):
    el = d.find_element(By.NAME, name)
    d.execute_script("arguments[0].value = arguments[1]", el, value)


@test
def employment_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); a person's
    page from the worker's list and a post's page from the street's."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    assert "就业援助" in text_of(d) or "岗位" in text_of(d), f"{role} {page}"
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, f"employment-{role}" + page.split("?")[0].replace("/console/employment", "").replace("/", "-"))
            link = {"worker": 'main a[href^="/console/employment/"]', "street": 'main a[href^="/console/employment/posts/"]'}.get(role)
            if link:
                start = "/console/employment" if role == "worker" else "/console/employment/posts"
                visit(d, start)
                hrefs = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, link)]
                hrefs = [h for h in hrefs if h and len(h.rsplit("/", 1)[1]) == 36]
                if not hrefs:
                    problems.append(f"{role}: nothing to open on {start}")
                    continue
                try:
                    visit(d, "/" + hrefs[0].split("/", 3)[3])
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, f"employment-{role}-file")
    assert not problems, "\n".join(problems)


def a_resident_to_register() -> str:
    """A resident of 寺巷社区 aged 20 to 50 with no open registration: their id."""
    w = token("worker")
    taken = {r["id"] for r in api("GET", "/api/v1/employment/registrations?status=open&per_page=100", w)["items"]}
    today = district_today()
    for page in range(1, 10):
        for r in api("GET", f"/api/v1/residents?per_page=50&page={page}", w)["items"]:
            born = date.fromisoformat(r["birth_date"])
            age = today.year - born.year
            if 21 <= age <= 49 and r["id"] not in taken and "unemployed" not in r.get("tags", []):
                return r["id"]
    raise AssertionError("no resident to register in the worker's area")


@test
def employment_registration_from_the_form_to_the_exit():
    """The worker registers a resident: a date in the future is refused at its field with the reason kept; the
    person's page follows, overdue for no contact when registered 40 days ago; a contact takes them off the
    overdue list; an exit to work ends the registration and the resident's 失业人员 tag."""
    resident = a_resident_to_register()
    d = phone_driver()
    use_session(d, "worker")
    visit(d, f"/console/employment/new?resident={resident}")
    set_date(d, "registered_on", (district_today() + timedelta(days=1)).isoformat())
    fill(d, "reason", "合同期满未续签")
    click_button(d, "登记")
    assert "不能晚于今天" in field_error(d, "registered_on"), text_of(d)[:400]
    assert d.find_element(By.NAME, "reason").get_attribute("value") == "合同期满未续签"
    shot(d, "employment-registration-refused")
    set_date(d, "registered_on", (district_today() - timedelta(days=40)).isoformat())
    click_button(d, "登记")
    person = path_of(d)
    assert person.startswith("/console/employment/") and "超过30天未联系" in text_of(d), text_of(d)[:400]
    visit(d, "/console/employment?overdue_contact=true")
    assert d.find_elements(By.CSS_SELECTOR, f'main a[href="{person}"]'), "not on the overdue list"
    visit(d, person)
    fill(d, "content", "电话联系，推送医药城招聘会信息")
    click_button(d, "保存联系记录")
    assert "推送医药城招聘会信息" in text_of(d)
    visit(d, "/console/employment?overdue_contact=true")
    assert not d.find_elements(By.CSS_SELECTOR, f'main a[href="{person}"]'), "still on the overdue list"
    visit(d, person)
    d.find_element(By.CSS_SELECTOR, "select[name=exit_reason] option[value=employed]").click()
    fill(d, "exit_employer", "某药业公司")
    click_button(d, "退出登记")
    assert "实现就业" in text_of(d) and "已退出" in text_of(d), text_of(d)[:400]
    shot(d, "employment-exited")
    tags = api("GET", f"/api/v1/residents/{resident}", token("worker"))["tags"]
    assert "unemployed" not in tags, tags
