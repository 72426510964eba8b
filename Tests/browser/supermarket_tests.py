"""爱心超市 in the browser: the pages as the roles that see them, on a desktop and at 360 px; at the counter a
person found by ID number (a number not in the registry refused at its field), a redemption beyond the
points or the stock refused, then one redeemed and the balance shown; the portal's pages without signing in."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit)


def the_market() -> str:
    """The console path of the worker's street's supermarket (the demo opens one in every street)."""
    items = api("GET", "/api/v1/supermarket/markets", token("worker"))
    assert items, "the demo opened no supermarket in the worker's street"
    return "/console/supermarket/" + items[0]["id"]


def a_holder() -> str:
    """The ID number of an applicant of an approved 低保 or 特困 case in the worker's community (the demo credits
    them monthly) who holds at least 10 points."""
    w = token("worker")
    for c in api("GET", "/api/v1/assistance/cases?per_page=100", w)["items"]:
        if c.get("stage") == "approved" and c.get("kind") in ("dibao", "tekun"):
            ledger = api("GET", f"/api/v1/supermarket/people/{c['applicant_id']}/ledger?per_page=1", w)
            if ledger["holder"]["balance"] >= 10:
                return api("GET", f"/api/v1/residents/{c['applicant_id']}/full", w)["id_number"]
    raise AssertionError("no applicant of an approved 低保 or 特困 case in the worker's community holds 10 points")


ROLE_PAGES = {
    "worker": ["/console/supermarket"],
    "grid": ["/console/supermarket"],
    "street": ["/console/supermarket", "/console/supermarket/new"],
    "district": ["/console/supermarket", "/console/supermarket/config"],
}


@test
def supermarket_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); the
    supermarket's page and the counter; the portal's list and one supermarket without signing in."""
    market = the_market()
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            extra = [market] + ([market + "/counter"] if role in ("worker", "street") else [])
            for page in pages + extra:
                try:
                    visit(d, page)
                    assert path_of(d) == page, f"{role} {page} went to {path_of(d)}"
                    h1 = d.find_element(By.TAG_NAME, "h1").text
                    assert "超市" in h1 or "积分" in h1, f"{role} {page}: {h1}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"supermarket-{kind}-{role}" + page.replace(market, "-market").replace("/console/supermarket", "").replace("/", "-"))
        # A good's stock ledger, from the supermarket's goods list.
        use_session(d, "worker")
        visit(d, market)
        goods = d.find_element(By.CSS_SELECTOR, "a[href*='/goods/']").get_attribute("pathname")
        try:
            visit(d, goods)
            assert "库存台账" in d.find_element(By.TAG_NAME, "h1").text and "入库" in text_of(d), f"{goods}: {text_of(d)[:200]}"
        except AssertionError as e:
            problems.append(f"{kind}: {e}")
        shot(d, f"supermarket-{kind}-worker-goods-ledger")
        d.delete_all_cookies()
        for page, name in [("/notices/supermarkets", "portal-list"), ("/notices/supermarkets/321271002000", "portal-market")]:
            try:
                visit(d, page)
                assert "爱心超市" in text_of(d), page
                assert "分/" in text_of(d) or page == "/notices/supermarkets", "no prices in points"
            except AssertionError as e:
                problems.append(f"{kind}: {e}")
            shot(d, f"supermarket-{kind}-{name}")
        # The demo's resident account is linked to a 低保 recipient who volunteers: their own points.
        use_session(d, "resident")
        try:
            visit(d, "/points")
            assert path_of(d) == "/points" and "爱心积分余额" in text_of(d), f"/points: {text_of(d)[:200]}"
            assert "救助家庭月度积分" in text_of(d) or "志愿服务" in text_of(d), "the resident's ledger shows no entry"
        except AssertionError as e:
            problems.append(f"{kind}: {e}")
        shot(d, f"supermarket-{kind}-resident-points")
        d.delete_all_cookies()
    assert not problems, "\n".join(problems)


@test
def a_supermarket_redemption_at_the_counter():
    """The worker types an ID number not in the registry (refused at its field), then a holder's: the balance
    shows; far more than the points or the stock is refused with nothing taken; one of the cheapest good is
    redeemed and the receipt shows the balance after it."""
    market = the_market()
    holder = a_holder()
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, market + "/counter")
    fill(d, "id_number", "11010519491231002X")
    click_button(d, "查找")
    assert "本辖区没有这位居民" in text_of(d), text_of(d)[:400]
    fill(d, "id_number", holder)
    click_button(d, "查找")
    balance = int(d.find_element(By.ID, "balance").text)
    assert holder not in d.page_source, "the full ID number is on the page"
    inputs = [e for e in d.find_elements(By.CSS_SELECTOR, "input[name^=q_]")]
    assert inputs, "no goods to redeem"
    first = inputs[0]
    d.execute_script("arguments[0].removeAttribute('max')", first)
    first.clear()
    first.send_keys("9999")
    click_button(d, "确认兑换")
    assert "不足" in text_of(d), text_of(d)[:400]
    assert int(d.find_element(By.ID, "balance").text) == balance, "a refused redemption took points"
    shot(d, "supermarket-counter-refused")
    in_stock = [row for row in d.find_elements(By.CSS_SELECTOR, "tbody tr") if row.find_elements(By.CSS_SELECTOR, "input[name^=q_]")]
    cheapest = min(in_stock, key=lambda row: int(row.find_elements(By.TAG_NAME, "td")[1].text))
    price = int(cheapest.find_elements(By.TAG_NAME, "td")[1].text)
    assert price <= balance, f"the cheapest good costs {price}, the holder has {balance}"
    for e in d.find_elements(By.CSS_SELECTOR, "input[name^=q_]"):
        e.clear()
    cheapest.find_element(By.CSS_SELECTOR, "input[name^=q_]").send_keys("1")
    click_button(d, "确认兑换")
    assert "已兑换" in text_of(d), text_of(d)[:400]
    assert int(d.find_element(By.ID, "balance").text) == balance - price
    shot(d, "supermarket-counter-redeemed")
