"""Messages about single fields: ID numbers, mobiles, names, organisations."""

MESSAGES: dict[str, tuple[str, str]] = {
    "id_empty": ("身份证号码为空，请填写 18 位身份证号码。", "The ID number is empty; enter the 18-character ID number."),
    "id_excel_number": (
        "身份证号码被 Excel 存成了数字（如 4.41900199001011E+17），后几位已丢失、无法恢复。请把该列设为“文本”格式，重新录入这些号码后再导入。",
        "Excel stored the ID number as a number (like 4.41900199001011E+17): its last digits are lost and cannot be recovered. Format the column as Text, re-enter these numbers, then import again.",
    ),
    "id_old_15": (
        "这是 15 位的一代身份证号码，请改填 18 位的二代身份证号码。",
        "This is an old 15-digit ID number; enter the 18-character second-generation number.",
    ),
    "id_length": ("身份证号码应为 18 位，请核对是否多打或漏打。", "An ID number has 18 characters; check for missing or extra ones."),
    "id_chars": (
        "身份证号码只能是 17 位数字加最后一位数字或 X，请核对。",
        "An ID number is 17 digits followed by a digit or X; check it.",
    ),
    "id_birth_date": (
        "身份证号码中的出生日期（第 7–14 位）不是有效日期，请核对。",
        "The birth date inside the ID number (characters 7–14) is not a real date; check it.",
    ),
    "id_birth_future": (
        "身份证号码中的出生日期在今天之后，请核对。",
        "The birth date inside the ID number is in the future; check it.",
    ),
    "id_checksum": (
        "身份证号码校验位不符，号码有误，请逐位核对（常见为抄错一位或两位颠倒）。",
        "The ID number's check character does not match: a digit is wrong (often one mistyped or two swapped).",
    ),
    "id_region_unknown": (
        "身份证号码前 6 位地区码未收录（号码校验通过，仅作提示）。",
        "The ID number's 6-digit area code is not in the table (the number checks out; notice only).",
    ),
    "phone_empty": ("手机号码为空，请填写 11 位手机号码。", "The mobile number is empty; enter the 11-digit mobile number."),
    "phone_format": (
        "手机号码应为 11 位数字（可带 +86），请核对。",
        "A mobile number has 11 digits (+86 allowed); check it.",
    ),
    "phone_not_mobile": (
        "这不是有效的中国大陆手机号码（号段不存在），请核对。",
        "This is not a valid mainland China mobile number (no such prefix); check it.",
    ),
    "name_empty": ("姓名为空，请填写姓名。", "The name is empty; enter the name."),
    "name_too_long": ("姓名过长（超过 {max} 个字），请核对。", "The name is too long (over {max} characters); check it."),
    "name_bad_chars": (
        "姓名中不应含数字或符号“{chars}”，请核对是否填错了列。",
        "A name should not contain digits or the symbols '{chars}'; check the column is right.",
    ),
    "org_too_long": ("名称过长（超过 {max} 个字），请核对。", "The name is too long (over {max} characters); check it."),
    "under_age": (
        "未满 16 周岁（{age} 岁），不能登记入会。",
        "Under 16 ({age} years old): cannot sign up.",
    ),
}
