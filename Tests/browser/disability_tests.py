"""助残康复 in the browser: the roll, the overdue list, a holder's page and the registration form as the roles
that see them, at 1280 px and at 360 px; a card registered through the form (a number that does not match the
holder refused at its field, the input kept), then a needs assessment and a rehabilitation service on its page."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import api, check_page, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit

ROLE_PAGES = {
    "worker": ["/console/disability", "/console/disability?overdue=true", "/console/disability/new"],
    "grid": ["/console/disability"],
    "street": ["/console/disability", "/console/disability?overdue=true"],
    "district": ["/console/disability", "/console/disability?category=physical&grade=4"],
}


def set_date(d, name: str, value: str):
    # A date field takes its value in the browser's own format when typed: set it as ISO.
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.NAME, name), value)


@test
def disability_pages_as_each_role_on_desktop_and_phone():
    """Each 助残康复 page as each role that sees it, at 1280 px and 360 px (nothing wider than the phone), and a
    holder's page (the audited full view) from the worker's list."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    assert "残疾" in text_of(d), f"{role} {page}"
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, f"disability-{role}" + page.split("?")[0].replace("/console/disability", "").replace("/", "-"))
            if role == "worker":
                visit(d, "/console/disability")
                links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/disability/"]')]
                links = [h for h in links if h and len(h.rsplit("/", 1)[1]) == 36]
                if not links:
                    problems.append("the worker's roll has no card to open")
                    continue
                try:
                    visit(d, "/" + links[0].split("/", 3)[3])
                    assert "残疾人证号" in text_of(d) and "需求评估" in text_of(d)
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, "disability-worker-card")
    assert not problems, "\n".join(problems)


def a_resident_without_card() -> tuple[str, str]:
    """A living resident of 寺巷社区 without a card: (id, full ID number)."""
    w = token("worker")
    holders = {c["resident_id"] for c in api("GET", "/api/v1/disability/cards?per_page=100&status=all", w)["items"]}
    for r in api("GET", "/api/v1/residents?per_page=50", w)["items"]:
        if r["id"] in holders:
            continue
        full = api("GET", f"/api/v1/residents/{r['id']}/full", w)
        return r["id"], full["id_number"]
    raise AssertionError("no resident without a card in the worker's area")


@test
def a_disability_card_from_the_form_to_an_assessment_and_a_service():
    """The worker registers a card from the resident's link: a number with the wrong grade digit is refused at
    its field with the input kept; fixed, the holder's page opens; an assessment and a community service are
    recorded there, and the overdue badge is gone."""
    resident, id_number = a_resident_without_card()
    d = phone_driver()
    use_session(d, "worker")
    visit(d, f"/console/disability/new?resident={resident}")
    fill(d, "card_number", id_number + "44")
    fill(d, "category", "physical")
    fill(d, "grade", "3")
    set_date(d, "issued_on", "2020-05-01")
    click_button(d, "登记")
    assert "残疾等级" in field_error(d, "card_number"), field_error(d, "card_number")
    assert d.find_element(By.NAME, "card_number").get_attribute("value") == id_number + "44"
    check_page(d)
    shot(d, "disability-register-refused")
    fill(d, "card_number", id_number + "43")
    click_button(d, "登记")
    assert "/console/disability/" in path_of(d) and "肢体残疾三级" in text_of(d), path_of(d)
    set_date(d, "assessed_on", "2020-05-10")
    fill(d, "assessor", "王芳")
    d.find_element(By.CSS_SELECTOR, "input[name='needs[]'][value=rehab_training]").click()
    fill(d, "result", "services")
    click_button(d, "保存评估")
    assert "王芳" in text_of(d), text_of(d)[:400]
    fill(d, "setting", "community")
    fill(d, "provider", "社区康复站")
    set_date(d, "started_on", "2020-06-01")
    fill(d, "sessions", "12")
    click_button(d, "保存服务")
    assert "社区康复站" in text_of(d) and "康复中" in text_of(d), text_of(d)[:400]
    check_page(d)
    shot(d, "disability-card-served")
