"""物业管理 in the browser: the pages as the roles that see them, on a desktop and at 360 px (a compound's page and a
company's page included); a compound with a building of another community refused at its field."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, assert_no_overflow, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of,
                     token, use_session, visit)


def first_id(path: str, role: str = "worker") -> str:
    items = api("GET", path, token(role))
    items = items["items"] if isinstance(items, dict) else items
    assert items, f"the demo has nothing at {path}"
    return items[0]["id"]


ROLE_PAGES = {
    "grid": ["/console/property"],
    "worker": ["/console/property", "/console/property/new", "/console/property/companies", "/console/property/committees"],
    "street": ["/console/property", "/console/property?mode=none", "/console/property/companies/new"],
    "district": ["/console/property", "/console/property/companies"],
}


@test
def property_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone)."""
    extra = {"worker": ["/console/property/" + first_id("/api/v1/property/compounds"),
                        "/console/property/companies/" + first_id("/api/v1/property/companies")]}
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + extra.get(role, []):
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                    if kind == "phone":
                        assert_no_overflow(d)
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                name = page.replace("/console/property", "").replace("/", "-").replace("?", "-")[:30]
                shot(d, f"property-{kind}-{role}{name}")
    assert not problems, "\n".join(problems)
