"""Make the roster templates a union office fills in (会员名册模板).

Run from the repository root:  python resources/templates/make_templates.py

The Excel template's ID and mobile columns are formatted as text before
anyone types into them: that is what keeps Excel from turning
441900199001011234 into 4.41900199001011E+17 and losing the last digits.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

HERE = Path(__file__).resolve().parent
HEADERS = ("姓名", "身份证号码", "手机号码", "单位名称", "基层工会名称")
REQUIRED = {"姓名", "身份证号码"}
WIDTHS = (12, 24, 16, 36, 36)
TEXT_ROWS = 5000  # rows pre-formatted as text in the ID and mobile columns
INSTRUCTIONS = (
    "会员名册填写说明",
    "1. 每位会员一行；第一行是表头，请勿改动表头文字。",
    "2. 姓名、身份证号码为必填；手机号码、单位名称、基层工会名称可不填。",
    "3. 身份证号码请填 18 位二代身份证号码，最后一位可以是 X。",
    "4. 身份证号码、手机号码两列已设为“文本”格式，请直接录入，不要改成数字格式，",
    "   否则 Excel 会把号码变成 4.41900199001011E+17 这样的数字，后几位会丢失且无法恢复。",
    "5. 从其他表格复制号码时，请用“选择性粘贴 → 数值”，以免带入数字格式。",
    "6. 同一单位的会员可以合并“单位名称”单元格，导入时会自动填到每一行。",
    "7. 也可以另存为 CSV（UTF-8 或 GBK 均可）后导入。",
)


def make_csv(path: Path) -> None:
    # UTF-8 with BOM: Excel opens it with the Chinese headers intact.
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerow(HEADERS)


def make_xlsx(path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "会员名册"
    sheet.append(HEADERS)
    bold = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FCE4D6")
    optional_fill = PatternFill("solid", fgColor="E2EFDA")
    for col, (header, width) in enumerate(zip(HEADERS, WIDTHS), start=1):
        cell = sheet.cell(row=1, column=col)
        cell.font = bold
        cell.fill = required_fill if header in REQUIRED else optional_fill
        cell.alignment = Alignment(horizontal="center")
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = width
    for letter in ("B", "C"):
        sheet.column_dimensions[letter].number_format = "@"
        for row in range(2, TEXT_ROWS + 2):
            sheet[f"{letter}{row}"].number_format = "@"
    id_length = DataValidation(
        type="textLength",
        operator="equal",
        formula1="18",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="身份证号码",
        error="身份证号码应为 18 位，请核对。",
    )
    id_length.add(f"B2:B{TEXT_ROWS + 1}")
    sheet.add_data_validation(id_length)
    sheet.freeze_panes = "A2"
    notes = book.create_sheet("填写说明")
    for line in INSTRUCTIONS:
        notes.append([line])
    notes["A1"].font = Font(bold=True, size=14)
    notes.column_dimensions["A"].width = 100
    book.save(path)


def main() -> None:
    make_csv(HERE / "roster_template.csv")
    make_xlsx(HERE / "roster_template.xlsx")


if __name__ == "__main__":
    main()
