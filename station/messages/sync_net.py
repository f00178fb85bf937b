"""Messages of the station's sync client (`station sync …`, station/sync/client.py, sync_report.py, reset)."""

MESSAGES: dict[str, tuple[str, str]] = {
    # what went wrong on the wire
    "sync_net_captive": ("网络返回了登录页面而不是平台的回复：请先在浏览器里登录 Wi-Fi，再同步",
                         ("The network answered with a login page instead of the platform: log in to the Wi-Fi "
                         "in a browser first, then sync again")),
    "sync_net_not_platform": (("收到的回复不是平台发的（HTTP {status}，{content_type}）：可能是代理或网关的错误页。"
                              "记录都还在，稍后再同步"),
                              ("The reply did not come from the platform (HTTP {status}, {content_type}): probably a "
                              "proxy's or gateway's error page. Nothing was lost; sync again later")),
    "sync_net_truncated": ("平台的回复不完整（连接中途断开）：记录都还在，稍后再同步即可",
                           ("The platform's reply was cut off (the connection broke midway): nothing was lost; "
                           "sync again later")),
    "sync_net_mismatch": ("平台的回复与发出的数据对不上（{detail}）：这批记录保留在本机，下次再传",
                          ("The platform's reply does not match what was sent ({detail}): these records stay on the "
                          "station and go next time")),
    "sync_net_unreachable": ("连不上平台 {url}：请检查网络后再试（{detail}）",
                             "Cannot reach the platform at {url}: check the network and try again ({detail})"),
    "sync_net_timeout": ("平台 {url} 长时间没有回复：请检查网络后再试",
                         "The platform at {url} did not answer in time: check the network and try again"),
    "sync_net_tls": ("无法验证平台的安全证书（{detail}）：如果平台用自己的证书，注册时用 --ca-file 指定证书文件",
                     ("The platform's certificate could not be verified ({detail}): if the platform uses its own "
                     "certificate, give its file with --ca-file when enrolling")),
    "sync_net_server": ("平台暂时出错（HTTP {status}），重试后仍失败：记录都还在，稍后再同步",
                        ("The platform failed (HTTP {status}) and kept failing after retries: nothing was lost; "
                        "sync again later")),
    "sync_net_protocol": ("平台使用的同步协议版本不同（{version}）：请更新本程序或联系平台管理员",
                          ("The platform speaks another sync protocol version ({version}): update this program or "
                          "ask the platform's administrator")),
    "sync_hub_refused": ("平台拒绝了请求（{error}）：{reason}", "The platform refused the request ({error}): {reason}"),
    "sync_revoked": ("本工作站在平台的授权已被吊销：请向平台管理员要新的注册码，在“同步”页面点“重新注册…”（命令行：station sync enroll --replace）",
                     ("This station's access was revoked by the platform: ask its administrator for a new code and "
                     "enroll again with “Enroll again…” on the Sync screen (command line: station sync enroll --replace)")),
    "sync_unauthenticated": ("平台不认识本工作站的凭证：请向平台管理员要新的注册码，在“同步”页面点“重新注册…”（命令行：station sync enroll --replace）",
                             ("The platform does not know this station's credential: ask for a new code and enroll "
                             "again with “Enroll again…” on the Sync screen (command line: station sync enroll --replace)")),
    "sync_other_station": ("平台认出的工作站（{found}）不是本机（{here}）：凭证不属于这台工作站，请重新注册",
                           ("The platform took this credential for station {found}, not this one ({here}): enroll "
                           "this station again")),
    "sync_cancelled": ("同步已取消：已上传的记录不会丢失，下次同步会接着传",
                       "Sync cancelled: what was uploaded stays uploaded; the next sync carries on"),
    "sync_audit_refused": ("审计日志与平台上的不一致（{error}）：请管理员查看，可能有人放回了旧的数据库副本",
                           ("The audit log differs from the platform's copy ({error}): an organizer must look; an "
                           "older copy of the database may have been put back")),
    # enrollment
    "sync_enroll_code_invalid": ("注册码无效、已用过或已过期：请向平台管理员要一个新的",
                                 ("The enrollment code is unknown, already used or expired: ask the platform's "
                                 "administrator for a new one")),
    "sync_station_exists": ("平台上已有本工作站（同一编号）：请平台管理员先吊销旧的注册，再重新注册",
                            ("The platform already has this station (same UUID): ask its administrator to revoke the "
                            "old enrollment first")),
    "sync_already_enrolled": ("本工作站已注册到 {hub}：如要改用新的平台或注册码，加 --replace",
                              "This station is already enrolled at {hub}: add --replace to enroll with a new hub or code"),
    "sync_not_enrolled": ("本工作站还没有注册到平台：先在“同步”页面注册（命令行：station sync enroll --hub 地址 --code 注册码）",
                          ("This station is not enrolled at a platform yet: enroll it on the Sync screen first "
                          "(command line: station sync enroll --hub URL --code CODE)")),
    "sync_bad_url": ("平台地址无效：{url}（须以 https:// 开头；只有本机地址可用 http://）",
                     ("Not a usable platform address: {url} (it must start with https://; http:// only for this "
                     "machine's own addresses)")),
    "sync_ca_missing": ("找不到证书文件：{path}", "Certificate file not found: {path}"),
    "sync_ca_bad": ("证书文件无法使用：{path}（{detail}），应为 PEM 格式的 CA 证书",
                    "Cannot use the certificate file {path} ({detail}): it should be a CA certificate in PEM"),
    "sync_enrolled": ("已注册到平台 {hub}，平台上的名称：{name}", "Enrolled at {hub} as {name}"),
    # the report
    "sync_outcome_ok": ("同步完成", "Sync finished"),
    "sync_outcome_attention": ("同步完成，但有记录需要处理", "Sync finished, but some records need attention"),
    "sync_outcome_failed": ("同步没有完成：{error}", "Sync did not finish: {error}"),
    "sync_outcome_cancelled": ("同步已取消：已上传的记录不会丢失，下次同步会接着传",
                               "Sync cancelled: what was uploaded stays uploaded; the next sync carries on"),
    "sync_outcome_running": ("同步进行中", "Sync in progress"),
    "sync_report_pushed": ("已上传 {count} 条{kind}", "Uploaded {count} {kind}"),
    "sync_report_pushed_known": ("已上传 {count} 条{kind}（其中 {known} 条平台早已收到）",
                                 "Uploaded {count} {kind} ({known} of them the platform already had)"),
    "sync_report_voids": ("{count} 条中奖作废已告知平台", "{count} voided wins reported to the platform"),
    "sync_report_nothing_pushed": ("没有需要上传的记录", "Nothing was waiting to be uploaded"),
    "sync_report_pulled": ("回传 {count} 条{kind}", "Received {count} {kind}"),
    "sync_report_nothing_pulled": ("平台没有新的变化", "Nothing new from the platform"),
    "sync_report_refused": ("{count} 条记录被平台拒收，需要处理：", "{count} records were refused by the platform and need attention:"),
    "sync_report_refused_item": ("  {kind} {uuid}，原因：{reason}", "  {kind} {uuid}: {reason}"),
    "sync_report_refused_more": ("  ……另有 {count} 条，见 station sync refusals", "  … and {count} more: see station sync refusals"),
    "sync_report_same_person": ("{count} 人也在其他工作站报了名，平台已合并为同一会员（会员号 {subjects}）",
                                ("{count} people also signed up at other stations; the platform keeps one member each "
                                "(member ids {subjects})")),
    "sync_report_double_admission": (("“{event}”：电子会员卡（会员号 {subject}）在 {stations} 个工作站共入场 {admissions} 次，"
                                     "超过上限 {limit} 次：请核查"),
                                     ("“{event}”: the e-card of member {subject} was admitted {admissions} times at "
                                     "{stations} stations, over the limit of {limit}: please check")),
    # kinds, as counted in the report (Chinese reads "812 条报名")
    "sync_items_events": ("活动", "events"),
    "sync_items_registrations": ("报名", "sign-ups"),
    "sync_items_checkins": ("入场核验", "admission checks"),
    "sync_items_draws": ("抽奖", "draws"),
    "sync_items_winners": ("中奖记录", "wins"),
    "sync_items_posters": ("海报", "posters"),
    "sync_items_audit": ("审计日志", "audit log entries"),
    "sync_items_roster": ("名册变化", "roster changes"),
    "sync_items_verification": ("实名认证状态", "verification updates"),
    "sync_items_revocations": ("电子会员卡挂失/注销", "e-card revocations"),
    "sync_items_keys": ("电子会员卡公钥", "e-card keys"),
    "sync_items_flags": ("平台提醒", "platform flags"),
    # refusal reasons the organizer reads (the hub's own sentence is English and goes to the log)
    "sync_refusal_conflict": ("平台已有这条记录但内容不同", "the platform has this record with other content"),
    "sync_refusal_not_your_record": ("这条记录的编号属于另一台工作站", "its uuid belongs to another station's record"),
    "sync_refusal_invalid_request": ("内容不符合平台要求（{field}）", "the content breaks the platform's rules ({field})"),
    "sync_refusal_unknown_event": ("平台不认识它所属的活动", "the platform does not know its event"),
    "sync_refusal_unknown_draw": ("平台不认识它所属的抽奖", "the platform does not know its draw"),
    "sync_refusal_invalid_record": ("抽奖名单的校验值不符", "the draw's entry hash does not check"),
    "sync_refusal_audit_diverged": ("审计日志与平台上的不一致", "the audit log differs from the platform's copy"),
    "sync_refusal_audit_anchor_backwards": ("审计日志比平台上的旧（数据库可能被恢复过）",
                                            "the audit log is older than the platform's (the database may have been restored)"),
    "sync_refusal_audit_anchor_mismatch": ("审计日志与平台上的不一致", "the audit log differs from the platform's copy"),
    "sync_refusal_audit_invalid": ("审计日志校验不通过", "an audit log entry does not check"),
    "sync_refusal_audit_gap": ("审计日志不连续", "the audit log has a gap"),
    "sync_refusal_other": ("平台拒收（{error}）", "refused by the platform ({error})"),
    # progress (stderr of `sync run`)
    "sync_progress": ("正在同步{kind}：{done}/{total}", "Syncing {kind}: {done}/{total}"),
    # reset
    "sync_reset_pending": ("还有 {detail} 没有上传到平台，不能清空本机数据：请先同步，或导出离线同步包交给平台",
                           ("{detail} have not reached the platform yet, so the station's data cannot be wiped: sync "
                           "first, or export an offline bundle for the platform")),
    "sync_reset_name": ("工作站名称不对：要清空本机数据，请用 --confirm-station 输入本机名称“{name}”",
                        ("Wrong station name: to wipe this station's data, give its name \"{name}\" with "
                        "--confirm-station")),
    "sync_reset_done": ("已清空本机数据（{path}）：下次启动时会重新初始化", "The station's data was wiped ({path}); the next start sets it up afresh"),
    "sync_reset_failed": ("清空数据时出错：{detail}（请关闭正在使用这些数据的程序后再试）",
                          "Wiping the data failed: {detail} (close any program using it and try again)"),
    # the CLI
    "cmd_sync": ("与平台同步（上传报名、入场、抽奖、海报和审计日志，接收名册等）",
                 "Sync with the platform (upload sign-ups, admissions, draws, posters, the audit log; receive the roster…)"),
    "cmd_sync_enroll": ("用平台给的一次性注册码注册本工作站", "Enroll this station with the platform's one-time code"),
    "cmd_sync_run": ("现在同步", "Sync now"),
    "cmd_sync_status": ("同步状态：平台、上次同步、待上传数量", "Sync status: the platform, the last sync, what is waiting"),
    "cmd_sync_refusals": ("列出被平台拒收、待处理的记录", "List the records the platform refused, waiting to be fixed"),
    "cmd_reset": ("清空本机数据（数据库、备份、报表）；所有记录都已同步后才允许",
                  "Wipe the station's data (database, backups, reports); only once everything has been synced"),
    "opt_sync_hub": ("平台地址，如 https://hub.example.cn", "The platform's address, e.g. https://hub.example.cn"),
    "opt_sync_code": ("平台管理员给的一次性注册码", "The one-time code from the platform's administrator"),
    "opt_sync_ca_file": ("平台证书的 CA 文件（PEM），平台用自己的证书时需要", "A CA file (PEM) for a platform with its own certificate"),
    "opt_sync_replace": ("替换已有的注册（换平台或重新注册）", "Replace the existing enrollment (another hub, or enrolling again)"),
    "opt_reset_confirm": ("本机工作站名称，确认要清空", "This station's name, to confirm the wipe"),
    "sync_status_enrolled": ("平台：{hub}（平台上的名称：{name}）", "Platform: {hub} (name there: {name})"),
    "sync_status_last": ("上次同步：{when}，{outcome}", "Last sync: {when}, {outcome}"),
    "sync_status_last_success": ("上次成功同步：{when}", "Last successful sync: {when}"),
    "sync_status_never": ("还没有成功同步过", "No successful sync yet"),
    "sync_status_pending": ("待上传：{detail}", "Waiting to upload: {detail}"),
    "sync_status_nothing_pending": ("待上传：无", "Waiting to upload: nothing"),
    "sync_status_refusals": ("被拒收待处理：{count} 条（station sync refusals 查看）",
                             "Refused, waiting to be fixed: {count} (see station sync refusals)"),
    "sync_refusals_none": ("没有被拒收的记录", "No refused records"),
    "sync_refusals_row": ("{kind} {uuid}  {error}  {reason}  （首次 {first}，最近 {last}）",
                          "{kind} {uuid}  {error}  {reason}  (first {first}, last {last})"),
    "sync_count_item": ("{count} 条{kind}", "{count} {kind}"),
}
