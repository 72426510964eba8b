"""房屋、出租房屋和驻区单位 in the browser: the lists, a dwelling's page, a building's occupancy, a rental's page, the
units and the import page as the roles that see them, on a desktop and at 360 px; a rental whose tenant is not in the
registry refused at the tenants field through the form; a safety check recorded on a rental's page."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit)


def first(path: str, user: str = "grid") -> dict:
    items = api("GET", path, token(user))["items"]
    assert items, f"the demo has nothing at {path}"
    return items[0]


ROLE_PAGES = {
    "grid": ["/console/housing", "/console/housing/rentals", "/console/housing/rentals?state=overdue", "/console/housing/permits",
             "/console/housing/units", "/console/housing/import"],
    "street": ["/console/housing", "/console/housing/rentals?state=expired", "/console/housing/units?page=2"],
    "district": ["/console/housing?page=2", "/console/housing/rentals?state=group", "/console/housing/units"],
}


@test
def housing_pages_as_each_role_on_desktop_and_phone():
    """Each list as each role that sees it, at 1280 px and at 360 px; a dwelling's, a building's, a rental's and a unit's page."""
    dwelling = first("/api/v1/housing/dwellings?per_page=5")
    rental = first("/api/v1/housing/rentals?per_page=5")
    unit = first("/api/v1/housing/units?per_page=5", "street")
    details = ["/console/housing/" + dwelling["id"], "/console/housing/buildings/" + dwelling["building_id"],
               "/console/housing/rentals/" + rental["id"]]
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            extra = details if role == "grid" else ["/console/housing/units/" + unit["id"]] if role == "street" else []
            for page in pages + extra:
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"housing-{kind}-{role}" + page.replace("/console/housing", "").replace("/", "-").replace("?", "-")[:40])
        d.delete_all_cookies()
    assert not problems, "\n".join(problems)


@test
def a_tenant_not_in_the_registry_refused_at_the_field_then_a_check_recorded():
    """The grid worker opens a dwelling without a rental, registers a rental whose tenant's ID number is not in the
    registry (refused at the tenants field, 请先登记), then records a fire check on a rental of the grid."""
    d = desktop_driver()
    use_session(d, "grid")
    dwelling = first("/api/v1/housing/dwellings?use=own&per_page=5")
    visit(d, "/console/housing/rentals/new?dwelling=" + dwelling["id"])
    fill(d, "landlord_name", "王建华")
    fill(d, "landlord_phone", "13812345678")
    d.execute_script("document.getElementsByName('starts_on')[0].value='2026-01-01';document.getElementsByName('ends_on')[0].value='2026-12-31';")
    fill(d, "rent_band", "under_1000")
    fill(d, "tenants", "110101199003077777")
    click_button(d, "登记")
    assert "请先登记" in field_error(d, "tenants"), text_of(d)[:400]
    shot(d, "housing-rental-refused")
    rental = first("/api/v1/housing/rentals?per_page=5")
    visit(d, "/console/housing/rentals/" + rental["id"])
    fill(d, "kind", "fire")
    fill(d, "findings", "灭火器在有效期内")
    click_button(d, "登记检查")
    assert "灭火器在有效期内" in text_of(d), text_of(d)[:400]
    shot(d, "housing-check-recorded")
