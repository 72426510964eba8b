"""物业管理 in the browser: the pages as the roles that see them, on a desktop and at 360 px (a compound's page and a
company's page included)."""
from __future__ import annotations

from harness import api, pages_as_roles, test, token


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
    """Each page as each role that sees it, at 1280 px and at 360 px (nothing wider than the phone), a compound's and a
    company's page included."""
    extra = ["/console/property/" + first_id("/api/v1/property/compounds"),
             "/console/property/companies/" + first_id("/api/v1/property/companies")]
    problems = pages_as_roles("property", {**ROLE_PAGES, "worker": ROLE_PAGES["worker"] + extra})
    assert not problems, "\n".join(problems)
