"""捐赠物资接收点 in the browser: the pages as the roles that see them, on a desktop and at 360 px; a donation
received through the form (zero refused at its field), a household found by its number with its assistance
case shown, a hand-out larger than the stock refused at the quantity, then one handed out; the portal's
pages read without signing in."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session,
                     visit)


def the_point() -> str:
    """The console path of 寺巷社区's point (the demo registers one there)."""
    items = api("GET", "/api/v1/donations/points", token("worker"))["items"]
    assert items, "the demo registered no point in the worker's community"
    return "/console/donations/" + items[0]["id"]


ROLE_PAGES = {
    "worker": ["/console/donations"],
    "grid": ["/console/donations"],
    "street": ["/console/donations"],
    "district": ["/console/donations", "/console/donations?page=2"],
}


@test
def donation_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); the point's
    page with its stock and ledger; the portal's list and one point without signing in."""
    point = the_point()
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + [point]:
                try:
                    visit(d, page)
                    assert path_of(d) == page.split("?")[0] or "?" in page, f"{role} {page} went to {path_of(d)}"
                    assert "捐赠" in d.find_element(By.TAG_NAME, "h1").text or "接收点" in text_of(d), f"{role} {page}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"donations-{kind}-{role}" + ("-point" if page == point else page.replace("/console/donations", "").replace("?", "-")))
        d.delete_all_cookies()
        for page, name in [("/notices/donations", "portal-list"), ("/notices/donations/321271002001", "portal-point")]:
            try:
                visit(d, page)
                assert "捐赠物资接收点" in text_of(d), page
                assert "****" in text_of(d) or page == "/notices/donations", "the keeper's phone is not masked"
            except AssertionError as e:
                problems.append(f"{kind}: {e}")
            shot(d, f"donations-{kind}-{name}")
    assert not problems, "\n".join(problems)


@test
def a_donation_received_and_handed_out_through_the_forms():
    """The worker records a donation (zero refused at its field, then five), finds a household by its number
    (its assistance case is shown), is refused a hand-out larger than the stock at the quantity, and hands
    out two: the stock and the ledger show it."""
    point = the_point()
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, point)
    fill(d, "goods", "浏览器测试大米")
    fill(d, "category", "grain_oil")
    fill(d, "quantity", "0")
    fill(d, "unit", "袋")
    # The browser itself stops a zero at min="1": take that away to see the server's own refusal.
    d.execute_script("document.querySelector('input[name=quantity]').removeAttribute('min')")
    click_button(d, "登记入库")
    assert "数量应为正整数" in field_error(d, "quantity")
    shot(d, "donations-receive-refused")
    fill(d, "quantity", "5")
    click_button(d, "登记入库")
    assert "已登记入库" in text_of(d) and "浏览器测试大米" in text_of(d), text_of(d)[:400]
    household = api("GET", "/api/v1/households?per_page=1", token("worker"))["items"][0]["number"]
    fill(d, "household", household)
    click_button(d, "查找家庭")
    assert "救助情况" in text_of(d), text_of(d)[:400]
    fill(d, "item", "浏览器测试大米（现有5袋）")
    fill(d, "give_quantity", "6")
    click_button(d, "登记发放")
    assert "库存不足" in field_error(d, "give_quantity")
    shot(d, "donations-handout-refused")
    fill(d, "give_quantity", "2")
    click_button(d, "登记发放")
    assert "已登记发放" in text_of(d), text_of(d)[:400]
    assert f"户号 {household}" in text_of(d)
    shot(d, "donations-handed-out")
