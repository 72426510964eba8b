"""The browser suite's machinery: a demo server of its own, headless Chromium (desktop and a 360 px
phone), and the helpers the tests use. Standard library and Selenium only.

Tests are plain functions without arguments, registered with @test (run, counted) or @todo (listed,
never run, never counted as a pass). The runner starts one server for the suite; the helpers below
use it: `url(path)`, `ACCOUNTS` (the demo accounts by username), `token(username)`, `api(...)`.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.common.exceptions import NoAlertPresentException, TimeoutException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

HERE = Path(__file__).resolve().parent
SCREENSHOTS = HERE / "screenshots"
PHONE_WIDTH = 360
API_SOURCE = "127.0.0.2"
DESKTOP_WIDTH = 1280

# ---------------------------------------------------------------- registry of tests

TESTS: list[tuple[str, object]] = []
TODOS: list[tuple[str, str]] = []


def test(fn):
    """Registers a test that runs and counts."""
    TESTS.append((fn.__name__, fn))
    return fn


def todo(reason: str):
    """Registers a test that is not written yet: listed as TODO, never run, never a pass."""
    def wrap(fn):
        TODOS.append((fn.__name__, reason))
        return fn
    return wrap


# ---------------------------------------------------------------- TOTP (RFC 6238)

def totp_code(secret: str, step: int) -> str:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    mac = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


_last_step: dict[str, int] = {}


def totp(secret: str) -> str:
    """A code the server will take: it refuses a step already used by the account, and accepts one
    step either side of now, so use the first unused of now-1, now, now+1 (waiting if all are). The code
    goes to the server a few seconds later on a busy machine: now-1 only while it stays valid for 10 s more."""
    while True:
        t = time.time()
        now = int(t // 30)
        for step in (now - 1, now, now + 1):
            if step == now - 1 and 30 - t % 30 < 10:
                continue
            if step > _last_step.get(secret, -1):
                _last_step[secret] = step
                return totp_code(secret, step)
        time.sleep(1)


# ---------------------------------------------------------------- the server under test

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Account:
    def __init__(self, username: str, password: str, label: str, totp_secret: str | None = None):
        self.username, self.password, self.label, self.totp_secret = username, password, label, totp_secret

    def __repr__(self):
        return f"Account({self.username}, {self.label}{', TOTP' if self.totp_secret else ''})"


ACCOUNT_LINE = re.compile(r"^\s{2}(\S+)\s+(\S+)\s{2}(\S.*)$")
SECRET_LINE = re.compile(r"动态口令密钥\s+([A-Z2-7]+)")


def parse_demo_accounts(text: str) -> dict[str, Account]:
    """Reads the accounts `linli demo` prints once: `  name  password  role（scope）`, and for roles
    with a second factor a following line `动态口令密钥 SECRET`."""
    accounts: dict[str, Account] = {}
    last = None
    started = False
    for line in text.splitlines():
        if "演示账号" in line:
            started = True
            continue
        if not started:
            continue
        m = SECRET_LINE.search(line)
        if m and last:
            last.totp_secret = m.group(1)
            continue
        m = ACCOUNT_LINE.match(line)
        if m and "（" in m.group(3):
            last = Account(m.group(1), m.group(2), m.group(3))
            accounts[last.username] = last
    return accounts


class Linli:
    """A server of its own: temp data folder, demo district, free port; stopped by `stop()`."""

    def __init__(self, binary: str, residents: int = 3000, requests: int = 200, keep: bool = False):
        self.binary = str(Path(binary).resolve())
        self.residents, self.requests, self.keep = residents, requests, keep
        self.dir = Path(tempfile.mkdtemp(prefix="linli-browser-"))
        self.env = dict(os.environ, LINLI_DATA_DIR=str(self.dir), LOG_LEVEL="warning")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.accounts: dict[str, Account] = {}
        self._tokens: dict[str, str] = {}

    def linli(self, *args: str, input: str | None = None) -> str:
        """Runs a `linli` command against this server's data folder; its output, or an error."""
        r = subprocess.run([self.binary, *args], env=self.env, input=input, capture_output=True, text=True, timeout=600)
        if r.returncode != 0:
            raise RuntimeError(f"linli {' '.join(args)} failed ({r.returncode}):\n{r.stdout}\n{r.stderr}")
        return r.stdout

    def start(self):
        out = self.linli("demo", "--load-only", "--residents", str(self.residents), "--requests", str(self.requests), "--seed", "7")
        self.accounts = parse_demo_accounts(out)
        # Two monthly snapshots of the indicators, so the dashboard's trend has a line to draw.
        self.linli("indicators", "snapshot", "--period", "2026-01")
        self.linli("indicators", "snapshot")
        if "worker" not in self.accounts or not self.accounts.get("street", Account("", "", "")).totp_secret:
            raise RuntimeError("could not read the demo accounts from `linli demo`:\n" + out)
        log = open(self.dir / "serve.log", "w")
        self.process = subprocess.Popen([self.binary, "serve", "--port", str(self.port)], env=self.env,
                                        stdout=log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("the server stopped at start:\n" + self.log_tail())
            try:
                with urllib.request.urlopen(self.base + "/healthz", timeout=2) as r:
                    if json.load(r).get("status") == "ok":
                        return
            except (OSError, ValueError):
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not answer /healthz in 60 s:\n" + self.log_tail())

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join((self.dir / "serve.log").read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.keep:
            print(f"kept the data folder: {self.dir}")
        else:
            shutil.rmtree(self.dir, ignore_errors=True)

    def url(self, path: str) -> str:
        return self.base + path

    # -- API

    def api_login(self, username: str, password: str, totp_code: str | None = None) -> str:
        body = {"username": username, "password": password}
        if totp_code:
            body["totp"] = totp_code
        return self.api("POST", "/api/v1/auth/token", json=body)["token"]

    def token(self, username: str) -> str:
        """A bearer token for a demo (or added) account, signed in once per run: sign-ins are rate
        limited per address (20 in 5 minutes), so the suite reuses sessions."""
        if username not in self._tokens:
            a = self.accounts[username]
            self._tokens[username] = self.api_login(a.username, a.password, totp(a.totp_secret) if a.totp_secret else None)
        return self._tokens[username]

    def api(self, method: str, path: str, token: str | None = None, json=None, expect: int | tuple = (200, 201, 202, 204)):
        """Calls the JSON API; returns the decoded body (None when empty). A status not in `expect`
        fails with the server's problem detail."""
        data = None if json is None else _json.dumps(json).encode()
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if token:
            headers["Authorization"] = f"Bearer {token}"
        # From 127.0.0.2: the server limits sign-ins per client address, and the browsers (127.0.0.1)
        # should keep their own allowance.
        try:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(API_SOURCE, 0))
            conn.request(method, path, body=data, headers=headers)
        except OSError:
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            conn.request(method, path, body=data, headers=headers)
        r = conn.getresponse()
        status, raw = r.status, r.read()
        conn.close()
        expected = (expect,) if isinstance(expect, int) else expect
        text = raw.decode("utf-8", errors="replace")
        if status not in expected:
            raise AssertionError(f"{method} {path}: HTTP {status}, expected {expected}: {text[:500]}")
        if not raw:
            return None
        try:
            return _json.loads(text)
        except ValueError:
            return text

    def add_account(self, username: str, display_name: str, role: str = "community_worker",
                    scope: str = "321271002001", password: str = "Browser-Test-Pass-2026") -> Account:
        """Creates an account through the API as the security administrator, then sets it up as its
        holder would at first sign-in (own password, and the second factor for roles that have one);
        usable with signin()."""
        temporary = "Admin-Set-Temp-2026"
        self.api("POST", "/api/v1/accounts", self.token("secadmin"),
                 json={"username": username, "display_name": display_name, "role": role, "division_code": scope,
                       "password": temporary})
        t = self.api_login(username, temporary)
        setup = self.api("POST", "/api/v1/auth/setup", t, json={"new_password": password})
        secret = setup.get("totp_secret")
        if secret:
            self.api("POST", "/api/v1/auth/setup/confirm", t, json={"totp": totp(secret)})
        self._tokens[username] = t
        a = Account(username, password, display_name, secret)
        self.accounts[username] = a
        return a


_json = json

# The suite's server, set by the runner; the module-level helpers use it.
SERVER: Linli | None = None
ACCOUNTS: dict[str, Account] = {}


def set_server(s: Linli):
    global SERVER
    SERVER = s
    ACCOUNTS.clear()
    ACCOUNTS.update(s.accounts)
    s.accounts = ACCOUNTS


def url(path: str) -> str:
    return SERVER.url(path)


def api_login(username: str, password: str, totp: str | None = None) -> str:
    """POST /api/v1/auth/token: a bearer token (counts against the sign-in allowance)."""
    return SERVER.api_login(username, password, totp)


def api(method: str, path: str, token: str | None = None, json=None, expect=(200, 201, 202, 204)):
    """The JSON API (see Linli.api)."""
    return SERVER.api(method, path, token, json, expect)



def district_today() -> "datetime.date":
    """Today where the district is (Asia/Shanghai), as the server reckons it: between 16:00 and 24:00 UTC the
    machine's date.today() is already yesterday there."""
    import datetime as _dt
    return (_dt.datetime.now(_dt.timezone.utc) + _dt.timedelta(hours=8)).date()

def token(username: str) -> str:
    """A bearer token for a demo or added account, signed in once per run."""
    return SERVER.token(username)


def forget_token(username: str) -> str:
    """Drops the account's cached token (after a test signed that session out); returns it."""
    return SERVER._tokens.pop(username)


def add_account(username: str, display_name: str, role: str = "community_worker", scope: str = "321271002001") -> Account:
    """A new account made through the JSON API by the security administrator (see Linli.add_account)."""
    return SERVER.add_account(username, display_name, role, scope)

# ---------------------------------------------------------------- browsers

CHROMIUM = next((p for p in ("/usr/bin/chromium", "/usr/bin/chromium-browser") if os.path.exists(p)), "chromium")
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
_drivers: list = []


def _options() -> webdriver.ChromeOptions:
    o = webdriver.ChromeOptions()
    o.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--lang=zh-CN",
                "--hide-scrollbars", "--no-first-run", "--disable-extensions", "--disable-features=Translate"):
        o.add_argument(arg)
    o.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return o


def _start(o: webdriver.ChromeOptions, kind: str):
    d = webdriver.Chrome(options=o, service=Service(executable_path=CHROMEDRIVER, log_output=subprocess.DEVNULL))
    d.set_page_load_timeout(60)
    d.linli_kind = kind
    _drivers.append(d)
    return d


def desktop_driver():
    """Headless Chromium, 1280 × 900. Quit by the runner at the end of the test."""
    o = _options()
    o.add_argument(f"--window-size={DESKTOP_WIDTH},900")
    return _start(o, "desktop")


def phone_driver():
    """Headless Chromium as a 360 px wide phone (chromedriver's mobileEmulation: a real window
    cannot be made narrower than about 500 px)."""
    o = _options()
    o.add_argument("--window-size=412,900")
    o.add_experimental_option("mobileEmulation", {
        "deviceMetrics": {"width": PHONE_WIDTH, "height": 740, "pixelRatio": 2.0, "touch": True},
        "userAgent": "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
                     "Chrome/120.0.0.0 Mobile Safari/537.36",
    })
    return _start(o, "phone")


def quit_drivers():
    while _drivers:
        d = _drivers.pop()
        try:
            d.quit()
        except Exception:
            pass


# ---------------------------------------------------------------- page helpers

def wait_for(driver, condition, timeout: float = 10, message: str = ""):
    try:
        return WebDriverWait(driver, timeout).until(lambda d: condition(d))
    except TimeoutException:
        raise AssertionError(f"timed out ({timeout} s): {message} — at {driver.current_url}") from None


def path_of(driver) -> str:
    return re.sub(r"^https?://[^/]+", "", driver.current_url)


def text_of(driver) -> str:
    """The page's visible text."""
    return driver.find_element(By.TAG_NAME, "body").text


def fill(driver, name: str, value: str):
    """Types into the form field with this name (input, textarea; a select gets the option with
    this value or visible text)."""
    el = driver.find_element(By.NAME, name)
    if el.tag_name == "select":
        from selenium.webdriver.support.ui import Select
        s = Select(el)
        try:
            s.select_by_value(value)
        except Exception:
            s.select_by_visible_text(value)
        return el
    el.clear()
    el.send_keys(value)
    return el


def field_error(driver, name: str) -> str:
    """The message shown with the form field of this name after a refused submit: the field is marked
    aria-invalid and names its message by aria-describedby (what a screen reader reads out)."""
    el = driver.find_element(By.NAME, name)
    assert el.get_attribute("aria-invalid") == "true", f"the field {name} is not marked invalid"
    ids = (el.get_attribute("aria-describedby") or "").split()
    texts = [driver.find_element(By.ID, i).text for i in ids if i.endswith("-err")]
    assert texts and texts[0].strip(), f"the field {name} names no message (aria-describedby={ids})"
    return texts[0].strip()


def form_errors(driver) -> list[str]:
    """The list of problems above a refused form (role=alert)."""
    return [li.text for li in driver.find_elements(By.CSS_SELECTOR, "[role=alert] li")]


def button(driver, text: str):
    """The visible button (or submit input) whose text is or contains `text`."""
    candidates = driver.find_elements(By.XPATH, "//button | //input[@type='submit' or @type='button']")
    exact = [b for b in candidates if b.is_displayed() and (b.text.strip() or b.get_attribute("value") or "").strip() == text]
    loose = [b for b in candidates if b.is_displayed() and text in (b.text or b.get_attribute("value") or "")]
    found = exact or loose
    if not found:
        raise AssertionError(f"no button 「{text}」 on {path_of(driver)}; buttons: "
                             f"{[b.text or b.get_attribute('value') for b in candidates]}")
    return found[0]


def click_button(driver, text: str):
    """Clicks the button with this visible (Chinese) text and waits for the next page."""
    b = button(driver, text)
    old = driver.find_element(By.TAG_NAME, "html")
    b.click()
    _wait_new_page(driver, old)


def click_link(driver, text: str):
    """Follows the link with this visible text (or containing it)."""
    links = [a for a in driver.find_elements(By.TAG_NAME, "a") if a.is_displayed()]
    found = [a for a in links if a.text.strip() == text] or [a for a in links if text in a.text]
    if not found:
        raise AssertionError(f"no link 「{text}」 on {path_of(driver)}")
    old = driver.find_element(By.TAG_NAME, "html")
    found[0].click()
    _wait_new_page(driver, old)


def _wait_new_page(driver, old, timeout: float = 15):
    def replaced(d):
        try:
            old.tag_name  # raises once the old document is gone
            return False
        except Exception:
            return d.execute_script("return document.readyState") == "complete"
    wait_for(driver, replaced, timeout, "the next page did not load")


def visit(driver, path: str, *, allow_text: tuple[str, ...] = ()):
    """Opens a page and checks what every page must have (see check_page)."""
    driver.get(url(path))
    check_page(driver, allow_text=allow_text)


def check_page(driver, *, allow_text: tuple[str, ...] = ()):
    """What every page must have: lang="zh-CN", a <title> naming the platform, a viewport for phones,
    no markup shown as text (raw `<script`, or escaped twice), no alert; on a phone, no horizontal
    overflow. `allow_text` are strings a test put into data on purpose (shown as text)."""
    info = driver.execute_script(
        "return {lang: document.documentElement.lang, title: document.title,"
        " viewport: (document.querySelector('meta[name=viewport]')||{}).content || ''}")
    where = path_of(driver)
    assert info["lang"] == "zh-CN", f"{where}: <html lang> is {info['lang']!r}, not zh-CN"
    assert info["title"].strip() and "邻里" in info["title"], f"{where}: <title> is {info['title']!r}"
    assert "width=device-width" in info["viewport"], f"{where}: no viewport meta for phones"
    text = text_of(driver)
    for s in allow_text:
        text = text.replace(s, "")
    for raw in ("<script", "</", "&lt;", "&gt;", "&amp;", "&quot;", "&#39;"):
        assert raw not in text, f"{where}: the page shows {raw!r} as text: …{_around(text, raw)}…"
    assert_no_alert(driver)
    assert_console_clean(driver)
    if getattr(driver, "linli_kind", "") == "phone":
        assert_no_overflow(driver)


def assert_console_clean(driver):
    """The browser reported no error for the page: no style or script refused by the Content Security
    Policy (the page would look or work otherwise than written), no failed load, no script error."""
    try:
        entries = driver.get_log("browser")
    except Exception:
        return
    def counts(m: str) -> bool:
        if "favicon.ico" in m:
            return False
        if "Failed to load resource" in m:
            # A page's own status (401 on a refused sign-in, 422 on a refused form) is not an error of
            # the page; a stylesheet, script or image that does not load is.
            return bool(re.match(r"\S+/assets/|\S+\.(css|js|png|svg|jpg|woff2?)\b", m))
        return True
    errors = [e["message"] for e in entries if e.get("level") == "SEVERE" and counts(e["message"])]
    assert not errors, f"{path_of(driver)}: the browser reported: " + " | ".join(m[:300] for m in errors[:4])


def _around(text: str, s: str, n: int = 60) -> str:
    i = text.find(s)
    return text[max(0, i - n): i + n].replace("\n", " ")


def assert_no_alert(driver):
    try:
        a = driver.switch_to.alert
        msg = a.text
        a.dismiss()
        raise AssertionError(f"{path_of(driver)}: a script ran and opened an alert: {msg!r}")
    except NoAlertPresentException:
        pass


def assert_no_overflow(driver):
    """Nothing wider than the screen: the page does not scroll sideways (scrollWidth <= innerWidth),
    and on the phone the layout is the device's 360 px (a phone widens its layout to fit wide content).
    Names the widest culprits."""
    limit = PHONE_WIDTH if getattr(driver, "linli_kind", "") == "phone" else 0
    m = driver.execute_script("""
        const w = window.innerWidth, sw = document.documentElement.scrollWidth, lim = arguments[0] || w;
        const out = [];
        if (sw > w || w > lim) for (const el of document.body.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (r.right > lim + 1 && r.width > 0) out.push([r.right, el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined ? '.' + el.className : '')]);
        }
        out.sort((a, b) => b[0] - a[0]);
        return {w, sw, out: out.slice(0, 6).map(x => x[1] + ' to ' + Math.round(x[0]) + 'px')};
    """, limit)
    where = path_of(driver)
    assert m["sw"] <= m["w"], f"{where}: the page is {m['sw']} px wide on a {m['w']} px screen; widest: {', '.join(m['out'])}"
    if limit:
        assert m["w"] <= limit, f"{where}: laid out {m['w']} px wide on a {limit} px phone; too wide: {', '.join(m['out'])}"


def active(driver):
    """The focused element, as (tag, name or text)."""
    el = driver.switch_to.active_element
    return el.tag_name, el.get_attribute("name") or el.text.strip()


def tab_to(driver, match, limit: int = 30):
    """Presses Tab until `match(element)` holds for the focused element; the elements passed."""
    passed = []
    for _ in range(limit):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        el = driver.switch_to.active_element
        passed.append(active(driver))
        if match(el):
            return el, passed
    raise AssertionError(f"Tab never reached the element after {limit} presses; focus went through {passed}")


def assert_focus_visible(driver):
    """The focused element shows it (an outline or box-shadow), as keyboard users need."""
    s = driver.execute_script("const s = getComputedStyle(document.activeElement);"
                              "return [s.outlineStyle, s.outlineWidth, s.boxShadow];")
    assert (s[0] != "none" and s[1] != "0px") or s[2] != "none", f"{active(driver)} has focus but shows none: {s}"


def shot(driver, name: str) -> Path:
    """Saves the whole page as screenshots/NAME-desktop.png or NAME-phone.png. LINLI_BROWSER_SHOTS=0 (CI, where
    nobody looks at them) saves none: a whole-page capture is a third of a page test's time."""
    path = SCREENSHOTS / f"{name}-{getattr(driver, 'linli_kind', 'browser')}.png"
    if os.environ.get("LINLI_BROWSER_SHOTS") == "0":
        return path
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    try:
        m = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
        size = m.get("cssContentSize") or m["contentSize"]
        width = PHONE_WIDTH if driver.linli_kind == "phone" else max(DESKTOP_WIDTH, size["width"])
        data = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(size["height"], 12000), "scale": 1}})["data"]
        path.write_bytes(base64.b64decode(data))
    except Exception:
        driver.save_screenshot(str(path))
    return path


def signin(driver, username: str, password: str, totp_secret: str | None = None, *, page: str = "/login",
           expect_console: bool = True):
    """Signs in through the page at /login as a person would (type, press the button). The server
    allows 20 sign-ins per client address in 5 minutes: past the first sign-in of an account, use
    use_session() to open the console with the account's API session instead."""
    global SIGNINS
    SIGNINS += 1
    driver.get(url(page))
    fill(driver, "username", username)
    fill(driver, "password", password)
    if totp_secret:
        fill(driver, "totp", totp(totp_secret))
    click_button(driver, "登录")
    if "登录尝试过于频繁" in text_of(driver):
        raise AssertionError(f"the suite used up the browsers' sign-in allowance (20 in 5 minutes; this was the "
                             f"{SIGNINS}th sign-in by the page): use use_session() instead of signin()")
    if expect_console:
        assert path_of(driver).startswith("/console"), (
            f"signing in as {username} ended at {path_of(driver)}: {text_of(driver)[:200]}")


SIGNINS = 0


def signin_as(driver, username: str):
    """Signs a demo (or added) account in through the page."""
    a = ACCOUNTS[username]
    signin(driver, a.username, a.password, a.totp_secret)


def use_session(driver, username: str):
    """Gives the browser the account's API session (the console's cookie carries the same session
    token), so that tests past sign-in do not spend the address's sign-in allowance."""
    driver.get(url("/login"))
    driver.add_cookie({"name": "linli_session", "value": token(username), "path": "/", "secure": True, "httpOnly": True})


def assert_shows_as_text(driver, payload: str):
    """Data holding markup (`<script>alert(1)</script>`, `<img src=x onerror=…>`) is shown as the
    characters typed, and made no element, ran no script, opened no alert."""
    assert_no_alert(driver)
    text = text_of(driver)
    assert payload in text, f"{path_of(driver)}: {payload!r} is not shown as text"
    made = driver.execute_script("""
        return [document.querySelectorAll('script').length,
                [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,
                document.querySelectorAll('img[src="x"]').length];""")
    assert made == [0, 0, 0], f"{path_of(driver)}: the data made elements (scripts, on* handlers, images): {made}"
    check_page(driver, allow_text=(payload,))


def write_file(name: str, content: str | bytes) -> Path:
    """A file to upload, in a folder of its own (removed with the data folder by the runner)."""
    folder = Path(tempfile.mkdtemp(prefix="linli-upload-"))
    _uploads.append(folder)
    path = folder / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


_uploads: list[Path] = []


def remove_uploads():
    while _uploads:
        shutil.rmtree(_uploads.pop(), ignore_errors=True)


def pages_as_roles(prefix: str, role_pages: dict[str, list[str]], after=None) -> list[str]:
    """Opens each page as each role that sees it, at 1280 px and at 360 px: it must stay where it was asked for, have a
    heading and, on the phone, nothing wider than the screen. A screenshot of each; `after(driver, kind)` runs once per
    driver when the roles are done. Returns the problems found, for the test to assert on."""
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in role_pages.items():
            use_session(d, role)
            for page in pages:
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                    if kind == "phone":
                        assert_no_overflow(d)
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                name = page.replace("/console/" + prefix, "").replace("/", "-").replace("?", "-").replace("=", "")
                # Short, but a query after a long id still tells two screenshots apart.
                name = name if len(name) <= 30 else name[:18] + "~" + name[-11:]
                shot(d, f"{prefix}-{kind}-{role}{name}")
        if after:
            after(d, kind)
    return problems
