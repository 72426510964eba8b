"""社工队伍 in the browser: the roster, a worker's page, the figures, the pay scale and the reserve list as the roles that
see them, on a desktop and at 360 px; a linked worker's own record; an appraisal with a score over 100 refused at its
field through the form, then one recorded; the portal's list of a community's workers read without signing in."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from harness import (api, click_button, desktop_driver, field_error, fill, path_of, phone_driver, shot, test, text_of, token, use_session, visit)


def first_worker(user: str = "street", query: str = "") -> dict:
    items = api("GET", "/api/v1/workers?per_page=50" + query, token(user))["items"]
    assert items, "the demo has no community workers"
    return items[0]


ROLE_PAGES = {
    "street": ["/console/workers", "/console/workers/figures", "/console/workers/reserves", "/console/workers/grades"],
    "district": ["/console/workers", "/console/workers?page=2", "/console/workers/figures", "/console/workers/grades", "/console/workers?expiring=true"],
    "worker": ["/console/workers/me"],
    "grid": ["/console/workers/me"],
}


@test
def workers_pages_as_each_role_on_desktop_and_phone():
    """Each page as each role that sees it, at 1280 px and at 360 px; a worker's page; the portal's list without signing in."""
    worker = "/console/workers/" + first_worker()["id"]
    problems = []
    for make in (desktop_driver, phone_driver):
        d = make()
        kind = "desktop" if make is desktop_driver else "phone"
        for role, pages in ROLE_PAGES.items():
            use_session(d, role)
            for page in pages + ([worker] if role in ("street", "district") else []):
                try:
                    visit(d, page)
                    assert path_of(d).split("?")[0] == page.split("?")[0], f"{role} {page} went to {path_of(d)}"
                    assert d.find_element(By.TAG_NAME, "h1").text, f"{role} {page} has no heading"
                except AssertionError as e:
                    problems.append(f"{kind}: {e}")
                shot(d, f"workers-{kind}-{role}" + page.replace("/console/workers", "").replace("/", "-").replace("?", "-")[:40])
        d.delete_all_cookies()
        try:
            visit(d, "/notices/workers?community=321271002001")
            assert "书记" in text_of(d), text_of(d)[:300]
            assert "****" not in text_of(d)
        except AssertionError as e:
            problems.append(f"{kind}: {e}")
        shot(d, f"workers-{kind}-portal")
    assert not problems, "\n".join(problems)


@test
def an_appraisal_refused_at_its_field_then_recorded():
    """The street officer opens a worker of its street without this year's appraisal, types a score over 100 (refused at
    the scores) and then valid scores; the page shows the result the mean gives."""
    import datetime
    year = datetime.date.today().year
    d = desktop_driver()
    use_session(d, "street")
    w = first_worker()
    visit(d, "/console/workers/" + w["id"])
    fill(d, "year", str(year))
    fill(d, "scores", "80, 120")
    click_button(d, "录入")
    assert "0到100" in field_error(d, "scores"), text_of(d)[:400]
    shot(d, "workers-appraisal-refused")
    fill(d, "year", str(year))
    fill(d, "scores", "91, 93, 95")
    click_button(d, "录入")
    assert "已保存" in text_of(d) and "优秀" in text_of(d), text_of(d)[:400]
    shot(d, "workers-appraisal-recorded")
    use_session(d, "worker")
    visit(d, "/console/workers/me")
    assert "我的档案" in text_of(d) and "录入年度考核" not in text_of(d), text_of(d)[:400]
