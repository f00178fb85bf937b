"""Messages about booth sessions and sign-ups."""

MESSAGES: dict[str, tuple[str, str]] = {
    "field_name": ("姓名", "Name"),
    "field_phone": ("手机号码", "Mobile"),
    "field_id_number": ("身份证号码", "ID number"),
    "field_enterprise": ("单位名称", "Employer"),
    "field_union": ("基层工会名称", "Grassroots union"),
    "consent_required": (
        "未勾选同意个人信息处理告知，不能登记。请让本人阅读告知后勾选“同意”。",
        "Consent not given: nothing was saved. Let the worker read the notice and tick 'I agree'.",
    ),
    "no_session": (
        "还没有开启活动场次。请先开启场次（station event open，或在程序中点“开启场次”）。",
        "No booth session is open. Open one first (station event open, or 'Open session' in the app).",
    ),
    "session_not_found": ("找不到场次 {id}。", "Session {id} not found."),
    "session_venue_required": ("请填写活动地点（如：XX 厂饭堂）。", "Enter the venue (e.g. the factory canteen)."),
    "session_promoter_required": ("请填写推广员姓名。", "Enter the promoter's name."),
    "paper_consent_required": (
        "请先确认纸质登记表上每人均已签署个人信息处理同意书（命令行加 --consent-confirmed，或在程序中勾选确认）。未导入任何数据。",
        "First confirm that every person on the paper sheet signed the consent form (--consent-confirmed on the command line, or tick the box in the app). Nothing was imported.",
    ),
    "form_invalid": ("登记未保存：{detail}", "Not saved: {detail}"),
    "outcome_roster": ("在册会员", "On the roster"),
    "outcome_new": ("新会员申请", "New member application"),
    "outcome_already": ("已登记", "Already signed up"),
    "signup_waiting_detail": (
        "本次登记还未保存，保存后即显示结果。请勿重复提交。",
        "This sign-up is not saved yet; its outcome shows as soon as it is. Do not submit it again.",
    ),
    "already_detail": (
        "已于 {at} 在“{event}”（{venue}）由 {station} 登记",
        "Signed up on {at} at '{event}' ({venue}) by {station}",
    ),
}
