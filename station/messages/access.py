"""Messages of the CLI's log-in and personal-data commands (station/cli/login.py, station/cli/operators.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- log-in ------------------------------------------------------------------------
    "opt_operator_login": (
        "以此操作员身份登录（密码在提示时输入；脚本可设环境变量 STATION_SECRET）",
        "log in as this operator (the secret is asked for; scripts may set STATION_SECRET)",
    ),
    "cli_login_required": (
        (
            "此命令需要登录（它涉及身份证号、手机号或管理功能）：在命令前加 --operator 姓名，例如 station --operator 陈主席 {cmd}。"
            "密码会在提示时输入（不显示）；脚本中可改设环境变量 {env}。"
        ),
        (
            "This command needs a log-in (it touches ID numbers, mobiles or station management): add --operator NAME, e.g. "
            "station --operator 陈主席 {cmd}. The secret is asked for (not shown); scripts may set {env} instead."
        ),
    ),
    "cli_setup_first": (
        "本站尚未设置管理员，个人信息还无法加密保存。请先运行 station setup --name 姓名 创建第一个管理员。",
        "This station has no organizer yet, so personal data cannot be encrypted. Run station setup --name NAME first.",
    ),
    "cli_no_terminal": (
        "没有可输入密码的终端。请在终端中运行，或在脚本中设置环境变量 {env}。",
        "There is no terminal to ask for the secret on. Run this in a terminal, or set {env} in the script.",
    ),
    "cli_prompt_secret": ("{name} 的密码（PIN）：", "PIN or passphrase of {name}: "),
    "cli_prompt_new_secret": ("{name} 的新密码（PIN）：", "New PIN or passphrase for {name}: "),
    "cli_prompt_setup_secret": ("管理员 {name} 的密码（至少 {min} 个字符，可用一句话）：", "Passphrase for organizer {name} (at least {min} characters; a phrase works well): "),
    "cli_prompt_repeat_secret": ("再输入一次：", "Type it again: "),
    "cli_secret_mismatch": ("两次输入的密码不一致，未做任何更改。", "The two entries differ; nothing was changed."),
    "cli_needs_organizer_conversion": (
        "本站数据库中还有未加密的身份证号和手机号，须由管理员先登录一次完成加密。{name} 不是管理员：请管理员用 --operator 登录任一命令。",
        (
            "This database still holds unencrypted ID numbers and mobiles; an organizer must log in once to encrypt them. "
            "{name} is not an organizer: ask an organizer to run any command with --operator."
        ),
    ),
    "cli_converting_start": (
        "正在加密数据库中原有的身份证号和手机号（只需一次）…",
        "Encrypting the ID numbers and mobiles already in the database (once only)…",
    ),
    "cli_converting": ("已加密 {done} / {total}", "Encrypted {done} / {total}"),
    "cli_converted": (
        "加密完成：会员 {members} 条，登记 {registrations} 条。加密前的备份已删除。",
        "Encryption done: {members} members, {registrations} sign-ups. Backups taken before it were deleted.",
    ),
    "cli_demo_logins": (
        "演示账号（仅用于演示数据）：管理员 {organizer}，密码 {passphrase}；推广员 {promoter}，PIN {pin}。",
        "Demo accounts (demo data only): organizer {organizer}, passphrase {passphrase}; promoter {promoter}, PIN {pin}.",
    ),
    "cli_bad_count": ("“{value}”不是正整数。", "'{value}' is not a positive whole number."),
    # -- setup -------------------------------------------------------------------------
    "cmd_setup": ("首次设置：创建第一个管理员和恢复密钥", "first-run set-up: create the first organizer and the recovery key"),
    "opt_setup_name": ("第一个管理员的姓名", "the first organizer's name"),
    "cli_setup_done": ("已为 {station} 创建第一个管理员：{name}。", "First organizer of {station} created: {name}."),
    "cli_setup_recovery_head": ("恢复密钥（只显示这一次）：", "Recovery key (shown this once only):"),
    "cli_setup_recovery_warning": (
        (
            "请立即打印或抄写这串恢复密钥，与电脑分开妥善保管（如锁在办公室柜中）。所有管理员都忘记密码时，只有它能打开本站数据；"
            "它不会再次显示，丢失后无法补发。不要把它拍照、存在这台电脑上或发到聊天群里。"
        ),
        (
            "Print or write down this recovery key now and keep it away from the laptop (e.g. locked in an office drawer). "
            "If every organizer forgets their passphrase, only this key opens the station's data; it is never shown again and "
            "cannot be re-issued. Do not photograph it, save it on this laptop or post it in a chat."
        ),
    ),
    # -- operators ---------------------------------------------------------------------
    "cmd_operators": ("操作员：列出、添加、删除、改密码", "operators: list, add, remove, change secret"),
    "cmd_operators_list": ("列出操作员（管理员）", "list the operators (organizers)"),
    "cmd_operators_add": ("添加操作员（管理员）", "add an operator (organizers)"),
    "cmd_operators_remove": ("删除操作员（管理员）", "remove an operator (organizers)"),
    "cmd_operators_passwd": (
        "修改密码：自己的，或（管理员）他人的",
        "change a secret: your own, or (organizers) someone else's",
    ),
    "opt_operator_name": ("操作员姓名", "the operator's name"),
    "opt_role": (
        ("角色：promoter 推广员（6 位以上数字 PIN）、checker 核验员（只核验，6 位以上数字 PIN）"
         "或 organizer 管理员（10 个字符以上的密码）"),
        ("role: promoter (a PIN of 6+ digits), checker (door checks only, a PIN of 6+ digits)"
         " or organizer (a passphrase of 10+ characters)"),
    ),
    "opt_passwd_name": ("要改密码的操作员（默认：登录者本人）", "whose secret to change (default: your own)"),
    "cli_operator_locked": ("已锁定 {s} 秒", "locked for {s} s"),
    "cli_operator_never": ("从未登录", "never logged in"),
    "cli_operator_added": ("已添加操作员：{name}（{role}）。", "Operator added: {name} ({role})."),
    "cli_operator_removed": (
        "已删除操作员 {name}，其密码已失效。",
        "Operator {name} removed; their secret no longer opens the station.",
    ),
    "cli_operator_secret_changed": ("{name} 的密码已更改，锁定已解除。", "The secret of {name} was changed and any lockout cleared."),
    # -- recovery ----------------------------------------------------------------------
    "cmd_recover": (
        "用恢复密钥为管理员设置新密码（忘记密码时）",
        "give an organizer a new passphrase with the recovery key (forgotten passphrase)",
    ),
    "opt_recover_name": ("哪位管理员（默认：第一个管理员）", "which organizer (default: the first one)"),
    "cli_prompt_recovery_key": ("恢复密钥（48 位数字，可带横线）：", "Recovery key (48 digits, dashes optional): "),
    "cli_recover_default_name": ("管理员", "the organizer"),
    "cli_recovered": (
        "已用恢复密钥为 {name} 设置新密码。以后用新密码登录；恢复密钥仍然有效，请继续妥善保管。",
        "{name} has a new passphrase, set with the recovery key. Log in with it from now on; the recovery key stays valid, keep it safe.",
    ),
    # -- export ------------------------------------------------------------------------
    "cmd_export": (
        "导出登记或名册（管理员；须填用途，记入审计日志；默认脱敏）",
        "export sign-ups or the roster (organizers; a purpose is required and audited; masked by default)",
    ),
    "opt_export_purpose": ("导出用途，如“向镇总工会报送本月新会员名单”", "why, e.g. 'monthly new-member list for the town union'"),
    "opt_export_out": ("输出文件（.csv 或 .xlsx）", "output file (.csv or .xlsx)"),
    "opt_export_what": ("导出内容：signups 登记（默认）或 roster 在册名册", "what: signups (default) or roster"),
    "opt_export_date": ("只导出这一天的登记 YYYY-MM-DD", "only the sign-ups of this day, YYYY-MM-DD"),
    "opt_export_unmasked": (
        "导出完整的身份证号和手机号（须有查看完整信息的权限，记入审计日志）",
        "export full ID numbers and mobiles (needs the unmask right; audited)",
    ),
    "cli_export_date_signups_only": ("--date 只用于导出登记（--what signups）。", "--date applies to sign-ups only (--what signups)."),
    "cli_export_done_masked": (
        "已导出 {rows} 行（已脱敏）到 {path}，审计记录第 {seq} 条。",
        "Exported {rows} rows (masked) to {path}; audit entry {seq}.",
    ),
    "cli_export_done_unmasked": (
        "已导出 {rows} 行（含完整身份证号和手机号）到 {path}，审计记录第 {seq} 条。请按用途使用，用完即删除。",
        "Exported {rows} rows (with full ID numbers and mobiles) to {path}; audit entry {seq}. Use it for its purpose only and delete it afterwards.",
    ),
    "cli_col_signed_up_at": ("登记时间", "Signed up at"),
    "cli_col_name": ("姓名", "Name"),
    "cli_col_id_number": ("身份证号码", "ID number"),
    "cli_col_phone": ("手机号码", "Mobile"),
    "cli_col_enterprise": ("单位名称", "Enterprise"),
    "cli_col_union": ("基层工会", "Union"),
    "cli_col_outcome": ("结果", "Outcome"),
    "cli_col_source": ("来源", "Source"),
    "cli_col_event": ("活动", "Event"),
    "cli_col_station": ("工作站", "Station"),
    # -- unmask ------------------------------------------------------------------------
    "cmd_unmask": (
        "查看一条登记或会员的完整身份证号和手机号（管理员；须填原因，记入审计日志）",
        "show one sign-up's or member's full ID number and mobile (organizers; a reason is required and audited)",
    ),
    "opt_unmask_registration": ("登记记录的 UUID（见 registrations list --json）", "the sign-up's UUID (see registrations list --json)"),
    "opt_unmask_member": ("会员编号（见 roster find --json 的 member_id）", "the member's number (member_id in roster find --json)"),
    "cli_unmask_not_found": ("找不到记录 {what}。", "No record {what}."),
    "opt_unmask_reason": ("原因，如“职工来电核对手机号”", "why, e.g. 'worker called to check the mobile'"),
    "cli_unmask_recorded": ("已记入审计日志。", "Recorded in the audit log."),
    "opt_list_unmasked": (
        "显示完整身份证号和手机号（管理员；须带 --reason，记入审计日志）",
        "show full ID numbers and mobiles (organizers; needs --reason; audited)",
    ),
    "opt_list_reason": ("显示完整信息的原因", "why the full values are needed"),
    "cli_unmask_reason_required": (
        "显示完整的身份证号和手机号须说明原因：加上 --reason 原因（记入审计日志）。",
        "Showing full ID numbers and mobiles needs a reason: add --reason TEXT (it is recorded in the audit log).",
    ),
    # -- settings, purge, audit -------------------------------------------------------------
    "cmd_settings": ("安全设置：查看、修改（修改须管理员）", "security settings: list, change (organizers change)"),
    "cmd_settings_list": ("列出设置", "list the settings"),
    "cmd_settings_set": ("修改一项设置（管理员，记入审计日志）", "change a setting (organizers; audited)"),
    "opt_setting_key": ("设置项", "the setting"),
    "opt_setting_value": ("新值（正整数）", "the new value (a positive whole number)"),
    "cli_setting_security_idle_lock_minutes": ("无操作多少分钟后自动锁屏", "minutes without input before the station locks"),
    "cli_setting_retention_days": (
        "同步成功后，登记的身份证号和手机号保留多少天",
        "days a sign-up's ID number and mobile are kept after a successful sync",
    ),
    "cli_setting_range": (
        "{setting} 须在 {min} 到 {max} 之间，您给的是 {value}。",
        "{setting} must be between {min} and {max}; you gave {value}.",
    ),
    "cli_setting_changed": ("{key}：{old} → {value}（已记入审计日志）", "{key}: {old} → {value} (recorded in the audit log)"),
    "cmd_purge": (
        "立即清除已同步且超过保留期的身份证号和手机号（管理员）",
        "purge now the ID numbers and mobiles of synced sign-ups past the retention period (organizers)",
    ),
    "opt_purge_days": ("本次使用的保留天数（默认：设置中的 retention.days）", "retention days for this purge (default: the retention.days setting)"),
    "cli_purge_done": (
        "清除完成（保留期 {days} 天）：{registrations} 条登记、{members} 名非在册会员的身份证号和手机号已清除，删除旧备份 {backups} 个。",
        (
            "Purge done (kept {days} days): ID numbers and mobiles removed from {registrations} sign-ups and "
            "{members} off-roster members; {backups} old backups deleted."
        ),
    ),
    "cli_audit_warning": (
        "警告：审计日志校验未通过（{count} 处问题，首个在第 {seq} 条：{detail}）。请运行 station audit verify 查看，并报告上级工会。",
        ("Warning: the audit log failed its check ({count} problem(s); the first at entry {seq}: {detail}). "
        "Run station audit verify and report it."),
    ),
    "cli_audit_ok_keyed": (
        "审计日志完整：共 {count} 条，链条和受密钥保护的头部均校验通过。",
        "Audit log intact: {count} entries; the chain and the key-protected head verified.",
    ),
}
