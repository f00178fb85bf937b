"""Messages of the offline sync bundle and its receipt (station/sync/bundle.py, `station sync bundle|receipt`)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # help
    "cmd_sync_bundle": ("把待同步的记录导出为离线同步文件（放到 U 盘带去平台）",
                        "Export the pending records as an offline sync file (carry it to the platform on a USB stick)"),
    "opt_sync_bundle_out": ("保存到哪个文件夹（例如 U 盘）", "Folder to write it to (a USB stick, say)"),
    "cmd_sync_receipt": ("导入平台给回的回执文件（.receipt.json），把已收下的记录移出待同步",
                         "Import the receipt the platform gave back (.receipt.json): what it took leaves the queue"),
    "opt_sync_receipt_file": ("回执文件", "The receipt file"),
    # results
    "sync_bundle_written": ("离线同步文件已写入：{path}（{total} 条记录）。交平台导入后，把回执带回本机导入。",
                            ("Offline sync file written: {path} ({total} records). Once the platform has imported it, "
                            "bring its receipt back and import it here.")),
    "sync_bundle_part": ("  {kind}：{count} 条", "  {kind}: {count}"),
    "sync_bundle_pending_note": ("这些记录仍算待同步，直到导入回执。", "These records stay pending until the receipt is imported."),
    "sync_receipt_done": ("回执已导入：{done} 条记录已被平台收下。", "Receipt imported: the platform has {done} records."),
    "sync_receipt_again": ("这份回执已经导入过（{at}），没有改动任何记录。",
                           "This receipt was already imported ({at}); nothing was changed."),
    # refusals
    "sync_bundle_key_unreadable": ("无法读取本工作站的同步包签名密钥（数据密钥不符）：请重新注册到平台。",
                                   ("This station's bundle-signing key cannot be read (the data key does not match): "
                                   "enroll with the platform again.")),
    "sync_bundle_nothing": ("没有待同步的记录，无需导出。", "Nothing is pending: there is nothing to export."),
    "sync_bundle_too_many": ("待同步记录太多（{n} 条，一个文件最多 {max} 条）：请先联网同步一部分。",
                             "Too many pending records ({n}; one file holds at most {max}): sync part of them over the network first."),
    "sync_bundle_no_folder": ("找不到文件夹 {path}：U 盘插好了吗？", "Folder {path} not found: is the USB stick plugged in?"),
    "sync_bundle_write_failed": ("无法写入 {path}：{reason}。U 盘是否已满或只读？",
                                 "Could not write {path}: {reason}. Is the USB stick full or read-only?"),
    "sync_receipt_unreadable": ("无法读取回执文件 {path}：它不是平台给出的回执（.receipt.json），或已损坏。",
                                "Cannot read the receipt {path}: it is not a receipt from the platform (.receipt.json), or it is damaged."),
    "sync_receipt_bad_mac": ("回执校验不通过：文件被改动过，或不是本工作站所登记的平台给出的。没有改动任何记录。",
                             ("The receipt does not check: it was altered, or it does not come from the platform this "
                             "station is enrolled with. Nothing was changed.")),
    "sync_receipt_other_station": ("这份回执属于另一台工作站，不能在本机导入。没有改动任何记录。",
                                   "This receipt belongs to another station and cannot be imported here. Nothing was changed."),
    "sync_receipt_unknown_bundle": ("这份回执对应的离线同步文件不是本机导出的。没有改动任何记录。",
                                    "This receipt is for an offline sync file this station did not export. Nothing was changed."),
}
