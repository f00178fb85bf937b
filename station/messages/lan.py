"""Messages of joining an event host on the local network (station/sync/lan.py)."""

MESSAGES: dict[str, tuple[str, str]] = {
    "lan_ticket_bad": (
        "这不是有效的活动主机加入码：{reason}。请重新扫描活动主机屏幕上的二维码，或照屏幕上的文字原样输入（地址:端口 加入码 指纹）。",
        ("This is not a valid event host join ticket: {reason}. Scan the QR code on the event host's screen again, "
         "or type the text shown under it exactly (address:port code fingerprint)."),
    ),
    "lan_reason_not_ticket": ("内容不是加入码的格式", "the text is not in a ticket's format"),
    "lan_reason_version": (
        "加入码来自不同版本的工作站程序，请把两台电脑的程序更新到同一版本",
        "the ticket comes from another version of the station program; update both laptops to the same version",
    ),
    "lan_reason_port": ("端口号不对（应为 1–65535 的数字）", "the port is wrong (it must be a number from 1 to 65535)"),
    "lan_reason_address": (
        "主机地址不对（应为 IPv4 地址，如 192.168.1.5，或主机名）",
        "the host address is wrong (it must be an IPv4 address such as 192.168.1.5, or a host name)",
    ),
    "lan_reason_code": (
        "一次性加入码不对（应为 16 位字母数字，如 K7QM-3XRT-PW9A-HC2N，不含 0、O、1、I）",
        "the one-time code is wrong (16 letters and digits such as K7QM-3XRT-PW9A-HC2N, without 0, O, 1 or I)",
    ),
    "lan_reason_fingerprint": (
        "证书指纹不对或不完整（二维码中为 64 位十六进制，文字中为最后 16 位字母数字）",
        "the certificate fingerprint is wrong or cut short (64 hex digits in the QR code, the last 16 symbols in the text)",
    ),
    "lan_pin_mismatch": (
        ("在 {host}:{port} 应答的电脑不是活动主机屏幕上显示的那台：它的证书指纹对不上，可能有人在冒充活动主机。"
         "本站没有向它发送任何数据。请重新扫描活动主机屏幕上的二维码；若仍不符，请告知活动负责人。"),
        ("The laptop answering at {host}:{port} is not the event host shown on the host's screen: its certificate "
         "fingerprint does not match, so someone may be impersonating it. Nothing was sent to it. Scan the QR code on "
         "the host's screen again; if it still does not match, tell the event's organizer."),
    ),
    "lan_unreachable": (
        ("连不上活动主机 {host}:{port}（{detail}）。请确认本机与活动主机连在同一个 Wi-Fi 上、活动主机的窗口开着，"
         "并且活动主机的防火墙允许该端口的连接。"),
        ("Cannot reach the event host at {host}:{port} ({detail}). Check that this laptop is on the same Wi-Fi as "
         "the host, that the host's window is open, and that the host's firewall lets connections in on that port."),
    ),
}
