"""社区生活 in the browser: the console's pages as the roles that see them, on a desktop and at 360 px; a booking
made on a venue's week through the form and an overlapping one refused at its start time; the portal's community
page without signing in; the screen's panels in landscape and portrait."""
from __future__ import annotations

import datetime

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session,
                     visit)


def set_value(d, name: str, value: str):
    """Date and time inputs take typed text by locale; set the value as the browser would submit it."""
    d.execute_script("document.querySelector('[name=' + arguments[0] + ']').value = arguments[1]", name, value)


def a_venue() -> str:
    items = api("GET", "/api/v1/life/venues?division=321271002001", token("worker"))["items"]
    assert items, "the demo registered no venue in the worker's community"
    return items[0]["id"]


ROLE_PAGES = {
    "worker": ["/console/life", "/console/life/activities", "/console/life/awards", "/console/life/bookings"],
    "grid": ["/console/life"],
    "street": ["/console/life", "/console/life/activities?upcoming=true", "/console/life/awards"],
    "district": ["/console/life"],
}


@test
def life_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone); a venue's week;
    the portal's community page and a venue without signing in."""
    venue = "/console/life/venues/" + a_venue()
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + [venue]:
                try:
                    visit(d, page)
                    # A venue's page is its week; the others name the community, the venues or the awards.
                    expected = ("本周预约",) if page == venue else ("场地", "评选")
                    assert "社区" in d.find_element(By.TAG_NAME, "h1").text or any(w in text_of(d) for w in expected), f"{role} {page}"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"life-{kind}-{role}" + ("-venue" if page == venue else page.replace("/console/life", "").replace("/", "-").replace("?", "-")))
        d.delete_all_cookies()
        for page, name in [("/life?community=321271002001", "portal"), (venue.replace("/console", ""), "portal-venue"), ("/notices/awards", "portal-awards")]:
            try:
                visit(d, page)
                assert "场地" in text_of(d) or "评选" in text_of(d), page
            except AssertionError as e:
                problems.append(f"{kind}: {e}")
            shot(d, f"life-{kind}-{name}")
    assert not problems, "\n".join(problems)


@test
def life_booking_through_the_venue_form_and_an_overlap_refused():
    """The worker books a slot for a community activity a week ahead; the same slot again is refused at the start
    time with the slot it collides with; the week shows the booking."""
    venue = "/console/life/venues/" + a_venue()
    day = (datetime.date.today() + datetime.timedelta(days=9)).isoformat()
    d = desktop_driver()
    use_session(d, "worker")
    visit(d, venue)
    api_hours = api("GET", "/api/v1/life/venues/" + venue.rsplit("/", 1)[1], token("worker"))["hours"]
    assert api_hours, "the venue has no hours"
    weekday = datetime.date.fromisoformat(day).isoweekday()
    span = next((line.split(" ")[1] for line in api_hours.splitlines() if line.startswith(f"{weekday} ")), None)
    if span is None:
        day = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
        weekday = datetime.date.fromisoformat(day).isoweekday()
        span = next(line.split(" ")[1] for line in api_hours.splitlines() if line.startswith(f"{weekday} "))
    opens = span.split("-")[0]
    h, m = map(int, opens.split(":"))
    start = f"{h:02d}:{m:02d}"
    end = f"{h + 1:02d}:{m:02d}"
    # Clear what the demo booked there that day so the first booking is free.
    for b in api("GET", f"/api/v1/life/venues/{venue.rsplit('/', 1)[1]}/bookings?week={day}", token("worker")):
        if b["day"] == day and b["status"] == "booked":
            api("POST", f"/api/v1/life/bookings/{b['id']}/cancel", token("worker"))
    visit(d, venue)
    for _ in range(2):
        set_value(d, "day", day)
        set_value(d, "start", start)
        set_value(d, "end", end)
        fill(d, "purpose", "activity")
        click_button(d, "预约")
    assert "该时段已被预约" in field_error(d, "start"), text_of(d)[:400]
    shot(d, "life-booking-refused")
    visit(d, venue + "?week=" + day)
    assert f"{start}–{end}" in text_of(d) and "社区活动" in text_of(d), text_of(d)[:600]
    shot(d, "life-booking-made")


@test
def life_screen_in_landscape_and_portrait():
    """The screen's four panels in large type, no script, each naming the next in its refresh; a kiosk in portrait."""
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "landscape" if make is desktop_driver else "portrait"
        if make is desktop_driver:
            d.set_window_size(1920, 1080)
        for panel in range(4):
            d.get(__import__("harness").url(f"/screen/321271002001?panel={panel}"))
            refresh = d.find_element(By.CSS_SELECTOR, "meta[http-equiv=refresh]").get_attribute("content")
            assert f"panel={(panel + 1) % 4}" in refresh, refresh
            assert not d.find_elements(By.TAG_NAME, "script")
            size = d.execute_script("return parseFloat(getComputedStyle(document.querySelector('h1')).fontSize)")
            assert size >= 28, f"panel {panel}: the heading is {size}px"
            shot(d, f"life-screen-{kind}-{panel}")
