"""再就业培训 in the browser: its pages as each role that sees them, on a desktop and at 360 px; a course opened
through the form (a wrong end date refused at its field), a trainee enrolled by ID number, the day's attendance
ticked, and the trainee's page."""
from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By

from harness import (district_today, api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, url,
                     use_session, visit, wait_for)

ROLE_PAGES = {
    "worker": ["/console/training", "/console/training?phase=finished", "/console/training/follow-ups"],
    "grid": ["/console/training"],
    "street": ["/console/training", "/console/training/new", "/console/training/follow-ups"],
    "district": ["/console/training", "/console/training/new"],
}


def set_date(d, name: str, value: str):
    # A date field takes its value in the browser's own format when typed: set it as ISO.
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.NAME, name), value)


@test
def training_pages_as_each_role_on_desktop_and_phone():
    """Each training page as each role that sees it at 1280 px and 360 px; a course of the demo and one of its
    trainees as the worker."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d) == page.split("?")[0] or path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    assert "培训" in d.find_element(By.TAG_NAME, "h1").text, f"{role} {page}: {d.find_element(By.TAG_NAME, 'h1').text}"
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, f"training-{role}" + page.split("?")[0].replace("/console/training", "").replace("/", "-"))
        use_session(d, "worker")
        d.get(url("/console/training?phase=finished"))
        links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/training/"]')]
        links = [h for h in links if h and len(h.rsplit("/", 1)[1]) == 36]
        if not links:
            problems.append("the worker sees no finished course of the demo")
        else:
            course = "/" + links[0].split("/", 3)[3]
            visit(d, course)
            shot(d, "training-worker-course")
            trainees = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/training/enrolments/"]')]
            if not trainees:
                problems.append(f"{course} shows the worker no trainee")
            else:
                visit(d, "/" + trainees[0].split("/", 3)[3])
                assert "出勤" in text_of(d)
                shot(d, "training-worker-trainee")
    assert not problems, "\n".join(problems)


@test
def a_course_from_the_form_to_a_trainee_and_a_day_of_attendance():
    """The street officer opens a course; an end before the start is refused at its field with the name kept.
    The worker enrols a resident of the community by ID number (the number never shows on the page) and
    ticks the day's attendance; the trainee's page shows 1/1."""
    today = district_today()
    d = desktop_driver()
    use_session(d, "street")
    visit(d, "/console/training/new")
    fill(d, "name", "养老护理员培训班（浏览器）")
    d.find_element(By.CSS_SELECTOR, "select[name=kind] option[value=skill]").click()
    fill(d, "provider", "区职业技能培训中心")
    set_date(d, "starts_on", today.isoformat())
    set_date(d, "ends_on", (today - timedelta(days=3)).isoformat())
    fill(d, "hours", "80")
    fill(d, "capacity", "30")
    click_button(d, "开设")
    assert "结业日期不能早于开班日期" in field_error(d, "ends_on")
    assert d.find_element(By.NAME, "name").get_attribute("value") == "养老护理员培训班（浏览器）"
    shot(d, "training-course-refused")
    set_date(d, "ends_on", (today + timedelta(days=30)).isoformat())
    click_button(d, "开设")
    assert "/console/training/" in path_of(d) and "养老护理员培训班（浏览器）" in text_of(d), path_of(d)
    course = path_of(d)

    # A working-age resident of 寺巷社区, found through the API the worker has.
    w = token("worker")
    people = api("GET", "/api/v1/residents?per_page=100", w)["items"]
    person = next(p for p in people if 20 <= p["age"] <= 55)
    number = api("GET", f"/api/v1/residents/{person['id']}/full", w)["id_number"]
    p = phone_driver()
    use_session(p, "worker")
    visit(p, course)
    fill(p, "id_number", number)
    click_button(p, "报名")
    wait_for(p, lambda x: person["name"] in text_of(x), 15, "the trainee is not on the course page")
    assert number not in p.page_source
    click_button(p, "登记考勤")
    wait_for(p, lambda x: "1/1" in text_of(x), 15, "the day's attendance is not shown")
    shot(p, "training-course-attendance")
    trainee = [a.get_attribute("href") for a in p.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/training/enrolments/"]')][0]
    visit(p, "/" + trainee.split("/", 3)[3])
    assert "1/1 次（100%）" in text_of(p), text_of(p)[:400]
    shot(p, "training-trainee")
