"""Messages about reading tables and importing rosters (会员名册导入)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- reading files ---------------------------------------------------------------
    "table_unsupported_type": (
        "不支持的文件类型“{suffix}”（{path}）。请导入 Excel（.xlsx、.xls）或 CSV 文件；其他格式请先在 Excel 中“另存为” .xlsx。支持的类型：{supported}",
        "Unsupported file type '{suffix}' ({path}). Import an Excel (.xlsx, .xls) or CSV file; save other formats as .xlsx in Excel first. Supported: {supported}",
    ),
    "table_empty": (
        "文件 {path} 是空的，没有任何内容。",
        "The file {path} is empty.",
    ),
    "table_encoding": (
        "无法识别文件 {path} 的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。请用 Excel 打开后“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx，再导入。",
        "Cannot tell the text encoding of {path} (neither UTF-8 nor GBK/GB18030). Open it in Excel and save it as 'CSV UTF-8 (comma delimited)' or .xlsx, then import again.",
    ),
    "table_encoding_at": (
        "文件 {path} 第 {row} 行有无法识别的字符：这一行的文字编码与文件其余部分不同（常见于从别的文件粘贴来的行），或文件已损坏。请用 Excel 打开，改正第 {row} 行的乱码（重新输入这些字），然后“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx，再导入。",
        "Row {row} of {path} has unreadable characters: that row's text encoding differs from the rest of the file (common for rows pasted from another file), or the file is damaged. Open it in Excel, retype the garbled text in row {row}, then save as 'CSV UTF-8 (comma delimited)' or .xlsx and import again.",
    ),
    "table_csv_error": (
        "文件 {path} 第 {row} 行无法按 CSV 读取（{reason}）。请用 Excel 打开检查这一行，另存为 .xlsx 后再导入。",
        "Row {row} of {path} cannot be read as CSV ({reason}). Check that row in Excel, save as .xlsx, then import again.",
    ),
    "table_bad_excel": (
        "{path} 不是有效的 Excel 文件，或文件已损坏（{reason}）。请用 Excel 打开，确认内容后“另存为” .xlsx 再导入。",
        "{path} is not a valid Excel file or is damaged ({reason}). Open it in Excel, check it, save it as .xlsx and import again.",
    ),
    "table_password": (
        "{path} 设置了打开密码，无法读取。请在 Excel 中取消密码后保存，再导入。",
        "{path} is protected by a password and cannot be read. Remove the password in Excel, save, and import again.",
    ),
    "table_html_as_excel": (
        "{path} 其实是网页（HTML）文件，只是扩展名为 .xls（常见于从网站系统导出的表格）。请用 Excel 打开后“另存为” .xlsx，再导入。",
        "{path} is really a web page (HTML) with an .xls name (common for tables exported from web systems). Open it in Excel, save it as .xlsx, then import again.",
    ),
    "table_not_excel": (
        "{path} 不是 Excel 文件：文件内容既不是 Excel 工作簿，也不是文本表格（可能是别的文件改成了这个扩展名，或文件没有下载、复制完整）。请用 Excel 打开它，确认是名册后“另存为” .xlsx 或 CSV，再导入。",
        "{path} is not an Excel file: its content is neither an Excel workbook nor a text table (another kind of file renamed, or a file not completely downloaded or copied). Open it in Excel, check it is the roster, save it as .xlsx or CSV, then import again.",
    ),
    "table_zip_not_excel": (
        "{path} 不是 Excel 文件：它是一个压缩包（zip）或其他文档（如 Word），里面没有 Excel 工作簿。如果是压缩包，请先解压，再导入其中的 Excel 或 CSV 文件；否则请用 Excel 打开名册，“另存为” .xlsx 或 CSV 后再导入。",
        "{path} is not an Excel file: it is a zip archive or another kind of document (such as Word) with no Excel workbook inside. If it is an archive, unpack it and import the Excel or CSV file inside; otherwise open the roster in Excel, save it as .xlsx or CSV, then import again.",
    ),
    "table_binary": (
        "{path} 不是文本格式的 CSV 文件：文件里有二进制内容（常见于把 Excel 或其他文件的扩展名改成了 .csv，或文件已损坏）。请用 Excel 打开它，“另存为”“CSV UTF-8（逗号分隔）”或 .xlsx，再导入。",
        "{path} is not a text CSV file: it holds binary data (often an Excel or other file renamed to .csv, or a damaged file). Open it in Excel, save it as 'CSV UTF-8 (comma delimited)' or .xlsx, then import again.",
    ),
    "table_too_big": (
        "{path} 解压后约有 {size}（文件本身 {file_size}），超过了能安全读取的上限 {limit}。请把名册拆成几个较小的文件分别导入，或在 Excel 中删除多余的行、列和工作表后另存为新文件（也可另存为 CSV）再导入。",
        "{path} unpacks to about {size} (the file itself is {file_size}), over the {limit} that can be read safely. Split the roster into smaller files and import them one by one, or delete the extra rows, columns and sheets in Excel and save it as a new file (or as CSV), then import again.",
    ),
    "table_too_big_ratio": (
        "{path} 只有 {file_size}，解压后却有约 {size}（{ratio} 倍；正常的 Excel 表格不超过约 {limit} 倍），里面多半是大量重复或无用的内容，已停止读取，没有导入任何数据。请用 Excel 打开，删除名册下方和右侧多余的行和列（选中后“删除”，不是“清除内容”），另存为新文件再导入；名册确实很大时请另存为 CSV。",
        "{path} is only {file_size} but unpacks to about {size} ({ratio} times; real Excel sheets stay under about {limit} times), so it is mostly repeated or useless content: reading stopped and nothing was imported. Open it in Excel, delete the extra rows and columns below and right of the roster (select them and Delete, not Clear Contents), save it as a new file and import again; save a really big roster as CSV.",
    ),
    "table_too_many_rows": (
        "{path} 有超过 {limit} 行数据（读到第 {row} 行时停止），超过了一个名册文件的上限，没有导入任何数据。请把名册拆成几个文件（每个不超过 {limit} 行）分别导入；如果名册其实没有这么多人，请在 Excel 中删除下方多余的行后再导入。",
        "{path} has more than {limit} rows of data (reading stopped at row {row}), over the limit for one roster file, and nothing was imported. Split the roster into several files of at most {limit} rows and import them one by one; if the roster has fewer people than that, delete the extra rows at the bottom in Excel and import again.",
    ),
    "table_too_wide": (
        "{path} 第 {row} 行有 {cells} 个填了内容的单元格，超过上限 {limit} 列，没有导入任何数据。名册通常只有几列：请在 Excel 中删除多余的列（或检查是否把整张表粘贴进了一行），另存后再导入。",
        "Row {row} of {path} has {cells} filled cells, over the limit of {limit} columns, and nothing was imported. A roster has only a few columns: delete the extra columns in Excel (or check whether a whole table was pasted into one row), save, and import again.",
    ),
    "table_no_sheets": (
        "工作簿 {path} 中没有可读取的（未隐藏的）工作表。",
        "The workbook {path} has no readable (visible) worksheet.",
    ),
    "table_no_such_sheet": (
        "工作簿 {path} 中没有名为“{sheet}”的工作表。现有工作表：{sheets}",
        "The workbook {path} has no sheet named '{sheet}'. Its sheets: {sheets}",
    ),
    # -- columns -----------------------------------------------------------------------
    "roster_field_name": ("姓名", "Name"),
    "roster_field_id_number": ("身份证号码", "ID number"),
    "roster_field_phone": ("手机号码", "Mobile"),
    "roster_field_enterprise": ("单位名称", "Employer"),
    "roster_field_union": ("基层工会名称", "Grassroots union"),
    "roster_unmapped": (
        ("文件 {file} 中找不到必填的列：{missing}。文件第 {row} 行的表头是：{headers}。请指明哪一列是{missing}"
        "（在程序中选择对应的列；命令行用 --map，例如 --map \"{example}\"），或把表头改成标准名称（姓名、身份证号码）后再导入。"),
        ("The file {file} has no column for the required field(s): {missing}. Its headers (row {row}) are: {headers}. "
        "Say which column holds {missing} (choose it in the app; on the command line use --map, e.g. --map \"{example}\"), "
        "or rename the headers to the standard names (姓名, 身份证号码) and import again."),
    ),
    "roster_unmapped_headerless": (
        ("文件 {file} 没有表头行，也无法从内容认出{missing}在哪一列（共 {headers} 列）。请指明哪一列是{missing}"
        "（在程序中选择对应的列；命令行用 --map，例如 --map \"{example}\"），或在第一行加上表头（姓名、身份证号码）后再导入。"),
        ("The file {file} has no header row, and which column holds {missing} cannot be told from its contents (columns {headers}). "
        "Say which column holds {missing} (choose it in the app; on the command line use --map, e.g. --map \"{example}\"), "
        "or add a header row (姓名, 身份证号码) and import again."),
    ),
    "roster_no_rows": (
        "文件 {file} 在表头（第 {row} 行）之后没有数据行。",
        "The file {file} has no data rows after its header (row {row}).",
    ),
    "map_syntax": (
        "列对应写法有误：“{item}”。应写成“表头=字段”，多项用逗号分隔，例如：{example}",
        "Bad column mapping: '{item}'. Write 'header=field', separated by commas, e.g. {example}",
    ),
    "map_unknown_column": (
        "列对应中的列“{column}”在文件表头中找不到。文件的表头是：{headers}。也可以写列号（从 1 开始）或列字母（A、B…）。",
        "The column '{column}' in the mapping is not among the file's headers: {headers}. You may also give a column number (from 1) or letter (A, B, ...).",
    ),
    "map_column_range": (
        "列对应中的列号 {column} 超出范围：文件只有 {count} 列。",
        "Column {column} in the mapping is out of range: the file has {count} columns.",
    ),
    "map_unknown_field": (
        "列对应中的字段“{field}”无法识别。可用的字段：{fields}",
        "Unknown field '{field}' in the mapping. Fields: {fields}",
    ),
    "map_field_twice": (
        "列对应把“{field}”指定了两次，请只保留一个。",
        "The mapping names '{field}' twice; keep only one.",
    ),
    "map_column_twice": (
        "列对应把同一列“{column}”指定给了两个字段，请核对。",
        "The mapping assigns the same column '{column}' to two fields; check it.",
    ),
    # -- rows (the report) -----------------------------------------------------------
    "roster_duplicate_id": (
        "身份证号码与第 {first} 行重复，只导入了第 {first} 行。请删除重复的行，或核对是否抄错了号码。",
        "The ID number repeats row {first}; only row {first} was imported. Delete the repeated row or check the number for a typo.",
    ),
    "roster_phone_dropped": (
        "{reason}该会员已导入，但没有保存手机号码；更正后重新导入即可补上。",
        "{reason} The member was imported without a mobile number; correct it and import again to add it.",
    ),
    "roster_org_dropped": (
        "名称过长（超过 {max} 个字），没有保存，请核对是否填错了列。",
        "The name is too long (over {max} characters) and was not saved; check the column is right.",
    ),
    "roster_other_sheets": (
        "工作簿中的其他工作表（{sheets}）看起来也是名册，但本次只导入了工作表“{sheet}”。请把其他工作表分别另存为文件后再逐个导入。",
        "Other sheets of the workbook ({sheets}) also look like rosters, but only sheet '{sheet}' was imported. Save each of them as its own file and import them one by one.",
    ),
    "roster_report_row": ("行号", "Row"),
    "roster_report_column": ("列", "Column"),
    "roster_report_value": ("值", "Value"),
    "roster_report_reason": ("原因", "Reason"),
    "roster_report_level": ("级别", "Level"),
    "roster_level_reject": ("拒绝", "Rejected"),
    "roster_level_warn": ("警告", "Warning"),
    "roster_report_rows": ("行数", "Rows"),
    "roster_report_omitted": (
        "以上只逐条列出了前 {limit} 条问题；另有 {rows} 行（{lines} 条问题）没有逐条列出，按原因统计如下。改正上面列出的行后重新导入，报告会列出其余的行。",
        "Only the first {limit} problems are listed above; {rows} more rows ({lines} problems) are not listed one by one, and are counted by reason below. Fix the rows listed above and import again: the next report lists the rest.",
    ),
    "roster_reason_count": ("{reason} {rows} 行", "{reason} ({rows})"),
    "roster_reason_others": ("其他原因 {rows} 行", "other reasons ({rows})"),
    "roster_reason_other_group": ("其他原因", "Other reasons"),
    "roster_all_rejected": (
        "文件 {file} 的 {rows} 行数据一行也没有导入：每一行都被拒绝了，数据未改动。主要原因：{reasons}。这通常说明列对应错了（例如把别的列当成了身份证号码或姓名），或选错了文件。请检查列对应（在程序中重新选择对应的列；命令行用 --map）并核对文件内容，改正后再导入。",
        "None of the {rows} data rows of {file} could be imported: every row was rejected, and nothing was changed. Main reasons (rows): {reasons}. This usually means the columns are mapped wrongly (another column taken for the ID number or the name) or the wrong file was chosen. Check the column mapping (choose the columns again in the app; on the command line use --map) and the file's content, then import again.",
    ),
    "roster_report_filename": ("{stem}-导入问题-{stamp}.csv", "{stem}-import-problems-{stamp}.csv"),
    "roster_summary": (
        "名册导入完成（{file}）：读取 {rows} 行，新增 {inserted} 人，更新 {updated} 人，{unchanged} 人无变化，拒绝 {rejected} 行，重复 {duplicates} 行，警告 {warnings} 行，用时 {seconds} 秒。",
        "Roster imported ({file}): {rows} rows read, {inserted} members added, {updated} updated, {unchanged} unchanged, {rejected} rows rejected, {duplicates} duplicates, {warnings} warnings, in {seconds} s.",
    ),
    "roster_report_at": (
        "被拒绝和有警告的行已列在：{path}（可用 Excel 打开，按行号回到原文件修改）。",
        "Rejected and warned rows are listed in {path} (opens in Excel; fix them in the original file by row number).",
    ),
    "roster_disk_full": (
        "磁盘空间不足，名册没有导入，数据未改动。请清理磁盘（导入大名册约需文件大小 3 倍的空间）后重试。",
        "The disk is full: the roster was not imported and no data was changed. Free some space (a large roster needs about 3 times the file size) and try again.",
    ),
    "import_needs_encryption": (
        "本站数据库中还有未加密的身份证号码和手机号码（旧版本的数据），加密完成前不能导入。请用管理员账号重新登录，等待加密完成后再导入。",
        "This station's database still holds unencrypted ID numbers and mobiles (from an older version); nothing can be imported until they are encrypted. Log in again as an organizer, let the encryption finish, then import.",
    ),
}
