"""社区党建 in the browser: the pages as the roles that see them, on a desktop and at 360 px; the portal's centres
without signing in; a community worker registers a member by ID number — a stranger's number refused at its field,
then a resident of the community — and finds them on the roll."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, assert_no_overflow, click_button, desktop_driver, field_error, fill, pages_as_roles, path_of, phone_driver, shot,
                     test, text_of, token, use_session, visit)


def an_org(role: str = "worker") -> str:
    """An organization members belong to (a branch, general branch or committee) of the worker's community."""
    orgs = [o for o in api("GET", "/api/v1/party/orgs", token(role)) if o["kind"] in ("branch", "general_branch", "committee")]
    assert orgs, "the demo has no party organizations in the community"
    return orgs[0]["id"]


def a_member() -> str:
    items = api("GET", "/api/v1/party/members?per_page=1", token("worker"))["items"]
    assert items, "the demo has no party members in the community"
    return items[0]["id"]


ROLE_PAGES = {
    "grid": ["/console/party", "/console/party/centres", "/console/party/brands"],
    "worker": ["/console/party", "/console/party/members", "/console/party/members/new", "/console/party/centres", "/console/party/brands"],
    "street": ["/console/party", "/console/party/members?reported=false", "/console/party/orgs/new", "/console/party/brands"],
    "district": ["/console/party", "/console/party/centres"],
}


def set_value(d, name: str, value: str):
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.NAME, name), value)


@test
def party_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); an organization's
    and a member's page; the portal's centres signed out."""
    extra = ["/console/party/orgs/" + an_org(), "/console/party/members/" + a_member()]

    def portal(d, kind):
        d.delete_all_cookies()
        visit(d, "/notices/party-centres")
        assert "党员服务中心" in text_of(d) and "值班党员" in text_of(d), text_of(d)[:300]
        if kind == "phone":
            assert_no_overflow(d)
        shot(d, f"party-{kind}-portal-centres")

    problems = pages_as_roles("party", {**ROLE_PAGES, "worker": ROLE_PAGES["worker"] + extra}, after=portal)
    assert not problems, "\n".join(problems)


@test
def party_roll_refused_to_a_grid_worker():
    """The roll is refused to a grid worker; the organizations page has no link to it."""
    d = desktop_driver()
    use_session(d, "grid")
    visit(d, "/console/party")
    assert "党员名册" not in text_of(d), text_of(d)[:300]
    d.get(d.current_url.split("/console")[0] + "/console/party/members")
    assert "无权" in text_of(d), text_of(d)[:300]


@test
def party_member_registered_by_id_number():
    """A stranger's number is refused at the field; a resident of the community becomes a member and is on the roll."""
    w = token("worker")
    members = {m["resident_id"] for m in api("GET", "/api/v1/party/members?per_page=100", w)["items"]}
    residents = api("GET", "/api/v1/residents?per_page=100", w)["items"]
    person = next(r for r in residents if r["id"] not in members and r["age"] >= 30 and r["life_status"] == "active")
    number = api("GET", f"/api/v1/residents/{person['id']}/full", w)["id_number"]
    org = an_org()
    d = phone_driver()
    use_session(d, "worker")
    visit(d, "/console/party/members/new")
    fill(d, "id_number", "110101199003070000")
    fill(d, "org_id", org)
    set_value(d, "joined_on", "2012-07-01")
    click_button(d, "登记")
    assert "请先登记" in field_error(d, "id_number") or "请先登记" in text_of(d), text_of(d)[:400]
    shot(d, "party-phone-member-refused")
    fill(d, "id_number", number)
    fill(d, "org_id", org)
    set_value(d, "joined_on", "2012-07-01")
    click_button(d, "登记")
    assert path_of(d).startswith("/console/party/members/"), path_of(d) + text_of(d)[:300]
    assert person["name"] in text_of(d) and "2012-07-01" in text_of(d), text_of(d)[:400]
    assert_no_overflow(d)
    shot(d, "party-phone-member-registered")
    tags = api("GET", f"/api/v1/residents/{person['id']}", w)["tags"]
    assert "party_member" in tags, tags
