"""The station settings an organizer may change, read and written in one place.

Each is a whole number with a range and a default, kept in the ``settings``
table.  Reading never fails (a missing or damaged value gives the default,
an out-of-range one is clamped); changing one needs the ``settings``
permission and is audited in the same transaction.  The app, the CLI and
station.security.retention all go through here.
"""

from __future__ import annotations

from dataclasses import dataclass

from station.errors import StationError
from station.security import audit
from station.security.operators import OperatorSession
from station.store.database import Store
from station.store.models import Setting


@dataclass(frozen=True)
class IntSetting:
    key: str
    min: int
    max: int
    default: int
    error: str  # message key when a value outside [min, max] is given (params: setting, min, max, value)
    label: str  # message key of what the setting means, as `station settings list` explains it


IDLE_LOCK_MINUTES = IntSetting("security.idle_lock_minutes", 1, 60, 5, "cli_setting_range",
                               "cli_setting_security_idle_lock_minutes")
RETENTION_DAYS = IntSetting("retention.days", 1, 3650, 30, "retention_days_invalid", "cli_setting_retention_days")
ORGANIZER_SETTINGS = {s.key: s for s in (IDLE_LOCK_MINUTES, RETENTION_DAYS)}


def get_int(store: Store, setting: IntSetting) -> int:
    raw = store.get_setting(setting.key)
    try:
        value = int(raw) if raw is not None else setting.default
    except ValueError:
        return setting.default
    return min(max(value, setting.min), setting.max)


def check_range(setting: IntSetting, value: int) -> None:
    if not isinstance(value, int) or not setting.min <= value <= setting.max:
        raise StationError(setting.error, setting=setting.key, min=setting.min, max=setting.max, value=value)


def set_int(store: Store, operator: OperatorSession, setting: IntSetting, value: int) -> int:
    """Change a setting (organizers); returns the value it had.  StationError outside its range."""
    operator.require("settings")
    check_range(setting, value)
    old = get_int(store, setting)
    with store.session() as s:
        row = s.get(Setting, setting.key)
        if row is None:
            s.add(Setting(key=setting.key, value=str(value)))
        else:
            row.value = str(value)
        audit.append(store, "setting", operator=operator.name, target=setting.key,
                     details={"old": str(old), "new": str(value)}, cipher=operator.cipher, db=s)
        s.commit()
    return old
