"""区划调整 in the browser: the orders, the demo's pending order with its preview, the new-order form and the accounts to
review, as the roles that see them, on a desktop and at 360 px; an order dated in the past refused at its field through
the form, then one drafted and cancelled; the demo's merged community's 区划沿革 and a moved resident's history section."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, district_today, field_error, fill, path_of, phone_driver, shot, test, text_of, token,
                     use_session, visit)


def set_date(d, name: str, value: str):
    """A date field set as ISO text: typing into Chromium's date picker follows the machine's locale."""
    d.execute_script("arguments[0].value = arguments[1]", d.find_element(By.NAME, name), value)


def pending_order() -> dict:
    orders = api("GET", "/api/v1/boundary/orders?state=approved", token("district"))
    assert orders, "the demo has no pending boundary change"
    return orders[0]


def merged_community() -> str:
    retired = [r for r in api("GET", "/api/v1/boundary/retired", token("district")) if r["level"] == "community"]
    assert retired, "the demo has no past merge"
    return retired[0]["successor_code"]


@test
def boundary_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px."""
    order = "/console/boundary/" + pending_order()["id"]
    history = "/console/boundary/divisions/" + merged_community()
    pages = {
        "district": ["/console/boundary", order, "/console/boundary/new", history],
        "street": ["/console/boundary"],
        "secadmin": ["/console/boundary/accounts"],
    }
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, paths in pages.items():
            use_session(d, role)
            for page in paths:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"boundary-{kind}-{role}" + page.replace("/console/boundary", "").replace("/", "-")[:40])
    assert not problems, "\n".join(problems)


@test
def the_pending_order_shows_its_preview():
    """The pending merge of two grids: before and after figures, and the new grid's code."""
    d = desktop_driver()
    use_session(d, "district")
    visit(d, "/console/boundary/" + pending_order()["id"])
    t = text_of(d)
    assert "调整前" in t and "调整后" in t and "在册居民" in t, t[:600]
    assert "已批准" in t, t[:400]
    shot(d, "boundary-preview")


@test
def an_order_dated_in_the_past_refused_at_its_field_then_drafted_and_cancelled():
    """The district officer types a past date (refused at the date), then a valid merge of two communities of 凤凰街道,
    which is saved as a draft and then cancelled (the demo district is left as it was)."""
    import datetime
    today = district_today()
    d = desktop_driver()
    use_session(d, "district")
    visit(d, "/console/boundary/new")
    d.execute_script("document.querySelector('[name=effective_on]').removeAttribute('min')")
    d.find_element(By.NAME, "kind").send_keys("合并")
    fill(d, "sources", "321271004002, 321271004003")
    fill(d, "new_names", "凤鸣凤栖社区")
    set_date(d, "effective_on", (today - datetime.timedelta(days=3)).isoformat())
    fill(d, "document_no", "泰高新政复〔2026〕99号")
    fill(d, "document_title", "关于同意合并凤鸣、凤栖社区的批复")
    click_button(d, "保存为草稿")
    assert "早于今天" in field_error(d, "effective_on"), text_of(d)[:600]
    shot(d, "boundary-refused")
    set_date(d, "effective_on", (today + datetime.timedelta(days=60)).isoformat())
    click_button(d, "保存为草稿")
    assert "草拟" in text_of(d) and "调整后" in text_of(d), text_of(d)[:600]
    shot(d, "boundary-drafted")
    click_button(d, "撤销")
    assert "已撤销" in text_of(d), text_of(d)[:400]


@test
def a_moved_resident_shows_the_division_history():
    """A resident of the merged community: the profile's 区划沿革 names the old code and the document."""
    code = merged_community()
    residents = api("GET", f"/api/v1/residents?division={code}&per_page=1", token("district"))["items"]
    assert residents, "the merged community has no residents"
    d = desktop_driver()
    use_session(d, "district")
    visit(d, "/console/residents/" + residents[0]["id"])
    t = text_of(d)
    assert "区划沿革" in t and "泰高新政复" in t, t[-600:]
    shot(d, "boundary-resident-history")
    visit(d, "/console/boundary/divisions/" + code)
    assert "前身" in text_of(d) and "居民" in text_of(d), text_of(d)[:600]
