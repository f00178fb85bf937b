"""Messages of applying what the station pulls from the hub (station/sync/pull.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "sync_pull_bad_item": (
        "中心服务器发来的“{kind}”数据第 {seq} 项有误（字段 {field}），这一页没有应用，本站数据未改动。请稍后重新同步；仍出现请联系中心服务器管理员。",
        "Item {seq} of the '{kind}' data from the hub is malformed (field {field}); that page was not applied and nothing on this station changed. Sync again later; if it happens again, tell the hub's administrator.",
    ),
    "sync_pull_bad_reply": (
        "中心服务器对“{kind}”的答复格式不对（{field}），这一页没有应用，本站数据未改动。请稍后重新同步。",
        "The hub's reply for '{kind}' is malformed ({field}); that page was not applied and nothing on this station changed. Sync again later.",
    ),
    "sync_pull_kind_mismatch": (
        "向中心服务器请求的是“{asked}”，答复却是“{got}”，已拒收，本站数据未改动。",
        "Asked the hub for '{asked}' but the reply is for '{got}'; it was refused and nothing on this station changed.",
    ),
    "sync_pull_cursor_mismatch": (
        "中心服务器对“{kind}”的答复不是所请求的位置（请求 {asked}，答复 {got}），已拒收，本站数据未改动。",
        "The hub's reply for '{kind}' is not for the position asked (asked {asked}, got {got}); it was refused and nothing on this station changed.",
    ),
    "sync_pull_cursor_backwards": (
        "中心服务器对“{kind}”的答复让同步位置倒退（{cursor} → {next}），已拒收，本站数据未改动。中心服务器的数据库可能被恢复成了旧版本，请联系其管理员。",
        "The hub's reply for '{kind}' moves the sync position backwards ({cursor} → {next}); it was refused and nothing on this station changed. The hub's database may have been restored from an old copy: tell its administrator.",
    ),
    "sync_pull_unknown_kind": (
        "没有名为“{kind}”的同步数据类别。",
        "There is no kind of sync data called '{kind}'.",
    ),
    "sync_pull_bad_limit": (
        "每页条数须在 1 到 {max} 之间。",
        "The page size must be between 1 and {max}.",
    ),
    "sync_pull_login_required": (
        "拉取名册会写入个人信息，请先以管理员身份登录。",
        "Pulling the roster writes personal data: log in as an organizer first.",
    ),
    "sync_pull_needs_encryption": (
        "本站数据库中还有未加密的身份证号码（旧版本的数据），加密完成前不能拉取名册。请用管理员账号重新登录，等待加密完成后再同步。",
        "This station's database still holds unencrypted ID numbers (from an older version); the roster cannot be pulled until they are encrypted. Log in again as an organizer, let the encryption finish, then sync.",
    ),
    # The kinds of data, as the messages above name them.
    "sync_kind_roster": ("会员名册", "roster"),
    "sync_kind_verification": ("实名认证状态", "verification status"),
    "sync_kind_revocations": ("挂失注销名单", "revocation list"),
    "sync_kind_events": ("活动", "events"),
    "sync_kind_keys": ("电子会员卡密钥", "e-card keys"),
    "sync_kind_flags": ("同步提醒", "sync flags"),
    "sync_pull_cancelled": (
        "已停止拉取。已收到的部分已保存，下次同步从停下的地方继续。",
        "The pull was stopped. What had arrived is kept; the next sync carries on from where it stopped.",
    ),
}
