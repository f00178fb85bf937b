"""Messages about the store, files and the program itself."""

MESSAGES: dict[str, tuple[str, str]] = {
    "internal_error": (
        "出现内部错误，操作未完成，数据未改动。详细信息已写入日志：{log}",
        "An internal error stopped the operation; no data was changed. Details are in the log: {log}",
    ),
    "file_not_found": (
        "找不到文件：{path}。请检查路径是否正确。",
        "File not found: {path}. Check the path.",
    ),
    "file_unreadable": (
        "无法读取文件 {path}：{reason}",
        "Cannot read the file {path}: {reason}",
    ),
    "file_unwritable": (
        "无法写入 {path}：{reason}。请选择其他位置或检查权限。",
        "Cannot write {path}: {reason}. Choose another location or check permissions.",
    ),
    "data_dir_unwritable": (
        "数据目录 {path} 无法写入：{reason}。请用 --data-dir 指定可写的目录。",
        "The data directory {path} is not writable: {reason}. Use --data-dir to choose a writable one.",
    ),
    "db_corrupt": (
        "本地数据库已损坏（完整性检查未通过：{detail}）。请从自动备份恢复：station restore（或在程序中选择“从备份恢复”）。",
        "The local database is damaged (integrity check failed: {detail}). Restore it from an automatic backup: station restore (or choose 'Restore from backup' in the app).",
    ),
    "db_not_database": (
        "{path} 不是工作站数据库，或已严重损坏。请从自动备份恢复：station restore。",
        "{path} is not a station database or is badly damaged. Restore from an automatic backup: station restore.",
    ),
    "db_other_station": (
        ("{path} 是另一台工作站（{found}…）的数据库，而本数据目录属于工作站 {here}…。"
        "请把它放回原来的工作站，或用 --data-dir 在一个新的空目录中打开它。"),
        ("{path} belongs to another station ({found}…), but this data folder belongs to station {here}…. "
        "Put it back on its own station, or open it in a new, empty folder with --data-dir."),
    ),
    "db_newer_schema": (
        "此数据库由更新版本的工作站创建（结构版本 {found}），本程序只认识到 {known}。请升级工作站程序。",
        "This database was made by a newer station (schema {found}); this program knows up to {known}. Upgrade the station program.",
    ),
    "db_locked": (
        "数据库正被另一个程序占用，请关闭其他工作站窗口后重试。",
        "The database is in use by another program. Close other station windows and try again.",
    ),
    "wait_roster_import": ("正在导入名册，请稍候…", "A roster import is running; please wait…"),
    "wait_store_busy": ("数据库正忙，请稍候…", "The store is busy; please wait…"),
    "db_busy_timeout_roster": (
        "正在导入名册，数据库已被占用超过 {seconds} 秒，本次操作未完成。请等名册导入结束后再试一次。",
        ("A roster import has kept the store busy for over {seconds} s; this was not done. "
         "Try again once the import has finished."),
    ),
    "db_busy_timeout": (
        "数据库被另一个程序占用超过 {seconds} 秒，本次操作未完成。请等它完成（或关闭其他工作站窗口）后再试一次。",
        ("Another program has kept the store busy for over {seconds} s; this was not done. "
         "Wait for it to finish (or close other station windows) and try again."),
    ),
    "no_backups": (
        "没有可用的自动备份（{path}）。",
        "There are no automatic backups to restore from ({path}).",
    ),
    "backup_not_found": (
        "找不到备份 {name}。可用备份：{available}",
        "Backup {name} not found. Available: {available}",
    ),
    "backup_bad": (
        "备份 {name} 也已损坏，请选择更早的备份。",
        "Backup {name} is damaged too; choose an earlier one.",
    ),
    "restored_from": (
        "已从备份 {name} 恢复。损坏的数据库已保留为 {kept}。",
        "Restored from backup {name}. The damaged database was kept as {kept}.",
    ),
    "bad_argument": (
        "参数错误：{detail}",
        "Bad argument: {detail}",
    ),
    "cancelled": (
        "已取消，数据未改动。",
        "Cancelled; no data was changed.",
    ),
    "station_created": (
        "已创建工作站“{name}”（{uuid}），数据目录：{path}",
        "Created station '{name}' ({uuid}); data directory: {path}",
    ),
    "station_exists": (
        "工作站“{name}”（{uuid}）已就绪，数据目录：{path}",
        "Station '{name}' ({uuid}) is ready; data directory: {path}",
    ),
}
