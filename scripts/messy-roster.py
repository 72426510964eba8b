#!/usr/bin/env python3
"""A roster (花名册) as communities keep them, for trying the residents' import on a messy workbook.

    python3 scripts/messy-roster.py --grid 第一网格 --building 1幢 --rows 200 --out 花名册.xlsx

The workbook has what real rosters have: a merged title row and a note row above the header, header
names as people write them (名字, 身份证号码*（18位）, 手机号 …), full-width digits and stray spaces,
a hidden row (a deleted person) and a hidden column, an ID number Excel has turned into a number
(3.21282E+17: its last three digits lost), phones stored as numbers (an 11-digit mobile is exact, a
landline has lost its leading 0), a 户号 typed as 0012 on one row and as the number 12 on another,
birth dates as Excel dates, and a second sheet of notes. `linli import residents` reads it, takes the
header it finds, and reports the rows that cannot be right. Needs openpyxl.
"""
import argparse
import datetime
import random

import openpyxl
from openpyxl.styles import Alignment, Font

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
CHECK = "10X98765432"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def citizen_id(region, birth, sequence):
    """An 18-character ID number with its GB 11643 check character."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + CHECK[sum(int(d) * w for d, w in zip(body, WEIGHTS)) % 11]


def person(rng, i, region="321282"):
    birth = datetime.date(1940 + rng.randrange(60), 1 + rng.randrange(12), 1 + rng.randrange(28))
    number = citizen_id(region, birth, (i * 37 + 11) % 1000)
    if number.endswith("000"):  # what a lost tail looks like: avoid it in the good rows
        number = citizen_id(region, birth, (i * 37 + 12) % 1000)
    sex = "男" if int(number[16]) % 2 == 1 else "女"
    return rng.choice(SURNAMES) + rng.choice(GIVEN), number, sex, birth


def title_rows(ws, title, width):
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append(["填表说明：带*的列必填；身份证号、电话、户号请设为文本格式；已迁出人员请在人员状态中注明。"])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    ws.append([])


HEADER = ["序号", "名字", "身份证号码*（18位）", "性别", "出生日期", "手机号", "户号*", "房号", "与户主关系*", "楼栋*", "所属网格", "备注"]


def messy(path, grid, building, rows=40, seed=7, region="321282"):
    """Writes the messy roster to `path`; returns what its import should find, for tests and demos."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "居民花名册"
    title_rows(ws, f"{grid}居民花名册（{datetime.date(2026, 6, 1):%Y年%m月}）", len(HEADER))
    ws.append(HEADER)  # row 4
    expect = {"header_row": 4, "good": 0, "bad": {}, "hidden": []}
    household = 0
    members = 0
    n = 4  # the row last written (ws.max_row scans the sheet: slow on a large roster)
    for i in range(rows):
        n += 1
        name, number, sex, birth = person(rng, i, region)
        if members == 0:
            household += 1
            members = 1 + rng.randrange(3)
            relation = "户主"
        else:
            relation = rng.choice(["配偶", "子女", "父母"])
        members -= 1
        code = f"M{seed}-{household:04d}"
        phone = f"139{rng.randrange(10**8):08d}"
        row = [i + 1, name, number, sex, birth, phone, code, f"{household}室", relation, building, grid, ""]
        kind = i % 10
        if kind == 1:  # full-width digits and spaces where people type them
            row[1] = name[0] + "\u3000" + name[1:]
            row[2] = number.translate(FULL_WIDTH)
            row[5] = phone[:3] + " " + phone[3:7] + " " + phone[7:]
        elif kind == 2:  # a mobile number stored as a number: exact, taken
            row[5] = int(phone)
        elif kind == 4 and i > 0:  # an ID number Excel turned into a number: last digits lost
            row[2] = float(number[:15] + "000")
            expect["bad"][n] = "公民身份号码"
        elif kind == 6:  # a landline stored as a number: its leading 0 lost
            row[5] = int("0523" + f"{rng.randrange(10**7, 10**8)}"[1:])
            expect["bad"][n] = "联系电话"
        row[4] = birth if i % 3 else f"{birth:%Y年%-m月%-d日}"
        ws.append(row)
        if kind == 8:  # a person deleted by hiding the row
            ws.row_dimensions[n].hidden = True
            expect["hidden"].append(n)
        elif n not in expect["bad"]:
            expect["good"] += 1
    # A 户号 typed as text with its zeros on one household, and as a number on another household's row.
    name, number, sex, birth = person(rng, rows + 1, region)
    ws.append([rows + 1, "阿依古丽 · 买买提", number, sex, birth, "", "0012", "12室", "户主", building, grid, "少数民族姓名"])
    n += 1
    expect["good"] += 1
    name, number, sex, birth = person(rng, rows + 2, region)
    ws.append([rows + 2, name, number, sex, birth, "", 12, "13室", "户主", building, grid, ""])
    n += 1
    expect["bad"][n] = "户号"
    # A 户号 stored as the number 77 but shown as 0077 by its format: read as shown.
    name, number, sex, birth = person(rng, rows + 3, region)
    ws.append([rows + 3, name, number, sex, birth, "", 77, "14室", "户主", building, grid, ""])
    n += 1
    ws.cell(row=n, column=7).number_format = "0000"
    expect["good"] += 1
    ws.column_dimensions["D"].hidden = True  # 性别, hidden: read, with a note
    notes = wb.create_sheet("说明")
    notes.append(["本表由社区网格员填报，每月更新。"])
    notes.append(["列", "说明"])
    notes.append(["身份证号码", "18位"])
    wb.save(path)
    return expect


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--grid", required=True, help="the grid's name as registered (网格名称)")
    p.add_argument("--building", required=True, help="a building registered in that grid (楼栋)")
    p.add_argument("--rows", type=int, default=40)
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--out", default="花名册.xlsx")
    a = p.parse_args()
    expect = messy(a.out, a.grid, a.building, a.rows, a.seed)
    hidden = expect["hidden"]
    print(f"{a.out}: header on row {expect['header_row']}, {expect['good']} good rows, "
          f"{len(expect['bad'])} rows to be reported, {len(hidden)} hidden rows ({', '.join(map(str, hidden[:5]))}{' …' if len(hidden) > 5 else ''})")


if __name__ == "__main__":
    main()
