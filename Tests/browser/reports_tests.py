"""一表通 in the browser: the console's pages as the roles that see them at desktop and phone width, and the demo
worker's open return filled and submitted through the form (the platform's values already there)."""
from __future__ import annotations

import re

from selenium.webdriver.common.by import By

from harness import (click_button, desktop_driver, fill, path_of, phone_driver, shot, test, text_of, use_session, visit)

COMMUNITY = "321271002001"


def first_form(d) -> str:
    visit(d, "/console/reports")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "table a")]
    ids = [m.group(1) for m in (re.search(r"/console/reports/([0-9A-Fa-f-]{36})$", h or "") for h in links) if m]
    assert ids, f"no form listed: {text_of(d)[:300]}"
    return ids[0]


@test
def reports_pages_as_each_role_on_desktop_and_phone():
    """The list of forms with the share filled automatically, a form's table and a community's return, at
    1280 px and at 360 px (the wide table scrolls inside its box, the page does not)."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role in ("worker", "street", "district", "dept"):
            use_session(d, role)
            try:
                form = first_form(d)
                assert "自动填报" in text_of(d), f"{role}: no share on the list"
                shot(d, f"reports-{kind}-{role}-list")
                visit(d, f"/console/reports/{form}")
                assert path_of(d) == f"/console/reports/{form}", f"{role}: {path_of(d)}"
                shot(d, f"reports-{kind}-{role}-table")
                if role in ("worker", "street", "dept"):
                    visit(d, f"/console/reports/{form}/returns/{COMMUNITY}")
                    assert "统计日期" in text_of(d), f"{role}: {text_of(d)[:200]}"
                    shot(d, f"reports-{kind}-{role}-return")
            except AssertionError as e:
                problems.append(f"{kind}: {e}")
    assert not problems, "\n".join(problems)


@test
def reports_worker_fills_and_submits_a_return():
    """The demo worker opens a form still to fill: the platform's values are shown, only the community's own
    fields are inputs; typed and submitted, the return shows 已报送 and no inputs are left."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/reports")
    links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, "table a")]
    forms = [m.group(1) for m in (re.search(r"/console/reports/([0-9A-Fa-f-]{36})$", h or "") for h in links) if m]
    for form in forms:
        visit(d, f"/console/reports/{form}/returns/{COMMUNITY}")
        inputs = d.find_elements(By.CSS_SELECTOR, "form input[name^=v]")
        if inputs:
            break
    else:
        raise AssertionError("no open return for the demo worker")
    assert "平台自动填报" in text_of(d), text_of(d)[:400]
    for el in inputs:
        fill(d, el.get_attribute("name"), "12" if el.get_attribute("type") == "number" else "已核实")
    shot(d, "reports-return-filled")
    click_button(d, "核对无误，报送")
    assert "已报送" in text_of(d), text_of(d)[:400]
    assert not d.find_elements(By.CSS_SELECTOR, "form input[name^=v]")
    shot(d, "reports-return-submitted")
