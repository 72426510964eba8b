"""A community's own roster in the browser: a messy workbook (a title above the header, a hidden row and column, an
ID number Excel stored as a number, a notes sheet) uploaded on the import page at 360 px, the preview showing the sheet
read, the header row taken and the rows refused, then confirmed; a workbook of two grids' sheets offering a select of
them."""
from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from selenium.webdriver.common.by import By

from harness import (api, assert_no_overflow, click_button, fill, path_of, phone_driver, shot, test, text_of, token, use_session,
                     visit, wait_for, write_file)

ROOT = Path(__file__).resolve().parents[2]


def messy_module():
    spec = importlib.util.spec_from_file_location("messy_roster", ROOT / "scripts" / "messy-roster.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def a_building() -> tuple[str, str]:
    """The worker's first building and the name of its grid."""
    items = api("GET", "/api/v1/buildings?per_page=1", token("worker"))["items"]
    assert items, "the demo has no building in the worker's community"
    grid = api("GET", "/api/v1/divisions/" + items[0]["grid_code"], token("worker"))
    return grid["name"], items[0]["name"]


def upload(d, path: Path, sheet: str | None = None):
    d.find_element(By.NAME, "file").send_keys(str(path))
    if sheet is not None:
        fill(d, "sheet", sheet)
    click_button(d, "上传并检查")


@test
def rosters_a_messy_workbook_previewed_and_confirmed_on_a_phone():
    """Upload the messy roster at 360 px: the preview names the sheet, the header on row 4, the hidden rows skipped and
    the ID numbers stored as numbers refused at their rows; confirming writes the good rows."""
    grid, building = a_building()
    folder = Path(tempfile.mkdtemp(prefix="linli-roster-"))
    expect = messy_module().messy(str(folder / "花名册.xlsx"), grid, building, rows=30, seed=11, region="321284")
    path = write_file("花名册.xlsx", (folder / "花名册.xlsx").read_bytes())
    d = phone_driver()
    use_session(d, "worker")
    visit(d, "/console/import")
    upload(d, path)
    wait_for(d, lambda x: "读取情况" in text_of(x) or "无法导入" in text_of(x), 60, "the check did not finish")
    text = text_of(d)
    assert "居民花名册" in text and "第4行" in text, text[:800]
    assert "隐藏行" in text and "后三位已丢失" in text, text[:1500]
    shot(d, "rosters-phone-preview")
    assert_no_overflow(d)
    assert f"确认导入合格的 {expect['good']} 人" in text, text[:800]
    click_button(d, f"确认导入合格的 {expect['good']} 人")
    wait_for(d, lambda x: "已导入" in text_of(x), 60, "the import did not finish")
    assert f"已导入 {expect['good']} 人" in text_of(d), text_of(d)[:500]
    shot(d, "rosters-phone-done")


@test
def rosters_several_sheets_offer_a_choice():
    """A workbook whose two sheets both have the header: refused with both names and a select; choosing one reads it."""
    import openpyxl
    grid, building = a_building()
    messy = messy_module()
    wb = openpyxl.Workbook()
    for s, title in enumerate(["一组", "二组"]):
        ws = wb.active if s == 0 else wb.create_sheet()
        ws.title = title
        ws.append(["姓名", "身份证号", "户号", "与户主关系", "楼栋", "网格"])
        name, number, _, _ = messy.person(messy.random.Random(500 + s), 500 + s, "321285")
        ws.append([name, number, f"SEL-{s}", "户主", building, grid])
    folder = Path(tempfile.mkdtemp(prefix="linli-roster-"))
    wb.save(folder / "两组.xlsx")
    path = write_file("两组.xlsx", (folder / "两组.xlsx").read_bytes())
    d = phone_driver()
    use_session(d, "worker")
    visit(d, "/console/import")
    upload(d, path)
    text = text_of(d)
    assert "请选择工作表" in text and "一组" in text and "二组" in text, text[:600]
    assert d.find_element(By.NAME, "sheet").tag_name == "select"
    shot(d, "rosters-phone-choose")
    upload(d, path, sheet="二组")
    wait_for(d, lambda x: "读取情况" in text_of(x), 60, "the check did not finish")
    assert "确认导入合格的 1 人" in text_of(d), text_of(d)[:600]
    assert path_of(d).startswith("/console/import/")
