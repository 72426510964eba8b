"""The web console's pages as they are: sign-in, sign-out, the session guard, the indicators dashboard,
the residents' import page; on a 1280 px desktop and a 360 px phone, by mouse and by keyboard; and
data holding markup shown as text."""
from __future__ import annotations

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from harness import (ACCOUNTS, active, add_account, api, assert_focus_visible, assert_no_overflow, assert_shows_as_text, check_page,
                     click_button, click_link, desktop_driver, field_error, fill, forget_token, form_errors, path_of, phone_driver, shot, signin, signin_as, tab_to,
                     test, text_of, token, totp, totp_code, url, use_session, visit, wait_for, write_file)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

# The console pages a signed-in community worker can open; flow tests add theirs (phone widths are checked on each).
CONSOLE_PAGES = ["/console", "/console/password", "/console/indicators", "/console/import", "/console/residents",
                 "/console/residents?q=zs", "/console/residents/new", "/console/divisions", "/console/requests",
                 "/console/care", "/console/care/calls", "/console/care/facilities"]
# The resident portal's pages, open to all.
PUBLIC_PAGES = ["/", "/track"]
# Pages for street and district officers (the supervision board), checked at 360 px as the street officer.
OFFICER_PAGES = ["/console/requests/board"]


def assert_home(d, name: str, role: str, area: str):
    """The home page greets the user by name, says the role and the area, and offers the role's sections."""
    assert path_of(d) == "/console", path_of(d)
    check_page(d)
    h1 = d.find_element(By.TAG_NAME, "h1").text
    assert h1 == f"{name}，您好", f"the greeting is {h1!r}"
    text = text_of(d)
    assert f"{role} · {area}" in text, text[:300]
    assert "工作台" in d.title, d.title


@test
def login_page():
    """/login: the form's fields with labels, the platform's name, on desktop and phone."""
    for d in (desktop_driver(), phone_driver()):
        visit(d, "/login")
        assert "登录" in d.title, d.title
        text = text_of(d)
        for s in ("邻里 · 社区治理服务平台", "用户名", "密码", "动态口令"):
            assert s in text, f"/login lacks {s!r}"
        for name, kind in (("username", "text"), ("password", "password"), ("totp", "text")):
            el = d.find_element(By.NAME, name)
            assert (el.get_attribute("type") or "text") == kind, (name, el.get_attribute("type"))
            labels = d.find_elements(By.CSS_SELECTOR, f"label[for='{el.get_attribute('id')}']") or el.find_elements(By.XPATH, "ancestor::label")
            assert labels and labels[0].text.strip(), f"the field {name} has no label"
        shot(d, "login")


@test
def signin_worker_greeting():
    """A community worker opens /console, is sent to sign in, signs in by the form and lands on /console
    greeted in Chinese by name, with the sections a community worker may use."""
    d = desktop_driver()
    d.get(url("/console"))
    assert path_of(d).startswith("/login"), path_of(d)
    a = ACCOUNTS["worker"]
    fill(d, "username", a.username)
    fill(d, "password", a.password)
    click_button(d, "登录")
    assert_home(d, "寺巷社区 社区工作者", "社区工作者", "寺巷社区")
    text = text_of(d)
    for link in ("查找居民", "登记居民", "诉求事项", "规划指标", "导入居民信息", "修改密码"):
        assert link in text, f"/console lacks the link {link}"
    nav = [a.get_attribute("textContent") for a in d.find_elements(By.CSS_SELECTOR, "header nav a")]
    assert "督办" not in nav and "工作台" in nav and "居民" in nav, nav
    shot(d, "console")


@test
def wrong_password_message():
    """A wrong password (and an unknown user alike) shows 用户名或密码错误 on the page, not a raw error."""
    d = desktop_driver()
    a = ACCOUNTS["grid"]
    for username, password in ((a.username, a.password + "x"), ("no-such-user", "Whatever-2026!")):
        signin(d, username, password, expect_console=False)
        assert path_of(d) == "/login", path_of(d)
        check_page(d)
        alert = d.find_element(By.CSS_SELECTOR, "[role=alert]")
        assert alert.text == "用户名或密码错误", alert.text
        assert d.find_element(By.NAME, "password").get_attribute("value") == "", "the password is put back into the page"
        d.get(url("/console"))
        assert path_of(d).startswith("/login"), "a refused sign-in opened a session"
    d.get(url("/login"))
    signin(d, a.username, a.password + "x", expect_console=False)
    shot(d, "login-wrong-password")


@test
def officer_signin_with_totp():
    """A street officer: the password alone is not enough (asks for the code), a wrong code is refused,
    the right one (RFC 6238) signs in, to this site's console even when the sign-in page was asked to
    go on to another site."""
    d = desktop_driver()
    a = ACCOUNTS["street"]
    signin(d, a.username, a.password, expect_console=False)
    assert path_of(d) == "/login"
    assert d.find_element(By.CSS_SELECTOR, "[role=alert]").text == "该账号须输入动态口令"
    now = int(time.time() // 30)
    valid = {totp_code(a.totp_secret, s) for s in (now - 1, now, now + 1, now + 2)}
    wrong = next(c for c in ("123456", "654321", "111111") if c not in valid)
    d.get(url("/login"))
    fill(d, "username", a.username)
    fill(d, "password", a.password)
    fill(d, "totp", wrong)
    click_button(d, "登录")
    assert path_of(d) == "/login"
    assert d.find_element(By.CSS_SELECTOR, "[role=alert]").text == "动态口令错误或已使用"
    # From a sign-in page asked to go on to another site afterwards: it stays on this one.
    signin(d, a.username, a.password, a.totp_secret, page="/login?next=//example.org/x")
    assert_home(d, "寺巷街道 街道干部", "街道干部", "寺巷街道")
    nav = [a.get_attribute("textContent") for a in d.find_elements(By.CSS_SELECTOR, "header nav a")]
    assert "督办" in nav and "导入" not in nav, f"a street officer's sections: {nav}"
    shot(d, "console-street-officer")


@test
def signout_ends_the_session():
    """退出 (in the header) goes to /login, and the session is over: console pages ask to sign in again."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console")
    assert path_of(d) == "/console", "the API session did not open the console"
    click_button(d, "退出")
    assert path_of(d).startswith("/login"), path_of(d)
    check_page(d)
    for page in CONSOLE_PAGES:
        d.get(url(page))
        assert path_of(d).startswith("/login"), f"{page} after signing out: {path_of(d)}"
    # The token is revoked on the server, not just forgotten by the browser.
    d.add_cookie({"name": "linli_session", "value": forget_token("worker"), "path": "/", "secure": True, "httpOnly": True})
    d.get(url("/console"))
    assert path_of(d).startswith("/login"), "the signed-out session still opens /console"


@test
def console_needs_a_session():
    """Without a session every console page redirects to /login (no content, no error page)."""
    d = desktop_driver()
    for page in CONSOLE_PAGES + ["/console/indicators.xlsx", "/console/import/template"]:
        d.get(url(page))
        assert path_of(d).startswith("/login"), f"{page} without a session: {path_of(d)}"
        check_page(d)
        assert d.find_elements(By.NAME, "password"), f"{page} without a session does not offer to sign in"
    d.add_cookie({"name": "linli_session", "value": "forged-token", "path": "/", "secure": True, "httpOnly": True})
    d.get(url("/console"))
    assert path_of(d).startswith("/login"), "a made-up session cookie opened /console"


@test
def indicators_dashboard():
    """/console/indicators: the table of the plan's indicators with status chips, and four SVG charts
    (ranking bars, trend line, two donuts) that really draw something; on desktop and phone."""
    for d in (desktop_driver(), phone_driver()):
        use_session(d, "worker")
        visit(d, "/console")
        click_link(d, "规划指标（发展目标）")
        assert path_of(d).startswith("/console/indicators"), path_of(d)
        check_page(d)
        assert "规划指标" in d.title
        text = text_of(d)
        assert "规划指标 · 寺巷社区" in text, text[:200]
        for s in ("尚未测量的规划目标", "导出 Excel", "年龄结构"):
            assert s in text, f"the dashboard lacks {s!r}"
        svgs = d.find_elements(By.CSS_SELECTOR, ".charts svg")
        assert len(svgs) >= 3, f"{len(svgs)} charts"
        drawn = 0
        for svg in svgs:
            label = svg.get_attribute("aria-label") or ""
            assert svg.get_attribute("role") == "img" and label, "a chart with no text alternative"
            shapes = svg.find_elements(By.CSS_SELECTOR, "rect, path, circle, polyline, polygon, line")
            box = svg.rect
            # A chart without data says so in words instead of drawing nothing.
            assert shapes or svg.text.strip(), f"the chart {label} is empty and says nothing"
            assert box["width"] > 100 and box["height"] > 20, f"the chart {label} is collapsed: {box}"
            drawn += bool(shapes)
        assert drawn >= 3, f"only {drawn} charts drew something"
        line = next((s for s in svgs if (s.get_attribute("aria-label") or "").startswith("趋势")), None)
        assert line is not None and line.find_elements(By.CSS_SELECTOR, "polyline, path"), "the trend chart draws no line (two monthly snapshots are loaded)"
        chips = d.find_elements(By.CSS_SELECTOR, "span.chip")
        assert chips and all(c.text for c in chips), "no status chips"
        colours = {c.text: c.value_of_css_property("background-color") for c in chips}
        assert all(v not in ("rgba(0, 0, 0, 0)", "transparent") for v in colours.values()), f"status chips without their colour: {colours}"
        rows = d.find_elements(By.CSS_SELECTOR, "main table tr")
        assert len(rows) > 5, f"{len(rows)} rows"
        shot(d, "indicators")
        # Choosing another indicator for the ranking keeps the page whole.
        fill(d, "rank", "population.residents") if d.find_elements(By.CSS_SELECTOR, "option[value='population.residents']") else None
        click_button(d, "查看")
        check_page(d)
        assert d.find_elements(By.CSS_SELECTOR, ".charts svg")


@test
def phone_width_no_overflow():
    """Every console page at 360 px: nothing wider than the screen (no sideways scrolling)."""
    d = phone_driver()
    problems = []
    for page in ["/login"] + PUBLIC_PAGES:
        try:
            visit(d, page)
        except AssertionError as e:
            problems.append(str(e))
        shot(d, "phone" + (page.replace("/", "-") if page != "/" else "-portal"))
    use_session(d, "worker")
    for page in CONSOLE_PAGES:
        try:
            visit(d, page)
            assert path_of(d) == page, f"{page} went to {path_of(d)}"
        except AssertionError as e:
            problems.append(str(e))
        shot(d, "phone" + page.replace("/", "-"))
    # Pages reached from the lists: an elder's care file and a request's page (forms, timelines).
    for listing, prefix in [("/console/care", "/console/care/"), ("/console/requests", "/console/requests/")]:
        d.get(url(listing))
        links = [a.get_attribute("href") for a in d.find_elements(By.CSS_SELECTOR, f'main a[href*="{prefix}"]')]
        links = [h for h in links if h and len(h.split(prefix, 1)[1]) == 36]
        if not links:
            problems.append(f"{listing} lists nothing to open")
            continue
        page = "/" + links[0].split("/", 3)[3]
        try:
            visit(d, page)
        except AssertionError as e:
            problems.append(str(e))
        shot(d, "phone" + prefix.rstrip("/").replace("/", "-") + "-one")
    use_session(d, "street")
    for page in OFFICER_PAGES:
        try:
            visit(d, page)
            assert path_of(d) == page, f"{page} went to {path_of(d)}"
            assert "督办" in d.find_element(By.TAG_NAME, "h1").text, f"{page}: {d.find_element(By.TAG_NAME, 'h1').text}"
        except AssertionError as e:
            problems.append(str(e))
        shot(d, "phone" + page.replace("/", "-"))
    assert not problems, "\n".join(problems)


@test
def print_resident_profile():
    """A resident's profile printed (Chrome's print media emulation): the stylesheet's @media print hides
    the navigation, the breadcrumbs, the action buttons and every form, and keeps the record — the name,
    the facts with the masked ID number, the household's members and the history."""
    person = api("GET", "/api/v1/residents?per_page=1", token("worker"))["items"][0]
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, f"/console/residents/{person['id']}")
    hidden = ["header.top", "nav.crumbs", "div.actions", "form", "button", ".noprint"]

    def shown(selector: str) -> list:
        return [e for e in d.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()]

    # On screen, all of it is there (so the check below is about print, not about a page without them).
    for selector in hidden:
        assert shown(selector), f"on screen the profile shows no {selector}"
    d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert d.execute_script("return matchMedia('print').matches"), "print media is not emulated"
        for selector in hidden:
            assert not shown(selector), f"printed, the profile still shows {selector}: {[e.text[:40] for e in shown(selector)]}"
        assert d.find_element(By.TAG_NAME, "h1").is_displayed() and d.find_element(By.TAG_NAME, "h1").text == person["name"]
        facts = d.find_element(By.CSS_SELECTOR, "dl.facts")
        assert facts.is_displayed() and person["id_number_masked"] in facts.text and person["household_number"] in facts.text, facts.text
        headings = [h.text for h in shown("main h2")]
        assert "同户成员" in headings and "变动记录" in headings, headings
        shot(d, "resident-profile-print")
    finally:
        d.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


@test
def keyboard_signin():
    """By keyboard alone: the username field has the focus when the page opens; Tab reaches the
    password and then the button, each showing its focus; Enter in the password field signs in and
    goes on to the page first asked for (/console/password); Tab reaches 退出 and Enter signs out."""
    d = desktop_driver()
    d.get(url("/console/password"))
    assert path_of(d).startswith("/login?next="), path_of(d)
    check_page(d)
    user = d.find_element(By.NAME, "username")
    assert active(d) == ("input", "username"), f"the focus is on {active(d)} when /login opens"
    assert_focus_visible(d)
    _, passed = tab_to(d, lambda el: el.get_attribute("name") == "password", limit=1)
    assert_focus_visible(d)
    _, more = tab_to(d, lambda el: el.tag_name == "button", limit=3)
    assert_focus_visible(d)
    assert d.switch_to.active_element.text == "登录", active(d)
    passed += more
    a = ACCOUNTS["worker"]
    user.send_keys(a.username)
    pw = d.find_element(By.NAME, "password")
    pw.send_keys(a.password)
    old = d.find_element(By.TAG_NAME, "html")
    pw.send_keys(Keys.ENTER)
    wait_for(d, lambda x: path_of(x) == "/console/password", message="Enter in the password field did not sign in and go on")
    check_page(d)
    assert "修改密码" in d.find_element(By.TAG_NAME, "h1").text
    # …and out again: Tab to 退出, Enter.
    tab_to(d, lambda el: el.tag_name == "button" and el.text == "退出", limit=40)
    assert_focus_visible(d)
    d.switch_to.active_element.send_keys(Keys.ENTER)
    wait_for(d, lambda x: path_of(x) == "/login", message="Enter on 退出登录 did not sign out")


@test
def markup_in_a_name_shows_as_text():
    """An account whose name is <script>alert(1)</script> (made through the JSON API): the console's
    greeting shows those characters, no script runs, no element is made."""
    a = add_account("xss.name", SCRIPT)
    for d in (desktop_driver(), phone_driver()):
        d.get(url("/login"))
        if d.linli_kind == "desktop":
            signin(d, a.username, a.password)
        else:
            use_session(d, a.username)
            d.get(url("/console"))
        assert_shows_as_text(d, SCRIPT)
        assert d.find_element(By.TAG_NAME, "h1").text == f"{SCRIPT}，您好"
        assert SCRIPT in d.find_element(By.CSS_SELECTOR, "header .who").text, "the header does not name the user as typed"
        shot(d, "console-markup-name")


@test
def markup_in_a_file_name_shows_as_text():
    """The residents' import: a file named <img src=x onerror=alert(1)>.csv with a bad ID number is
    checked, its name shown as text, the bad row listed with the reason in Chinese, nothing written."""
    payload = IMG + ".csv"
    csv = "姓名,公民身份号码,户号,与户主关系,楼栋,网格\n" + SCRIPT + ",110101199003071235,X-1,户主,无此楼,无此网格\n"
    path = write_file(payload, csv.encode("utf-8"))
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console")
    click_link(d, "导入居民信息（Excel / CSV）")
    assert path_of(d) == "/console/import"
    check_page(d)
    d.find_element(By.NAME, "file").send_keys(str(path))
    click_button(d, "上传并检查")
    wait_for(d, lambda x: "已检查完毕" in text_of(x) or "无法导入" in text_of(x), 30, "the check did not finish")
    assert_shows_as_text(d, payload)
    text = text_of(d)
    assert "公民身份号码" in text and "有问题的行" in text, text[:500]
    assert "确认导入" not in text, "a file with no good row offers to write"
    shot(d, "import-checked")


@test
def change_password_form():
    """/console/password: a wrong current password, then a weak new one, each refused with the message
    beside its field and in the list above the form (what was typed is not put back); a good one ends
    the session, and the new password signs in."""
    a = add_account("pw.change", "改密测试")
    d = phone_driver()
    use_session(d, a.username)
    visit(d, "/console")
    click_link(d, "修改密码")
    assert path_of(d) == "/console/password", path_of(d)
    check_page(d)
    fill(d, "current_password", a.password + "x")
    fill(d, "new_password", "Another-Good-Pass-2026")
    click_button(d, "修改密码")
    check_page(d)
    assert field_error(d, "current_password") == "当前密码不正确"
    assert "当前密码不正确" in form_errors(d), form_errors(d)
    assert d.find_element(By.NAME, "current_password").get_attribute("value") == ""
    fill(d, "current_password", a.password)
    fill(d, "new_password", "short")
    click_button(d, "修改密码")
    check_page(d)
    message = field_error(d, "new_password")
    assert "密码至少" in message, message
    shot(d, "password-refused")
    fill(d, "current_password", a.password)
    fill(d, "new_password", "Another-Good-Pass-2026")
    click_button(d, "修改密码")
    assert path_of(d).startswith("/login") or d.find_elements(By.NAME, "password"), path_of(d)
    d.get(url("/console"))
    assert path_of(d).startswith("/login"), "the session lasted past the change of password"
    signin(d, a.username, "Another-Good-Pass-2026")
    assert_home(d, "改密测试", "社区工作者", "寺巷社区")


@test
def keyboard_skip_link_and_navigation():
    """On a console page the first Tab shows 跳到正文 (skip to the content); the header's sections are
    reached by Tab, each showing its focus, and Enter on one opens it."""
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console")
    d.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    skip = d.switch_to.active_element
    assert skip.text == "跳到正文" and skip.is_displayed(), f"the first Tab reaches {active(d)}"
    assert_focus_visible(d)
    el, passed = tab_to(d, lambda e: e.tag_name == "a" and e.text == "规划指标", limit=12)
    assert_focus_visible(d)
    el.send_keys(Keys.ENTER)
    wait_for(d, lambda x: path_of(x).startswith("/console/indicators"), message="Enter on 规划指标 did not open it")
    check_page(d)


@test
def navigation_menus_open_on_click_and_by_keyboard():
    """The bar gathers the sections into the plan's menus: on a desktop and on a phone a click on 社区服务 shows
    its sections (hidden before) and one opens; the menu of the page one is on is marked; Enter opens a menu."""
    for make in (desktop_driver, phone_driver):
        d = make()
        use_session(d, "district")
        visit(d, "/console")
        menu = d.find_element(By.XPATH, "//header//details[summary[normalize-space()='社区服务']]")
        link = menu.find_element(By.CSS_SELECTOR, "a[href='/console/assistance']")
        assert not link.is_displayed(), "a closed menu shows its sections"
        menu.find_element(By.TAG_NAME, "summary").click()
        wait_for(d, lambda x: link.is_displayed(), message="a click on 社区服务 did not show 社会救助")
        box = link.rect
        assert box["x"] >= 0 and box["x"] + box["width"] <= d.execute_script("return innerWidth"), f"the menu runs off the screen: {box}"
        shot(d, "console-menu-open")
        link.click()
        wait_for(d, lambda x: path_of(x) == "/console/assistance", message="the menu's link did not open")
        here = d.find_element(By.XPATH, "//header//details/summary[normalize-space()='社区服务']")
        assert "here" in (here.get_attribute("class") or ""), "the menu of the current page is not marked"
    d = desktop_driver()
    use_session(d, "district")
    visit(d, "/console")
    summary = d.find_element(By.XPATH, "//header//summary[normalize-space()='基础信息']")
    d.execute_script("arguments[0].focus()", summary)
    summary.send_keys(Keys.ENTER)
    residents = d.find_element(By.CSS_SELECTOR, "header a[href='/console/residents']")
    wait_for(d, lambda x: residents.is_displayed(), message="Enter on 基础信息 did not open the menu")
    residents.send_keys(Keys.ENTER)
    wait_for(d, lambda x: path_of(x).startswith("/console/residents"), message="Enter on 居民 did not open it")


@test
def first_signin_setup():
    """An account the security administrator made through the API: its temporary password opens only
    /console/setup, where the holder sets their own password and, as an officer, binds their own
    authenticator with the secret shown there (never to the administrator); then the console opens.
    On a phone the same page fits the screen."""
    temporary = "Admin-Set-Temp-2026"

    def made_by_admin(driver, username, display_name, role, scope):
        api("POST", "/api/v1/accounts", token("secadmin"),
            json={"username": username, "display_name": display_name, "role": role, "division_code": scope, "password": temporary})
        signin(driver, username, temporary, expect_console=False)
        assert path_of(driver) == "/console/setup", path_of(driver)

    d = desktop_driver()
    made_by_admin(d, "setup.officer", "设置测试", "street_officer", "321271002000")
    check_page(d)
    assert "首次登录设置" in text_of(d), text_of(d)[:200]
    shot(d, "setup-password")
    d.get(url("/console/residents"))
    assert path_of(d) == "/console/setup", f"a console page opened before the setup: {path_of(d)}"
    fill(d, "new_password", "Holder-Own-Pass-2026")
    click_button(d, "设置密码")
    check_page(d)
    assert "绑定动态口令" in text_of(d), text_of(d)[:200]
    secret = d.find_element(By.TAG_NAME, "code").text.replace(" ", "")
    assert len(secret) >= 16, secret
    shot(d, "setup-totp")
    fill(d, "totp", totp(secret))
    click_button(d, "完成绑定")
    assert path_of(d) == "/console", path_of(d)
    assert_home(d, "设置测试", "街道干部", "寺巷街道")

    p = phone_driver()
    made_by_admin(p, "setup.worker", "设置测试二", "community_worker", "321271002001")
    check_page(p)
    shot(p, "setup-password")
    fill(p, "new_password", "Holder-Own-Pass-2026")
    click_button(p, "设置密码")
    assert path_of(p) == "/console", path_of(p)
