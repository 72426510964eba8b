"""社会救助 in the browser: every page as the roles that see it, on a desktop and at 360 px; an application taken
through the form (members filled in from the registry, a wrong total refused at its field), its steps, the
公示 on the portal read without signing in and an objection lodged there, which the street officer sees."""
from __future__ import annotations

from datetime import date, timedelta

from selenium.webdriver.common.by import By

from harness import (district_today, api, check_page, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token,
                     url, use_session, visit, wait_for)


def open_details(d):
    d.execute_script("document.querySelectorAll('details').forEach(x => x.open = true)")


def step(d, action: str, **fields):
    """Fills the form of one step (found by its hidden action value) and submits it."""
    open_details(d)
    form = d.find_element(By.XPATH, f"//form[.//input[@name='action' and @value='{action}']]")
    for name, value in fields.items():
        el = form.find_element(By.NAME, name)
        if el.get_attribute("type") == "date":
            # A date field takes its value in the browser's own format when typed: set it as ISO.
            d.execute_script("arguments[0].value = arguments[1]", el, value)
            continue
        el.clear()
        el.send_keys(value)
    old = d.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(d, lambda x: x.find_element(By.TAG_NAME, "html") != old, 15, f"{action} did not answer")


def a_household_without_case() -> str:
    """A household number of 寺巷社区 with two or more members and no assistance case."""
    w = token("worker")
    cases = api("GET", "/api/v1/assistance/cases?per_page=100", w)["items"]
    taken = {c["household_id"] for c in cases}
    for page in range(1, 6):
        for h in api("GET", f"/api/v1/households?per_page=50&page={page}", w)["items"]:
            if h["id"] in taken:
                continue
            members = api("GET", f"/api/v1/residents?household={h['id']}&per_page=10", w)["items"]
            if len(members) >= 2:
                return h["number"]
    raise AssertionError("no household without a case in the worker's area")


ROLE_PAGES = {
    "worker": ["/console/assistance", "/console/assistance?overdue=true", "/console/assistance/new", "/console/assistance/findings",
               "/console/assistance/objections",
               "/console/assistance/standards"],
    "grid": ["/console/assistance", "/console/assistance/findings"],
    "street": ["/console/assistance", "/console/assistance?stage=noticed", "/console/assistance/objections", "/console/assistance/standards",
               "/console/assistance/payrolls", "/console/assistance/findings"],
    "district": ["/console/assistance", "/console/assistance?recheck_due=true", "/console/assistance/standards"],
}


@test
def assistance_pages_as_each_role_on_desktop_and_phone():
    """Each assistance page as each role that sees it, at 1280 px and at 360 px (nothing wider than the
    phone); a case's file and its declaration (the full view) as the worker; the portal's notices without
    signing in and 我家的救助 as the demo resident."""
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
                    assert "社会救助" in text_of(d) or "救助" in d.find_element(By.TAG_NAME, "h1").text, f"{role} {page}"
                except AssertionError as e:
                    problems.append(str(e))
                shot(d, f"assistance-{role}" + page.split("?")[0].replace("/console/assistance", "").replace("/", "-"))
            if role == "street":
                # A month's payment roll of the street (the demo pays a year of them).
                d.get(url("/console/assistance/payrolls"))
                rolls = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/assistance/payrolls/"]')]
                if not rolls:
                    problems.append("the street's payroll list has no roll to open")
                else:
                    try:
                        visit(d, "/" + rolls[0].split("/", 3)[3])
                    except AssertionError as e:
                        problems.append(str(e))
                    shot(d, "assistance-street-roll")
            if role == "worker":
                d.get(url("/console/assistance?kind=dibao&stage=approved"))
                links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/console/assistance/"]')]
                links = [h for h in links if h and len(h.rsplit("/", 1)[1]) == 36]
                if not links:
                    problems.append("the worker's list has no approved 低保 case to open")
                    continue
                case = "/" + links[0].split("/", 3)[3]
                for page, name in [(case, "case"), (case + "/facts", "facts")]:
                    try:
                        visit(d, page)
                    except AssertionError as e:
                        problems.append(str(e))
                    shot(d, f"assistance-worker-{name}")
                if "家庭经济状况" not in text_of(d):
                    problems.append("the facts page shows no declaration")
        d.delete_all_cookies()
        for page in ["/notices"]:
            visit(d, page)
            shot(d, "assistance-portal-notices")
        links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, 'main a[href*="/notices/"]')]
        if links:
            visit(d, "/" + links[0].split("/", 3)[3])
            assert "社会救助公示" in text_of(d)
            shot(d, "assistance-portal-community")
        use_session(d, "resident")
        visit(d, "/my/assistance")
        assert "我家的救助" in text_of(d), text_of(d)[:300]
        if "最低生活保障" not in text_of(d):
            problems.append(f"{kind}: the demo resident's 我家的救助 shows no 低保 case")
        shot(d, "assistance-resident-mine")
    assert not problems, "\n".join(problems)


@test
def an_application_from_the_form_to_the_notice_and_an_objection():
    """The worker takes an application for a household typed by its number: the members come from the
    registry; a total that does not match the members' incomes is refused at its field with the other
    values kept; fixed, the case opens. The worker checks and visits, the street officer reviews and
    publishes; the 公示 on the portal, read without signing in, masks the given name; an objection lodged
    there is on the street officer's list."""
    number = a_household_without_case()
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, f"/console/assistance/new?household={number}&kind=dibao")
    members = d.find_elements(By.CSS_SELECTOR, "input[name$='_id'][type=hidden]")
    assert len(members) >= 2, f"{len(members)} members filled in"
    fill(d, "m0_wages", "600")
    fill(d, "monthly_income", "900")
    fill(d, "deposits", "1000")
    click_button(d, "受理")
    assert "与各成员收入之和" in field_error(d, "monthly_income")
    assert d.find_element(By.NAME, "m0_wages").get_attribute("value") == "600"
    shot(d, "assistance-application-refused")
    fill(d, "monthly_income", "600")
    click_button(d, "受理")
    assert "/console/assistance/" in path_of(d) and "最低生活保障" in text_of(d), path_of(d)
    case = path_of(d)
    step(d, "check", check_result="与申报一致")
    step(d, "investigate", investigator2="李强", note="家中确有困难")
    assert "已入户调查" in text_of(d), text_of(d)[:400]
    shot(d, "assistance-case-investigated")
    s = desktop_driver()
    use_session(s, "street")
    visit(s, case)
    step(s, "review", note="经审核，同意上报")
    step(s, "publish", notice_to=(district_today() + timedelta(days=7)).isoformat())
    assert "公示中" in text_of(s), text_of(s)[:400]
    applicant = api("GET", "/api/v1/assistance/cases/" + case.rsplit("/", 1)[1], token("worker"))["case"]["applicant_name"]
    p = phone_driver()
    p.delete_all_cookies()
    visit(p, "/notices/321271002001")
    body = text_of(p)
    assert applicant[0] + "*" in body and applicant not in body, f"{applicant} not masked"
    open_details(p)
    form = p.find_element(By.XPATH, f"//form[contains(@action, '{case.rsplit('/', 1)[1]}')]")
    form.find_element(By.NAME, "text").send_keys("该户有一辆轿车未申报，请核实")
    old = p.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    wait_for(p, lambda x: x.find_element(By.TAG_NAME, "html") != old, 15)
    assert "异议已收到" in text_of(p), text_of(p)[:300]
    check_page(p)
    shot(p, "assistance-objection-lodged")
    visit(s, "/console/assistance/objections")
    assert "该户有一辆轿车未申报" in text_of(s)
    shot(s, "assistance-objections")
