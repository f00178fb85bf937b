"""粤工惠地推工作站 — the headless core.

Everything here runs without QtWidgets: the CLI, the hub, the tests and the
UI all call the same functions, so each rule lives in one place.
"""

__version__ = "0.1.0"
APP_NAME = "YueGongHuiStation"
APP_AUTHOR = "GDFTU"
