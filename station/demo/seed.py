"""The demo data set: a believable town roster and a booth already at work.

`station demo` (and `python3 dev.py demo`) put it in a separate data
directory so a real station's data never mixes with it.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from sqlalchemy import func, select

from station.demo.data import generate_roster_rows, write_roster_csv
from station.security import operators
from station.signup import booth
from station.signup import service as signup
from station.store.database import open_store
from station.store.models import Member, Registration

DEMO_STATION = "演示工作站"
# The demo's operators.  Printed by `station demo` and in the README: demo data only, never a real station.
DEMO_ORGANIZER = "演示管理员"
DEMO_PASSPHRASE = "粤工惠演示站2026"  # 10 characters: the organizer rule (operators.check_secret)
DEMO_PROMOTER = "陈小燕"
DEMO_PIN = "260817"


def prepare_demo(data_dir: Path, members: int = 3000, signups: int = 60) -> dict:
    """Fill `data_dir` with demo data unless it already holds some; return counts."""
    from station.roster.importer import import_roster

    store = open_store(data_dir, station_name=DEMO_STATION)
    try:
        with store.session() as s:
            have = s.scalar(select(func.count()).select_from(Member)) or 0
        if not operators.has_operators(store):
            operators.create_first_organizer(store, DEMO_ORGANIZER, DEMO_PASSPHRASE)
            organizer = operators.login(store, DEMO_ORGANIZER, DEMO_PASSPHRASE)
            operators.add_operator(store, organizer, DEMO_PROMOTER, operators.PROMOTER, DEMO_PIN)
        if have == 0:
            organizer = operators.login(store, DEMO_ORGANIZER, DEMO_PASSPHRASE)
            with tempfile.TemporaryDirectory() as tmp:
                roster = Path(tmp) / "长安镇会员名册.csv"
                write_roster_csv(roster, members, seed=7, dirty=True)
                import_roster(store, roster, report_dir=store.paths.reports, operator=organizer)
            _booth_at_work(store, organizer, signups)
        with store.session() as s:
            return {
                "members": s.scalar(select(func.count()).select_from(Member).where(Member.on_roster.is_(True))) or 0,
                "signups": s.scalar(select(func.count()).select_from(Registration)) or 0,
                "data_dir": str(store.paths.root),
                "organizer": DEMO_ORGANIZER,
                "passphrase": DEMO_PASSPHRASE,
                "promoter": DEMO_PROMOTER,
                "pin": DEMO_PIN,
            }
    finally:
        store.close()


def _booth_at_work(store, organizer: operators.OperatorSession, count: int) -> None:
    """A lunch-hour booth at the biggest enterprise: roster members, new applicants, one repeat."""
    # The roster file was written from the same seed: these are its first people.
    rows = list(generate_roster_rows(max(count * 4, 200), seed=7))
    biggest = max({r["enterprise"] for r in rows}, key=lambda e: sum(1 for r in rows if r["enterprise"] == e))
    union = next(r["union"] for r in rows if r["enterprise"] == biggest)
    booth.open_session(store, venue="一号饭堂", promoter="陈小燕", enterprise=biggest, union=union, event_name=f"{biggest} 午间入会登记")
    on_roster = [r for r in rows if r["enterprise"] == biggest][: count * 2 // 3]
    newcomers = list(generate_roster_rows(count - len(on_roster), seed=8))
    for row in on_roster + newcomers:
        try:
            signup.register(store, operator=organizer, name=row["name"], phone=row["phone"],
                            id_number=row["id_number"], consent=True)
        except signup.FormInvalid:
            continue  # the dirty demo sheet spoils a few rows on purpose
