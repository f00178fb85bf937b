"""Messages about encryption, operators, the audit trail and exports."""

MESSAGES: dict[str, tuple[str, str]] = {
    # -- encrypted fields -------------------------------------------------------------
    "field_corrupt": (
        "数据表 {table} 的 {column} 字段已损坏，无法读取。请从自动备份恢复（station restore）。",
        "The {column} field of {table} is damaged and cannot be read. Restore from an automatic backup (station restore).",
    ),
    "field_tampered": (
        "数据表 {table} 的 {column} 字段未通过完整性校验（被改动、被移动或不属于本站）。数据未显示。请从自动备份恢复并报告管理员。",
        "The {column} field of {table} failed its integrity check (changed, moved, or not from this station). Nothing was shown. Restore from a backup and tell your organizer.",
    ),
    "bad_data_key": (
        "数据密钥无效（应为 32 字节）。",
        "Invalid data key (it must be 32 bytes).",
    ),
    # -- key slots ---------------------------------------------------------------------
    "slot_wrong_secret": (
        "密码（PIN）不正确。",
        "Wrong PIN or passphrase.",
    ),
    "slot_corrupt": (
        "{owner} 的密钥槽已损坏，无法用它打开数据。请改用其他管理员账号或恢复密钥，然后重设此账号的密码。",
        "The key slot of {owner} is damaged and cannot open the data. Use another organizer account or the recovery key, then reset this account's secret.",
    ),
    "slot_tampered": (
        "{owner} 的密钥槽未通过完整性校验（可能被改动）。数据未打开。请改用其他管理员账号或恢复密钥，并报告管理员。",
        "The key slot of {owner} failed its integrity check (it may have been altered). The data was not opened. Use another organizer account or the recovery key, and report this.",
    ),
    "slot_other_station": (
        "此数据库的密钥属于另一台工作站（{found}），而本站是 {expected}：数据库可能是从别处复制来的。请使用本站自己的数据库，或从本站的备份恢复。",
        "This database's keys belong to another station ({found}) but this station is {expected}: the database was probably copied from elsewhere. Use this station's own database or restore one of its backups.",
    ),
    "slot_wrong_key": (
        "{owner} 的密钥槽打开的不是本站数据的密钥。数据未打开。请改用其他账号或恢复密钥。",
        "The key slot of {owner} opens a key that is not this station's data key. The data was not opened. Use another account or the recovery key.",
    ),
    "recovery_key_length": (
        "恢复密钥应为 48 位数字（8 组，每组 6 位），您输入了 {count} 位。",
        "A recovery key is 48 digits (8 groups of 6); you entered {count}.",
    ),
    "recovery_key_typo": (
        "恢复密钥第 {group} 组（{digits}）有误，请对照打印件检查这一组。",
        "Group {group} of the recovery key ({digits}) is mistyped; check that group against the printout.",
    ),
    "recovery_key_wrong": (
        "恢复密钥格式正确，但不是本站的恢复密钥。",
        "The recovery key is well-formed but is not this station's recovery key.",
    ),
    "recovery_owner_label": ("恢复密钥", "the recovery key"),
    "recovery_missing": (
        "本站没有恢复密钥槽，无法用恢复密钥打开数据。",
        "This station has no recovery key slot; a recovery key cannot open its data.",
    ),
    # -- operators ---------------------------------------------------------------------
    "role_promoter": ("推广员", "Promoter"),
    "role_checker": ("核验员", "Door checker"),
    "role_organizer": ("管理员", "Organizer"),
    "operator_name_required": ("请填写操作员姓名。", "Enter the operator's name."),
    "operator_name_too_long": ("操作员姓名最多 {max} 个字。", "An operator's name has at most {max} characters."),
    "operator_exists": ("已有名为“{name}”的操作员。", "An operator named '{name}' already exists."),
    "operator_not_found": ("找不到操作员“{name}”。", "No operator named '{name}'."),
    "operators_exist": (
        "本站已设置过管理员，不能再次初始化。请用管理员账号登录后添加操作员。",
        "This station already has an organizer; it cannot be set up again. Log in as an organizer to add operators.",
    ),
    "no_operators": (
        "本站尚未设置管理员。请先创建第一个管理员账号。",
        "This station has no organizer yet. Create the first organizer account first.",
    ),
    "bad_role": ("未知的角色：{role}（可选：推广员 promoter、管理员 organizer）。", "Unknown role: {role} (promoter or organizer)."),
    "pin_digits_only": ("推广员 PIN 只能由数字组成。", "A promoter's PIN is digits only."),
    "pin_too_short": ("PIN 至少 {min} 位数字。", "A PIN has at least {min} digits."),
    "passphrase_too_short": (
        "管理员密码至少 {min} 个字符（可用一句话，如“长安镇一号饭堂2026”）。",
        "An organizer's passphrase has at least {min} characters (a phrase works well).",
    ),
    "secret_too_simple": (
        "密码太简单（如 123456、111111），请换一个。",
        "That secret is too easy to guess (like 123456 or 111111); choose another.",
    ),
    "login_wrong_secret": (
        "密码（PIN）不正确。再错 {left} 次账号将被暂时锁定。",
        "Wrong PIN or passphrase. {left} more wrong tries lock the account for a while.",
    ),
    "login_locked": (
        "密码错误次数过多，账号已锁定，请 {wait} 后再试。",
        "Too many wrong tries: the account is locked. Try again in {wait}.",
    ),
    "wait_seconds": ("{n} 秒", "{n} s"),
    "wait_minutes": ("{n} 分钟", "{n} min"),
    "not_permitted": (
        "{role}无权执行此操作（{action}）。请由管理员操作。",
        "A {role} may not do this ({action}). Ask an organizer.",
    ),
    "last_organizer": (
        "不能删除或降级最后一个管理员，否则无人能管理本站。",
        "The last organizer cannot be removed; nobody could manage the station then.",
    ),
    "cannot_remove_self": ("不能删除自己正在使用的账号。", "You cannot remove the account you are logged in with."),
    # -- audit -------------------------------------------------------------------------
    "audit_personal_data": (
        "审计记录不得包含身份证号或手机号（{field}）。",
        "An audit entry must not contain an ID number or a mobile number ({field}).",
    ),
    "audit_ok": ("审计日志完整：共 {count} 条，链条校验通过。", "Audit log intact: {count} entries, chain verified."),
    "audit_failed": (
        "审计日志校验未通过：{count} 处问题，首个问题在第 {seq} 条：{detail}",
        "Audit log verification failed: {count} problem(s); the first is at entry {seq}: {detail}",
    ),
    "audit_edited": ("第 {seq} 条内容被改动。", "Entry {seq} was changed."),
    "audit_missing": ("第 {first}–{last} 条缺失（被删除）。", "Entries {first}–{last} are missing (deleted)."),
    "audit_inserted": ("第 {seq} 条是插入的（它之后的记录并不承接它）。", "Entry {seq} was inserted (the entry after it does not follow it)."),
    "audit_reordered": ("第 {seq} 条原本是第 {original} 条：记录顺序被调换。", "Entry {seq} was originally entry {original}: the entries were reordered."),
    "audit_broken_link": ("第 {seq} 条与前一条不衔接。", "Entry {seq} does not follow the entry before it."),
    "audit_truncated": (
        "日志末尾缺少记录：头部记录到第 {head} 条，但日志只到第 {last} 条（被截断）。",
        "Entries are missing at the end: the head says {head} but the log ends at {last} (truncated).",
    ),
    "audit_head_mismatch": (
        "第 {seq} 条与受保护的日志头部不符（日志被改写）。",
        "Entry {seq} does not match the protected log head (the log was rewritten).",
    ),
    "audit_anchor_bad": (
        "受密钥保护的日志头部校验失败（被改动）。",
        "The key-protected log head failed its check (it was altered).",
    ),
    "cmd_audit": ("审计日志：校验、查看", "audit trail: verify, list"),
    "cmd_audit_verify": ("校验审计日志的哈希链", "verify the audit log's hash chain"),
    "cmd_audit_list": ("列出最近的审计记录", "list the latest audit entries"),
    # -- exports -----------------------------------------------------------------------
    "export_purpose_required": (
        "导出前请填写用途（如“向镇总工会报送本月新会员名单”），用途会记入审计日志。",
        "State the purpose of the export first (e.g. 'monthly new-member list for the town union'); it is recorded in the audit log.",
    ),
    "export_format": ("导出文件须为 .csv 或 .xlsx：{path}", "An export must be .csv or .xlsx: {path}"),
    "export_unknown_column": ("导出列 {column} 不在数据中。", "Export column {column} is not in the data."),
    # -- unmasking, retention, converting old stores ------------------------------------
    "unmask_reason_required": (
        "请写明查看完整信息的理由（例如“核对会员身份”），理由会记入审计日志。",
        "State why you need to see the full record (e.g. 'checking the member's identity'); it is recorded in the audit log.",
    ),
    "retention_days_invalid": (
        "保留天数须为 {min} 到 {max} 之间的整数。",
        "The retention period must be a whole number of days from {min} to {max}.",
    ),
    "encryption_pending_organizer": (
        "本站数据来自旧版本，身份证号和手机号尚未加密。请管理员先登录一次完成加密，然后推广员才能使用。",
        ("This station's data comes from an older version and its ID numbers and mobiles are not encrypted yet. "
        "An organizer must log in once to encrypt them before promoters can work."),
    ),
}
