"""四个公开 in the browser: the console's pages as the roles that see them, a notice published through the form
(an end date before the publish date refused at its field) and a ledger entry (zero refused at the amount); the
portal's notice page at 360 px, the A4 sheet and the screen page that steps through the notices without script."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, use_session, visit)

COMMUNITY = "321271002001"

ROLE_PAGES = {
    "worker": ["/console/disclosure", f"/console/disclosure/notices?community={COMMUNITY}", f"/console/disclosure/ledger?community={COMMUNITY}"],
    "street": ["/console/disclosure", "/console/disclosure/pending", f"/console/disclosure/ledger?community={COMMUNITY}"],
    "district": ["/console/disclosure", f"/console/disclosure/notices?community={COMMUNITY}"],
}


@test
def disclosure_pages_as_each_role_on_desktop_and_phone():
    """Each console page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone)."""
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
                    h1 = d.find_element(By.TAG_NAME, "h1").text
                    assert "公开" in h1 or "公告" in h1 or "账目" in h1, f"{role} {page}: {h1}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"disclosure-{kind}-{role}-" + page.split("?")[0].replace("/console/disclosure", "home").replace("/", "-"))
    assert not problems, "\n".join(problems)


@test
def disclosure_notice_and_ledger_entry_through_the_forms():
    """The worker publishes a notice (an end date before the publish date refused at its field, then
    published), and records an expense (zero refused at the amount, then 350.50)."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, f"/console/disclosure/notices/new?community={COMMUNITY}")
    fill(d, "kind", "service")
    fill(d, "title", "浏览器测试：助餐服务时间调整")
    fill(d, "body", "自下月起，助餐点开放时间调整为11:00-13:00。")
    fill(d, "end_on", "2000-01-01")
    click_button(d, "发布")
    assert "截止日期不能早于发布日期" in field_error(d, "end_on"), text_of(d)[:400]
    shot(d, "disclosure-notice-refused")
    d.execute_script("document.querySelector('input[name=end_on]').value = ''")
    click_button(d, "发布")
    assert "浏览器测试：助餐服务时间调整" in text_of(d) and "撤回原因" in text_of(d), text_of(d)[:400]
    shot(d, "disclosure-notice-published")

    visit(d, f"/console/disclosure/ledger?community={COMMUNITY}")
    fill(d, "direction", "expense")
    fill(d, "subject", "社区活动")
    fill(d, "counterpart", "社区文体队")
    fill(d, "voucher_no", "BROWSER-1")
    fill(d, "amount", "0")
    click_button(d, "记账")
    assert "金额应大于0" in field_error(d, "amount"), text_of(d)[:400]
    fill(d, "amount", "350.50")
    click_button(d, "记账")
    assert "BROWSER-1" in text_of(d) and "350.50" in text_of(d), text_of(d)[:400]
    shot(d, "disclosure-ledger-entry")


@test
def disclosure_portal_notice_at_360_px_the_a4_sheet_and_the_screen():
    """Without signing in: the community's 居务公开, a notice at 360 px (no sideways scroll), its A4 sheet with
    the board's stylesheet, and the screen page that refreshes itself onto the next notice (no script)."""
    d = phone_driver()
    visit(d, "/notices/public")
    assert "居务公开" in text_of(d)
    visit(d, f"/notices/public/{COMMUNITY}")
    assert "政务公开" in text_of(d) and "服务公开" in text_of(d), text_of(d)[:400]
    shot(d, "disclosure-portal-community-phone")
    link = d.find_element(By.CSS_SELECTOR, f"a[href^='/notices/public/{COMMUNITY}/'][href*='-']")
    notice = link.get_attribute("href")
    d.get(notice)
    visit(d, path_of(d))
    assert "打印" in text_of(d)
    shot(d, "disclosure-portal-notice-phone")
    visit(d, path_of(d) + "/print")
    assert d.find_elements(By.CSS_SELECTOR, "main.board h1"), "no A4 sheet"
    assert d.execute_script("return [...document.styleSheets].some(s => (s.href || '').endsWith('/assets/notice-board.css'))")
    shot(d, "disclosure-portal-print-phone")
    s = desktop_driver()
    visit(s, f"/notices/public/{COMMUNITY}/screen")
    assert not s.find_elements(By.TAG_NAME, "script"), "the screen page runs a script"
    refresh = s.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]").get_attribute("content")
    assert "screen?i=1" in refresh, refresh
    size = s.execute_script("return parseFloat(getComputedStyle(document.querySelector('main.screen')).fontSize)")
    assert size >= 20, f"screen type is {size}px"
    shot(s, "disclosure-screen")
