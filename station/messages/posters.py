"""Messages about QR posters: bad input, notes on a finished poster, the `station poster` command."""

MESSAGES: dict[str, tuple[str, str]] = {
    # bad input
    "poster_template_unknown": (
        "没有海报模板“{template}”。可选：{known}",
        "There is no poster template '{template}'. Choose one of: {known}",
    ),
    "poster_bad_placement": (
        "张贴位置“{value}”无效。可选：{known}（饭堂、宿舍、宣传栏、摊位）",
        "Placement '{value}' is not valid. Choose one of: {known}",
    ),
    "poster_bad_campaign": (
        "活动代码“{value}”无效：请用 1–20 个英文字母、数字、- 或 _，如 2026Q4。",
        "Campaign code '{value}' is not valid: use 1–20 letters, digits, - or _, e.g. 2026Q4.",
    ),
    "poster_bad_base_url": (
        "注册页地址“{value}”无效：应以 https:// 或 http:// 开头，且不带 ? 或 # 后的参数。",
        "Sign-up page address '{value}' is not valid: it must start with https:// or http:// and carry no ? or # part.",
    ),
    "poster_url_too_long": (
        "二维码内容太长（{length} 个字符，最多 {max}）。请缩短注册页地址或活动代码。",
        "The QR content is too long ({length} characters, at most {max}). Shorten the sign-up address or the campaign code.",
    ),
    "poster_bad_field": (
        "海报没有“{field}”这一项文字。可改的有：{known}",
        "Posters have no text called '{field}'. Editable texts: {known}",
    ),
    "poster_text_over_limit": (
        "“{field}”太长：每项最多 {max} 个字。",
        "'{field}' is too long: at most {max} characters per item.",
    ),
    "poster_title_empty": (
        "海报标题不能为空。",
        "The poster title cannot be empty.",
    ),
    "poster_item_count": (
        "“{field}”应有 {min}–{max} 条，现在是 {count} 条。",
        "'{field}' needs {min}–{max} items; it has {count}.",
    ),
    "poster_bad_colour": (
        "颜色“{which}”的值“{value}”无效：请用 #RRGGBB 形式，如 #C8161D。",
        "Colour '{which}' value '{value}' is not valid: use #RRGGBB, e.g. #C8161D.",
    ),
    "poster_bad_distance": (
        "扫码距离 {value} 米无效：应在 {min}–{max} 米之间。",
        "Reading distance {value} m is not valid: it must be between {min} and {max} m.",
    ),
    "poster_text_too_long": (
        "“{field}”的文字在“{template}”上放不下（已换行并缩到最小字号）：{text}。请缩短这段文字。",
        "The {field} does not fit on the {template} even wrapped and at the smallest size: {text}. Shorten it.",
    ),
    "poster_logo_not_image": (
        "标志文件 {path} 不是可用的图片（支持 PNG、JPG、BMP、GIF、SVG）。",
        "The logo file {path} is not an image the station can use (PNG, JPG, BMP, GIF or SVG).",
    ),
    "poster_logo_too_big": (
        "标志文件 {path} 太大（{size} MB，最多 {max} MB）。请另存为较小的 PNG 或 JPG。",
        "The logo file {path} is too big ({size} MB, at most {max} MB). Save it as a smaller PNG or JPG.",
    ),
    "poster_logo_too_many_pixels": (
        "标志图片 {path} 尺寸过大（{width}×{height} 像素）。请缩小到 2000 像素以内再用。",
        "The logo image {path} is too large ({width}×{height} pixels). Scale it below 2000 pixels first.",
    ),
    "poster_enterprise_unknown": (
        "名册中没有单位“{name}”。相近的单位：{hint}。请先导入名册，或检查单位名称。",
        "There is no enterprise '{name}' on the roster. Similar names: {hint}. Import the roster first or check the name.",
    ),
    "poster_union_unknown": (
        "名册中没有基层工会“{name}”。相近的工会：{hint}。",
        "There is no grassroots union '{name}' on the roster. Similar names: {hint}.",
    ),
    "poster_no_enterprises": (
        "没有符合条件的单位，未生成海报。请放宽筛选条件，或先导入名册。",
        "No enterprise matches; no poster was made. Loosen the filters or import the roster first.",
    ),
    "poster_filters_exclusive": (
        "“人数最多的前 N 家”和“认证率最低的前 N 家”只能选一个。",
        "Choose either the N largest or the N with the lowest verification rate, not both.",
    ),
    "poster_bad_count": (
        "数量 {value} 无效：请填正整数。",
        "Count {value} is not valid: give a positive whole number.",
    ),
    "poster_out_not_pdf": (
        "输出文件 {path} 应以 .pdf 结尾。",
        "The output file {path} must end in .pdf.",
    ),
    "poster_out_is_dir": (
        "{path} 是一个文件夹。请给出 .pdf 文件名，或用“每张一个文件”。",
        "{path} is a folder. Give a .pdf file name, or make one file each.",
    ),
    "poster_out_not_dir": (
        "{path} 是一个文件，不能作为存放海报的文件夹。",
        "{path} is a file; it cannot be the folder for the posters.",
    ),
    "poster_proof_failed": (
        "校样未通过：第 {page} 页的二维码读出“{found}”，应为“{expected}”。海报未保存，请报告技术支持。",
        "Proof failed: the QR code on page {page} reads '{found}' instead of '{expected}'. The poster was not saved; please report this.",
    ),
    # notes on a finished poster
    "poster_note_shrunk": (
        "“{field}”文字较长，已缩小到 {size} 毫米字高（原 {nominal} 毫米）。",
        "The {field} is long: set at {size} mm instead of {nominal} mm.",
    ),
    "poster_note_font_fallback": (
        "内置字体缺少“{chars}”（{field}），这些字用系统字体印出，字形可能略有不同。",
        "The bundled font lacks '{chars}' ({field}); they print in a system font and may look slightly different.",
    ),
    "poster_note_module_small": (
        "二维码每格只有 {module} 毫米，手机在 {distance} 米外需要至少 {needed} 毫米，约 {max_distance} 米内才扫得出。请用更大的模板、缩短注册页地址，或把海报贴在人能走近的地方。",
        "The QR modules print at {module} mm; phones {distance} m away need at least {needed} mm, so it scans only within about {max_distance} m. Use a bigger template, a shorter sign-up address, or hang it where people can come close.",
    ),
    "poster_note_logo_small": (
        "标志图片很小（不足 64 像素），印出来会模糊。",
        "The logo image is very small (under 64 pixels) and will print blurred.",
    ),
    # the command line
    "cmd_poster": ("二维码海报：生成、批量生成、登记簿", "QR posters: make one, make a batch, the register"),
    "cmd_poster_make": ("为一家单位生成一张海报（PDF，已校样）", "make one poster for one enterprise (PDF, proofed)"),
    "cmd_poster_batch": (
        "为一个工会或全部单位批量生成海报：一个多页 PDF，或每家一个文件",
        "make posters for a union's or every enterprise: one multi-page PDF or one file each",
    ),
    "cmd_poster_list": ("列出已生成的海报（海报登记簿）", "list the posters made (the poster register)"),
    "cmd_poster_config": ("查看或设置海报二维码的注册页地址", "show or set the sign-up page address the QR codes open"),
    "opt_poster_template": ("模板：a4、a3、x-banner（X 展架 80×180 厘米）、table-card（桌面台卡）",
                            "template: a4, a3, x-banner (80×180 cm), table-card"),
    "opt_poster_out_file": ("输出 PDF 文件", "output PDF file"),
    "opt_poster_out_batch": ("以 .pdf 结尾：所有海报放进一个多页 PDF；否则为文件夹，每家一个 PDF",
                             "ending .pdf: every poster in one multi-page PDF; otherwise a folder, one PDF each"),
    "opt_poster_campaign": ("活动代码（默认当月，如 202611）", "campaign code (default: the month, e.g. 202611)"),
    "opt_poster_placement": ("张贴位置：canteen 饭堂、dorm 宿舍、board 宣传栏、booth 摊位（默认 canteen）",
                             "where it hangs: canteen, dorm, board, booth (default canteen)"),
    "opt_poster_date": ("张贴日期 YYYY-MM-DD（默认今天）", "date it hangs, YYYY-MM-DD (default today)"),
    "opt_poster_title": ("标题", "title"),
    "opt_poster_subtitle": ("副标题", "subtitle"),
    "opt_poster_benefit": ("一条会员福利（可重复，1–6 条）", "one member benefit (repeat, 1–6)"),
    "opt_poster_step": ("一个注册步骤（可重复，正好 3 条）", "one sign-up step (repeat, exactly 3)"),
    "opt_poster_contact": ("联系方式一行", "contact line"),
    "opt_poster_logo": ("工会标志图片（PNG、JPG、SVG）", "union logo image (PNG, JPG, SVG)"),
    "opt_poster_colour": ("主色 #RRGGBB（默认中国红 #C8161D）", "main colour #RRGGBB (default #C8161D)"),
    "opt_poster_accent": ("辅色 #RRGGBB（默认金色 #F5B82E）", "accent colour #RRGGBB (default #F5B82E)"),
    "opt_poster_base_url": ("本次使用的注册页地址（默认用 poster config 设置的地址）",
                            "sign-up page address for this run (default: the one set with poster config)"),
    "opt_poster_distance": ("扫码距离（米），用于检查二维码是否够大（默认按模板）",
                            "reading distance in metres, to check the QR is big enough (default: the template's)"),
    "opt_poster_top": ("只取在册人数最多的前 N 家", "only the N enterprises with the most imported members"),
    "opt_poster_lowest_rate": ("只取认证率最低的前 N 家", "only the N enterprises with the lowest verification rate"),
    "opt_poster_min_members": ("只取在册人数至少 M 人的单位", "only enterprises with at least M imported members"),
    "opt_poster_union": ("基层工会名称（不填：本站名册上的全部单位）", "grassroots union name (omit: every enterprise on this station)"),
    "opt_poster_campaign_filter": ("只列出此活动的海报", "only posters of this campaign"),
    "opt_poster_set_base_url": ("设置注册页地址", "set the sign-up page address"),
    "poster_made": (
        "已生成 {count} 张海报（{template}，活动 {campaign}），二维码均已校样通过，用时 {elapsed:.1f} 秒：{path}",
        "Made {count} poster(s) ({template}, campaign {campaign}), every QR code proofed, in {elapsed:.1f} s: {path}",
    ),
    "poster_made_one": (
        "{enterprise}：编号 {code}，二维码每格 {module} 毫米，内容 {url}",
        "{enterprise}: id {code}, QR module {module} mm, content {url}",
    ),
    "poster_note_line": ("注意：{note}", "Note: {note}"),
    "poster_progress": ("{phase}：第 {done}/{total} 张", "{phase}: {done}/{total}"),
    "poster_phase_render": ("排版", "rendering"),
    "poster_phase_proof": ("校样", "proofing"),
    "poster_phase_save": ("保存", "saving"),
    "poster_base_url_is": ("海报二维码的注册页地址：{url}", "The posters' QR codes open: {url}"),
    "poster_base_url_set": ("已设置海报二维码的注册页地址：{url}", "The posters' QR codes now open: {url}"),
    "poster_none_yet": ("还没有生成过海报。", "No posters have been made yet."),
}
