"""物业管理 in the browser: the pages as the roles that see them, on a desktop and at 360 px (a compound's page and a
company's page included)."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, pages_as_roles, path_of, phone_driver, shot, test, text_of,
                     token, use_session, visit)


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
    company's page included."""
    extra = ["/console/property/" + first_id("/api/v1/property/compounds"),
             "/console/property/companies/" + first_id("/api/v1/property/companies")]
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
        click_button(d, "记录协调会")
        assert "社区民警" in field_error(d, "police")
        shot(d, "property-coordination-refused")
        fill(d, "police", "陈刚（社区民警）")
        click_button(d, "记录协调会")
        assert path_of(d).startswith("/console/deliberation/meetings/"), path_of(d)
        page = text_of(d)
        assert (c["company_name"] or "准物业管理") in page and "社区民警：陈刚" in page, page[:600]
        shot(d, "property-coordination-meeting")
        visit(d, f"/console/property/{c['id']}")
        assert f"{c['name']}停车秩序协调" in text_of(d)
