"""The issue's flows through the registry and request pages: find a resident by pinyin initials, open
the profile, register a resident with a wrong ID number, a resident's request handled to the end and
rated. A flow whose pages are not there yet is marked @todo: listed, never run, never a pass."""
from __future__ import annotations

import struct
import zlib
from datetime import date, timedelta

from selenium.webdriver.common.by import By

from harness import (district_today, ACCOUNTS, api, assert_shows_as_text, check_page, click_button, click_link, desktop_driver, field_error, fill,
                     form_errors, path_of, phone_driver, shot, test, text_of, todo, token, url, use_session, visit, wait_for,
                     write_file)

SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


# ---------------------------------------------------------------- data for the flows, through the JSON API

def a_resident(worker: str = "worker") -> dict:
    """A resident in the worker's area (the first of the list)."""
    page = api("GET", "/api/v1/residents?per_page=5", token(worker))
    assert page["items"], "no residents in the area"
    return page["items"][0]


def id_number(birth: str = "19900307", area: str = "321271", seq: str = "123") -> str:
    """A valid 18-digit ID number (GB 11643 check digit) for a birth date YYYYMMDD."""
    body = area + birth + seq
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights)) % 11]


def resident_with_markup(worker: str = "worker", name: str = "安娜·测试") -> dict:
    """A new resident of an existing household whose note holds markup (a name may hold only letters
    and the middle dot: the API refuses <script> there)."""
    household = a_resident(worker)["household_id"]
    return api("POST", "/api/v1/residents", token(worker),
               json={"name": name, "id_number": id_number(seq="917"), "household_id": household, "relation": "other",
                     "note": SCRIPT + IMG})


def resident_named(name: str, seq: str, worker: str = "worker") -> dict:
    """A new resident with this name in an existing household of the worker's area; the answer plus the
    full ID number it was given."""
    household = a_resident(worker)["household_id"]
    number = id_number(birth="19850614", seq=seq)
    r = api("POST", "/api/v1/residents", token(worker),
            json={"name": name, "id_number": number, "household_id": household, "relation": "other"})
    r["id_number"] = number
    return r


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid PNG of width × height red pixels (RGB, no filter), made with zlib and struct."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = b"".join(b"\x00" + bytes([200, 40, 30]) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def request_by_number(number: str) -> dict:
    """The request with this number, as the district sees it through the API."""
    for page in range(1, 20):
        items = api("GET", f"/api/v1/requests?per_page=100&page={page}", token("district"))["items"]
        for r in items:
            if r["number"] == number:
                return r
        if len(items) < 100:
            break
    raise AssertionError(f"request {number} is not in the district's list")


def result_rows(d) -> list[list[str]]:
    """The cells of the result table's rows."""
    return [[td.text for td in tr.find_elements(By.TAG_NAME, "td")] for tr in d.find_elements(By.CSS_SELECTOR, "main table tbody tr")]


def request_with_markup(description: str = "楼道灯坏了 " + SCRIPT, name: str = IMG) -> dict:
    """A request reported without an account (as the portal does), whose text and reporter hold markup;
    the answer carries its number and access code."""
    categories = api("GET", "/api/v1/request-categories")
    leaf = _first_leaf(categories)
    return api("POST", "/api/v1/requests", json={"category_code": leaf, "description": description, "address": "寺巷街道 " + IMG,
                                                 "name": name, "phone": "13800000000"})


def _first_leaf(tree: list) -> str:
    for c in tree:
        kids = c.get("children") or []
        if not kids:
            return c["code"]
        return _first_leaf(kids)
    raise AssertionError("no request categories")


@test
def search_by_pinyin_initials():
    """A community worker opens 查找居民 from the home page, types a resident's pinyin initials (oynn
    for 欧阳娜娜) and finds them, the ID number and phone masked in the list; on desktop and phone."""
    person = resident_named("欧阳娜娜", seq="561")
    for d in (desktop_driver(), phone_driver()):
        use_session(d, "worker")
        visit(d, "/console")
        click_link(d, "查找居民（姓名、拼音首字母或身份证号）")
        assert path_of(d) == "/console/residents", path_of(d)
        check_page(d)
        fill(d, "q", "oynn")
        click_button(d, "搜索")
        check_page(d)
        assert path_of(d).startswith("/console/residents?q=oynn"), path_of(d)
        rows = result_rows(d)
        mine = [r for r in rows if r[0] == "欧阳娜娜"]
        assert mine, f"欧阳娜娜 not found by oynn: {rows[:5]}"
        assert "*" in mine[0][3] and person["id_number"] not in text_of(d), f"the ID number is not masked in the list: {mine[0]}"
        shot(d, "residents-search")
    # Nobody matches: the page says so, in words.
    fill(d, "q", "xqzxqz")
    click_button(d, "搜索")
    check_page(d)
    assert "没有找到符合条件的居民" in text_of(d)


@test
def open_a_profile():
    """From the search results, the resident's profile: name, masked ID number, household and
    building, breadcrumbs; 显示完整号码 shows the whole number, marked as recorded in the audit log."""
    person = resident_named("司马青云", seq="562")
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/residents?q=smqy")
    click_link(d, "司马青云")
    assert path_of(d).lower() == f"/console/residents/{person['id']}".lower(), path_of(d)
    check_page(d)
    assert d.find_element(By.TAG_NAME, "h1").text == "司马青云"
    assert "司马青云 · 居民信息" in d.title, d.title
    facts = text_of(d)
    assert person["id_number_masked"] in facts and person["id_number"] not in facts, "the profile does not mask the ID number"
    assert person["household_number"] in facts, "the profile does not name the household"
    crumbs = [li.text for li in d.find_elements(By.CSS_SELECTOR, "nav.crumbs li")]
    assert crumbs[0] == "工作台" and crumbs[-1] == "司马青云", crumbs
    shot(d, "resident-profile")
    click_button(d, "显示完整号码")
    check_page(d)
    text = text_of(d)
    assert person["id_number"] in text and "完整号码（已记入审计日志）" in text, "the full number is not shown as asked"
    d.get(url(f"/console/residents/{person['id']}"))
    assert person["id_number"] not in text_of(d), "the full number stays on the profile after leaving it"


@test
def register_with_a_wrong_id_number():
    """On the phone, 登记居民: an ID number with a wrong check digit is refused with the reason beside the
    field and above the form, what was typed is kept; corrected, the resident is registered and their
    profile opens."""
    household = a_resident()["household_number"]
    good = id_number(birth="20010512", seq="318")
    wrong = good[:-1] + ("1" if good[-1] != "1" else "2")
    d = phone_driver()
    use_session(d, "worker")
    visit(d, "/console")
    click_link(d, "登记居民（含出生登记）")
    assert path_of(d) == "/console/residents/new", path_of(d)
    check_page(d)
    fill(d, "name", "林小雨")
    fill(d, "id_number", wrong)
    fill(d, "household_number", household)
    fill(d, "relation", "other")
    click_button(d, "登记")
    check_page(d)
    message = field_error(d, "id_number")
    assert message == f"公民身份号码校验码错误（按前17位应为{good[-1]}）", message
    assert message in form_errors(d), form_errors(d)
    assert d.find_element(By.NAME, "name").get_attribute("value") == "林小雨", "the form lost the name"
    assert d.find_element(By.NAME, "id_number").get_attribute("value") == wrong, "the form lost the ID number"
    shot(d, "resident-new-refused")
    fill(d, "id_number", good)
    click_button(d, "登记")
    check_page(d)
    assert path_of(d).startswith("/console/residents/") and path_of(d) != "/console/residents/new", path_of(d)
    assert d.find_element(By.TAG_NAME, "h1").text == "林小雨"
    text = text_of(d)
    assert "2001-05-12" in text, "the birth date is not taken from the ID number"
    shot(d, "resident-registered")


@test
def register_a_birth():
    """登记居民 with 登记方式 出生登记: a newborn (an ID number whose birth date is a month ago) joins an
    existing household; the profile shows the birth date taken from the number, 0 岁, and 出生登记 with
    that date and the note in its history."""
    household = a_resident()["household_number"]
    born = district_today() - timedelta(days=30)
    number = id_number(birth=born.strftime("%Y%m%d"), seq="421")
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, "/console/residents/new")
    fill(d, "name", "林小满")
    fill(d, "id_number", number)
    fill(d, "household_number", household)
    fill(d, "relation", "grandchild")
    fill(d, "origin", "birth")
    fill(d, "note", "泰州市人民医院出生")
    click_button(d, "登记")
    check_page(d)
    assert path_of(d).startswith("/console/residents/") and path_of(d) != "/console/residents", path_of(d)
    assert d.find_element(By.TAG_NAME, "h1").text == "林小满", text_of(d)[:300]
    assert f"{born.isoformat()}（0 岁）" in text_of(d), "the birth date is not taken from the ID number"
    timeline = d.find_element(By.CSS_SELECTOR, "ol.timeline").text
    assert f"出生登记 {born.isoformat()}" in timeline and "泰州市人民医院出生" in timeline, timeline
    rid = path_of(d).rsplit("/", 1)[1]
    events = api("GET", f"/api/v1/residents/{rid}/events", token("worker"))
    assert [e["kind"] for e in events] == ["birth"], events
    shot(d, "resident-birth")


# The request the resident reports, handled and rated by the tests after it (they run in this order).
REPORTED: dict = {}


def choose_first(d, name: str) -> str:
    """Chooses the first real option (one with a value) of the select with this name; its text."""
    from selenium.webdriver.support.ui import Select
    s = Select(d.find_element(By.NAME, name))
    option = next(o for o in s.options if o.get_attribute("value"))
    s.select_by_value(option.get_attribute("value"))
    return option.text


@test
def resident_submits_a_request():
    """On a phone, without an account: the portal at /, choose the community, list its buildings, report
    a problem; the page gives the number and the access code to follow it."""
    d = phone_driver()
    visit(d, "/")
    assert "邻里 · 社区服务" in d.find_element(By.TAG_NAME, "h1").text
    fill(d, "community", "321271002001")
    click_button(d, "列出楼栋")
    check_page(d)
    REPORTED["category"] = choose_first(d, "category_code")
    fill(d, "description", "3 单元楼道灯坏了，晚上很黑")
    REPORTED["building"] = choose_first(d, "building_id")
    fill(d, "name", "王阿姨")
    fill(d, "phone", "13912345678")
    shot(d, "portal-report")
    click_button(d, "提交")
    check_page(d)
    assert d.find_element(By.TAG_NAME, "h1").text == "已收到您反映的问题", text_of(d)[:200]
    REPORTED["number"] = d.find_element(By.ID, "request-number").text.strip()
    REPORTED["code"] = d.find_element(By.ID, "access-code").text.strip()
    assert REPORTED["number"].isdigit() and len(REPORTED["code"]) >= 6, REPORTED
    shot(d, "portal-received")
    click_button(d, "查询办理进度")
    check_page(d)
    assert d.find_element(By.ID, "request-status").text == "已上报"


def open_request(d, number: str):
    """The request's page in the console, from the queue."""
    visit(d, "/console/requests")
    click_link(d, number)
    check_page(d)
    assert f"事项 {number}" in d.title, d.title


def act(d, action: str, **fields):
    """Fills and submits the action form named by its button (受理, 派遣, 开始处置, 办结…)."""
    form = d.find_element(By.CSS_SELECTOR, f"form.act[aria-label='{action}']")
    for name, value in fields.items():
        el = form.find_element(By.NAME, name)
        if el.tag_name == "select":
            from selenium.webdriver.support.ui import Select
            Select(el).select_by_value(value)
        else:
            el.send_keys(value)
    old = d.find_element(By.TAG_NAME, "html")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    from harness import _wait_new_page
    _wait_new_page(d, old)
    check_page(d)


@test
def workers_handle_the_request():
    """The resident's request (its category is the street's to take) is accepted by the street officer
    and dispatched to the community; the community worker starts and resolves it. The timeline shows
    each step, with the internal notes and the reply to the resident, each named."""
    assert REPORTED.get("number"), "no request was reported (resident_submits_a_request failed)"
    n = REPORTED["number"]
    street = desktop_driver()
    use_session(street, "street")
    open_request(street, n)
    assert "3 单元楼道灯坏了" in text_of(street)
    shot(street, "request-reported")
    act(street, "受理")
    act(street, "派遣", handler="321271002001", note="请寺巷社区处理")
    assert "已派遣" in text_of(street)
    worker = desktop_driver()
    use_session(worker, "worker")
    open_request(worker, n)
    # A photo of the broken lamp with the first step: a real PNG made here, uploaded through the form.
    photo = write_file("lamp.png", tiny_png(4, 3))
    act(worker, "开始处置", note="已联系物业更换灯泡", **{"photos[]": str(photo)})
    images = worker.find_elements(By.CSS_SELECTOR, "ol.timeline img")
    assert len(images) == 1, f"the step shows {len(images)} photos"
    assert images[0].get_attribute("alt") == "开始处置照片", images[0].get_attribute("alt")
    wait_for(worker, lambda d: d.execute_script("return arguments[0].complete", images[0]), 10, "the photo did not load")
    size = worker.execute_script("return [arguments[0].naturalWidth, arguments[0].naturalHeight]", images[0])
    assert size == [4, 3], f"the photo served is not the one uploaded: {size}"
    act(worker, "办结", note="灯泡由物业仓库领用", reply="灯已换好")
    timeline = worker.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for step in ("受理", "派遣", "开始处置", "办结", "灯已换好", "内部备注：灯泡由物业仓库领用", "答复群众：灯已换好"):
        assert step in timeline, f"the timeline lacks {step}: {timeline[:400]}"
    shot(worker, "request-resolved")


def offered(d) -> list[str]:
    """The actions the request's page offers (its forms' labels)."""
    return [f.get_attribute("aria-label") for f in d.find_elements(By.CSS_SELECTOR, "form.act")]


@test
def workers_verify_and_close_the_request():
    """Past 办结: a worker of the request's area checks the work on the spot and 核查 (verifies) it — the
    grid worker when it lies in their grid, else the community worker; the community worker, who does
    not hold it, is never offered 结案; the street officer who holds it 结案 (closes) it. The status and
    the timeline show both steps."""
    assert REPORTED.get("number"), "no request was reported"
    r = request_by_number(REPORTED["number"])
    assert r["status"] == "resolved", r["status"]
    page = f"/console/requests/{r['id'].lower()}"
    verifier = "grid" if r["area_code"].startswith("321271002001001") else "worker"
    worker = desktop_driver()
    use_session(worker, "worker")
    visit(worker, page)
    assert "结案" not in offered(worker), f"the community worker is offered {offered(worker)}"
    v = worker if verifier == "worker" else desktop_driver()
    if verifier == "grid":
        use_session(v, "grid")
        visit(v, page)
    assert "核查" in offered(v), f"the {verifier} account is offered {offered(v)}"
    act(v, "核查", note="现场查看，灯已亮")
    assert "核查" not in offered(v) and "已核查" in text_of(v), f"after 核查 the page offers {offered(v)}"
    street = desktop_driver()
    use_session(street, "street")
    visit(street, page)
    assert "结案" in offered(street), f"the street officer is offered {offered(street)}"
    act(street, "结案", note="群众反映问题已解决")
    text = text_of(street)
    assert "已结案" in text, text[:400]
    assert "结案" not in offered(street), offered(street)
    timeline = street.find_element(By.CSS_SELECTOR, "ol.timeline").text
    for step in ("核查", "现场查看，灯已亮", "结案", "群众反映问题已解决"):
        assert step in timeline, f"the timeline lacks {step}: {timeline[:500]}"
    assert request_by_number(REPORTED["number"])["status"] == "closed"
    shot(street, "request-closed")


@test
def resident_rates_the_request():
    """The resident follows the request by number and access code, sees it closed with the steps,
    and rates it 5; the rating shows on the page and the form is gone."""
    assert REPORTED.get("number") and REPORTED.get("code"), "no request was reported"
    d = phone_driver()
    visit(d, "/track")
    fill(d, "number", REPORTED["number"])
    fill(d, "access_code", REPORTED["code"])
    click_button(d, "查询")
    check_page(d)
    assert d.find_element(By.ID, "request-status").text == "已结案", text_of(d)[:300]
    assert "灯已换好" in text_of(d)
    # Only the reply reaches the resident; the staff's internal notes stay in the console.
    for internal in ("灯泡由物业仓库领用", "已联系物业更换灯泡", "请寺巷社区处理"):
        assert internal not in text_of(d), f"the tracking page shows the internal note {internal}"
    d.find_element(By.CSS_SELECTOR, "input[name=rating][value='5']").click()
    fill(d, "comment", "很及时，谢谢")
    click_button(d, "提交评价")
    check_page(d)
    text = text_of(d)
    assert "5 分" in text, text[:400]
    assert not d.find_elements(By.NAME, "rating"), "the rating form is still offered"
    shot(d, "portal-rated")


@test
def resident_reports_by_typed_address():
    """On a phone, without an account: a report with no community or building chosen, only a typed
    address that names a building; the request is placed in a building of that name and its grid (as
    the API places an address), and is followed by its number and code."""
    b = api("GET", "/api/v1/buildings?grid=321271002001001&per_page=1", token("worker"))["items"][0]
    address = f"泰州市{b['name']}东门外"
    d = phone_driver()
    visit(d, "/")
    choose_first(d, "category_code")
    fill(d, "description", "东门外路面塌陷，雨后积水")
    fill(d, "address", address)
    chosen = d.find_elements(By.NAME, "building_id")
    assert not chosen or not chosen[0].get_attribute("value"), "a building is chosen"
    shot(d, "portal-report-address")
    click_button(d, "提交")
    check_page(d)
    assert d.find_element(By.TAG_NAME, "h1").text == "已收到您反映的问题", text_of(d)[:200]
    number = d.find_element(By.ID, "request-number").text.strip()
    r = request_by_number(number)
    assert r["address"] == address, r["address"]
    assert r["building_id"], f"the address was not placed in a building: {r['area_code']}"
    placed = api("GET", f"/api/v1/buildings/{r['building_id']}", token("district"))
    assert placed["name"] == b["name"] and r["area_code"] == placed["grid_code"], (placed, r["area_code"])
    click_button(d, "查询办理进度")
    check_page(d)
    assert d.find_element(By.ID, "request-status").text == "已上报"


@test
def markup_in_a_resident_note_shows_as_text():
    """A resident registered through the JSON API with <script>alert(1)</script><img src=x onerror=…> as
    the note: their profile's history shows it as text, on desktop and phone."""
    person = resident_with_markup()
    for d in (desktop_driver(), phone_driver()):
        use_session(d, "worker")
        visit(d, f"/console/residents/{person['id']}", allow_text=(SCRIPT + IMG,))
        assert d.find_element(By.TAG_NAME, "h1").text == person["name"]
        assert_shows_as_text(d, SCRIPT + IMG)
        shot(d, "resident-markup-note")


@test
def markup_in_request_text_shows_as_text():
    """A request reported through the JSON API whose description holds <script>alert(1)</script> (and
    whose address and reporter hold an <img onerror>): the console's queue and the request's page show
    them as text; so does the portal's tracking page when the answer gives an access code."""
    r = request_with_markup()
    description = r["description"]
    d = desktop_driver()
    use_session(d, "district")
    visit(d, "/console/requests", allow_text=(SCRIPT, IMG))
    assert_no_markup_made(d)
    click_link(d, r["number"])
    assert_shows_as_text(d, SCRIPT)
    assert description in text_of(d), "the description is not shown as written"
    shot(d, "request-markup")
    code = r.get("access_code")
    if code:
        p = phone_driver()
        visit(p, "/track")
        fill(p, "number", r["number"])
        fill(p, "access_code", code)
        click_button(p, "查询")
        assert_no_markup_made(p)


def assert_no_markup_made(d):
    made = d.execute_script("return [document.querySelectorAll('script').length,"
                            " [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length];")
    assert made == [0, 0], f"{path_of(d)}: data made elements: {made}"


# ---------------------------------------------------------------- every console page, as every staff role

# Text that means a value reached a page by accident: an SQL fragment, an optional, a nil.
LEAKS = ("SQLRaw", "Optional(", "fragments:", "SQLQueryString", "nil)")
# Text that means the page's own markup was escaped (shown as text) or text escaped twice. Data put in on
# purpose by the markup tests (<script>, <img onerror>) has none of these.
MISESCAPED = ("class=\"", "href=\"", "&lt;", "&gt;", "&amp;", "&quot;", "&#39;")
# Links that answer a file, not a page.
DOWNLOADS = (".xlsx", ".csv", "/export", "/template", "/report", "/photos/")
CRAWL_CAP = 150


def crawl_console(d, cap: int = CRAWL_CAP) -> list[str]:
    """Breadth first from /console over the same-origin links under /console (GET only: never /logout, never a
    form; fragments stripped; no downloads), at most `cap` pages. Fails on a page that answered 500 or shows a
    leaked value or escaped markup; returns the pages seen."""
    from urllib.parse import urldefrag, urlsplit
    base = urlsplit(url("/"))
    queue, seen, problems = ["/console"], {"/console"}, []
    pages = []
    while queue and len(pages) < cap:
        path = queue.pop(0)
        d.get(url(path))
        pages.append(path)
        status = d.execute_script("const n = performance.getEntriesByType('navigation')[0]; return n ? n.responseStatus : null;")
        if status is None or status >= 500:
            problems.append(f"{path}: HTTP {status}")
        text = d.execute_script("return document.body ? document.body.innerText : ''")
        for s in LEAKS + MISESCAPED:
            if s in text:
                i = text.find(s)
                problems.append(f"{path}: shows {s!r}: …{text[max(0, i - 60):i + 60]!r}…".replace("\n", " "))
        hrefs = d.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
        for href in hrefs:
            target = urlsplit(urldefrag(href)[0])
            if (target.scheme, target.netloc) != (base.scheme, base.netloc):
                continue
            p = target.path + ("?" + target.query if target.query else "")
            if not target.path.startswith("/console") or target.path == "/logout" or any(x in target.path for x in DOWNLOADS):
                continue
            if p not in seen:
                seen.add(p)
                queue.append(p)
    assert not problems, f"{len(problems)} problem(s) on {len(pages)} pages:\n  " + "\n  ".join(problems[:20])
    return pages


@test
def every_console_page_shows_no_leaked_value():
    """Every staff role of the demo (each account `linli demo` made) walks the console from /console by its
    links, breadth first (up to 150 pages each): no page answers 500, none shows an SQL fragment, an
    optional or a nil (`SQLRaw`, `Optional(`, `fragments:`, `SQLQueryString`, `nil)`), and none shows its
    own markup as text or text escaped twice."""
    roles = [name for name in ("worker", "grid", "street", "district", "dept", "sysadmin", "secadmin", "auditor") if name in ACCOUNTS]
    assert len(roles) == 8, f"demo accounts missing: {sorted(ACCOUNTS)}"
    d = desktop_driver()
    counts = {}
    for name in roles:
        d.get(url("/login"))
        d.delete_all_cookies()
        use_session(d, name)
        counts[name] = len(crawl_console(d))
    # The walk went somewhere: the worker reaches residents, requests and care pages through the links.
    assert counts["worker"] >= 30, f"the worker's walk saw only {counts['worker']} pages"
    print(f"     crawled: {counts}")
