"""物业管理 in the browser: the pages as the roles that see them, on a desktop and at 360 px (a compound's page and a
company's page included)."""
from __future__ import annotations

import urllib.parse

from selenium.webdriver.common.by import By

from harness import (api, assert_no_overflow, click_button, desktop_driver, district_today, field_error, fill, pages_as_roles, path_of, phone_driver, shot,
                     test, text_of, token, use_session, visit)


def first_id(path: str, role: str = "worker") -> str:
    items = api("GET", path, token(role))
    items = items["items"] if isinstance(items, dict) else items
    assert items, f"the demo has nothing at {path}"
    return items[0]["id"]


ROLE_PAGES = {
    "grid": ["/console/property"],
    "worker": ["/console/property", "/console/property/new", "/console/property/companies", "/console/property/committees"],
    "street": ["/console/property", "/console/property?mode=none", "/console/property/companies/new", "/console/property/coordination"],
    "district": ["/console/property", "/console/property/companies", "/console/property/coordination"],
}


@test
def property_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone), a compound's and a
    company's page included, also of last year (with its links to the years either side)."""
    compound = "/console/property/" + first_id("/api/v1/property/compounds")
    company = "/console/property/companies/" + first_id("/api/v1/property/companies")
    last_year = f"?year={district_today().year - 1}"
    extra = [compound, company, compound + last_year, company + last_year]
    problems = pages_as_roles("property", {**ROLE_PAGES, "worker": ROLE_PAGES["worker"] + extra})
    assert not problems, "\n".join(problems)


@test
def property_coordination_meeting_held_from_the_compound_page():
    """四位一体: a worker holds a coordination meeting of a managed compound, on a desktop and at 360 px; the
    police left out is refused at its field, then the meeting lands on its deliberation page with the company named."""
    items = api("GET", "/api/v1/property/compounds?per_page=100", token("worker"))["items"]
    managed = [c for c in items if c["mode"] != "none"]
    assert managed, items
    for make, c in ((desktop_driver, managed[0]), (phone_driver, managed[-1])):
        d = make()
        use_session(d, "worker")
        visit(d, f"/console/property/{c['id']}")
        assert "四位一体协调会" in text_of(d)
        visit(d, f"/console/property/{c['id']}/coordination")
        fill(d, "title", f"{c['name']}停车秩序协调")
        fill(d, "place", "社区议事厅")
        fill(d, "agenda", "地面车位划线；消防通道")
        fill(d, "residents_committee", "李红（居委会主任）")
        fill(d, "property_manager", "王强（项目经理）")
        owners = d.find_element(By.CSS_SELECTOR, "label[for=f-owners_committee]").text
        if "留空" not in owners:
            fill(d, "owners_committee", "赵敏（业委会主任）")
        # The browser would not send the form without the police; the server refuses it all the same, at the field.
        d.execute_script("document.querySelector('[name=police]').removeAttribute('required')")
        click_button(d, "记录协调会")
        assert "社区民警" in field_error(d, "police")
        shot(d, "property-coordination-refused")
        fill(d, "police", "陈刚（社区民警）")
        click_button(d, "记录协调会")
        assert path_of(d).startswith("/console/deliberation/meetings/"), path_of(d)
        page = text_of(d)
        assert (c.get("company_name") or "准物业管理") in page and "社区民警：陈刚" in page, page[:600]
        shot(d, "property-coordination-meeting")
        visit(d, f"/console/property/{c['id']}")
        assert f"{c['name']}停车秩序协调" in text_of(d)


def households_of_the_worker_community() -> list[dict]:
    """Living residents of 寺巷社区 (the demo resident's community), one per household, for 实名核验."""
    seen, out = set(), []
    for r in api("GET", "/api/v1/residents?per_page=40", token("worker"))["items"]:
        if r.get("life_status", "active") != "active" or r["household_id"] in seen:
            continue
        seen.add(r["household_id"])
        out.append(r)
    return out


@test
def property_rating_by_a_resident_on_desktop_and_phone():
    """物业服务评价: the resident rates their household's compound on the portal, at 1280 px and at 360 px (a household
    each: one that already rated shows its rating, and the account is linked to the next household); a score left out
    is refused at its field; the console's compound page then shows the compound's score."""
    candidates = households_of_the_worker_community()
    compounds = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        use_session(d, "resident")
        visit(d, "/property/rating")
        while "提交评价" not in text_of(d):
            assert "已评价" in text_of(d) or "实名核验" in text_of(d), text_of(d)[:400]
            assert candidates, "no household of the community left to rate"
            r = candidates.pop(0)
            full = api("GET", f"/api/v1/residents/{r['id']}/full", token("worker"))
            api("POST", "/api/v1/volunteers/me/link", token("resident"), json={"name": full["name"], "id_number": full["id_number"]})
            visit(d, "/property/rating")
        compound = d.find_element(By.CSS_SELECTOR, "dl.facts dd").text
        # The browser would not send a form without a score; the server refuses one all the same, at the field.
        d.execute_script("document.querySelectorAll('input[name=score]').forEach(e => e.removeAttribute('required'))")
        fill(d, "comment", "门岗负责，保洁及时")
        click_button(d, "提交评价")
        assert "请选择满意度" in field_error(d, "score")
        assert d.find_element(By.NAME, "comment").get_attribute("value") == "门岗负责，保洁及时"
        shot(d, f"property-{kind}-rating-refused")
        d.find_element(By.CSS_SELECTOR, "input[name=score][value='4']").click()
        click_button(d, "提交评价")
        page = text_of(d)
        assert "感谢您的评价" in page and "4分（满意）" in page and "门岗负责，保洁及时" in page, page[:400]
        if kind == "phone":
            assert_no_overflow(d)
        shot(d, f"property-{kind}-rating-given")
        compounds.append(compound)
    d = desktop_driver()
    use_session(d, "worker")
    for name in compounds:
        found = [c for c in api("GET", "/api/v1/property/compounds?q=" + urllib.parse.quote(name), token("worker"))["items"] if c["name"] == name]
        assert found, name
        visit(d, f"/console/property/{found[0]['id']}")
        section = d.find_element(By.ID, "ratings").text
        assert "物业服务评价" in section and "户评价" in section and "满意" in section, section
        shot(d, "property-desktop-compound-score")
