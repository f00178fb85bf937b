"""The CLI's organizer reports: `station report day --date D --out FILE.xlsx|FILE.pdf`, `station report enterprises`.

``register`` adds the commands with their handlers.  Nothing printed holds personal data.
"""

from __future__ import annotations

import json
from pathlib import Path

from station.cli.support import CommandTree, iso_date, json_flag, open_station, positive_int
from station.i18n import t

_positive = positive_int("draw_bad_count")


def register(tree: CommandTree) -> None:
    """The `report` command and its subcommands."""
    rsub = tree.group("report", "cmd_report", "report_command")
    day = tree.add("day", "cmd_report_day", cmd_report_day, parent=rsub)
    day.add_argument("--date", type=iso_date, help=t("opt_report_date"))
    day.add_argument("--out", type=Path, required=True, help=t("opt_report_out"))
    json_flag(day)
    ents = tree.add("enterprises", "cmd_report_enterprises", cmd_report_enterprises, parent=rsub)
    ents.add_argument("--top", type=_positive, default=20, help=t("opt_report_top"))
    ents.add_argument("--all", action="store_true", help=t("opt_report_all"))
    json_flag(ents)


def _rate(rate: float | None) -> str:
    return t("report_unknown") if rate is None else f"{rate:.1%}"


def cmd_report_day(args) -> int:
    from station.reports.day import collect, write_xlsx
    from station.store.clock import local_today

    day = args.date or local_today()
    suffix = Path(args.out).suffix.lower()
    if suffix not in (".xlsx", ".pdf"):  # refuse before any work
        from station.errors import StationError

        raise StationError("report_format", path=args.out)
    rep = collect(open_station(args), day)
    if suffix == ".pdf":
        from station.reports.day_pdf import write_pdf

        path = write_pdf(rep, args.out)
    else:
        path = write_xlsx(rep, args.out)
    if args.json:
        print(json.dumps({"date": day.isoformat(), "path": str(path), "signups": rep.signups,
                          "roster": rep.roster, "new": rep.new, "admitted": rep.admitted,
                          "winners": len(rep.winners)}, ensure_ascii=False, indent=2))
    else:
        print(t("report_day_written", date=day.isoformat(), path=path, signups=rep.signups))
    return 0


def _signed(n: int) -> str:
    return f"{n:+d}"


def _week_text(change) -> str:
    """One enterprise's change since last week, in words; empty when there is nothing to compare."""
    if change is None:
        return ""
    verified = t("report_unknown") if change.verified is None else _signed(change.verified)
    rate = t("report_unknown") if change.rate is None else f"{change.rate * 100:+.1f}"
    return t("report_week_line", signed_up=_signed(change.signed_up), verified=verified, rate=rate)


def _week_json(change) -> dict | None:
    if change is None:
        return None
    return {"since": change.since.isoformat(), "signed_up": change.signed_up, "verified": change.verified,
            "verification_rate": change.rate}


def cmd_report_enterprises(args) -> int:
    from station.reports.planner import overview, plan
    from station.store.clock import local_today

    # overview() also keeps today's snapshot, as the 今日 screen does: next week's comparison needs it.
    ov = overview(open_station(args), local_today())
    rows = ov.table[: args.top] if args.all else plan(ov.table, args.top)
    if args.json:
        print(json.dumps([{**r.as_json(), "week_change": _week_json(ov.change(r.enterprise_id))} for r in rows],
                         ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print(t("report_plan_empty"))
        return 0
    if not args.all:
        print(t("report_plan_head"))
    for i, r in enumerate(rows, 1):
        print(t("report_plan_line", rank=i, enterprise=r.enterprise, reachable=r.reachable, imported=r.imported,
                signed_up=r.signed_up, verified=r.verified, rate=_rate(r.verification_rate))
              + _week_text(ov.change(r.enterprise_id)))
    if ov.compared_with is not None:
        print(t("report_week_since", since=ov.compared_with.isoformat()))
    else:
        print(t("report_week_none", first=(ov.first_snapshot or ov.day).isoformat()))
    return 0
