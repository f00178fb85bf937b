"""The CLI's roster commands: `station roster import|stats|find|template`."""

from __future__ import annotations

from pathlib import Path

from station.cli.login import add_unmask_options, audit_list_unmask, check_unmasked, session_for
from station.cli.support import CommandTree, end_progress, json_flag, open_station, print_json, progress_printer
from station.errors import StationError
from station.i18n import t


def register(tree: CommandTree) -> None:
    rsub = tree.group("roster", "cmd_roster", "roster_command")
    imp = tree.add("import", "cmd_roster_import", cmd_roster_import, parent=rsub)
    imp.add_argument("file", type=Path, help=t("opt_file"))
    imp.add_argument("--map", dest="mapping", help=t("opt_map"))
    imp.add_argument("--report-dir", type=Path, help=t("opt_report_dir"))
    json_flag(imp)
    json_flag(tree.add("stats", "cmd_roster_stats", cmd_roster_stats, parent=rsub))
    find = tree.add("find", "cmd_roster_find", cmd_roster_find, parent=rsub)
    find.add_argument("query", help=t("opt_query"))
    find.add_argument("--limit", type=int, default=50, help=t("opt_limit"))
    add_unmask_options(find)
    json_flag(find)
    tpl = tree.add("template", "cmd_roster_template", cmd_roster_template, parent=rsub)
    tpl.add_argument("--out", type=Path, required=True, help=t("opt_out"))


def mapping_option(args) -> dict[str, int] | None:
    """--map "姓名=B,手机=C" against the file's own headers (also `registrations import`'s)."""
    if not args.mapping:
        return None
    from station.roster.detection import preview_file
    from station.roster.mapping import parse_mapping_option

    return parse_mapping_option(args.mapping, preview_file(args.file).headers)


def cmd_roster_import(args) -> int:
    from station.roster.importer import import_roster

    store = open_station(args)
    operator = session_for(args, store, "import")
    mapping = mapping_option(args)
    res = import_roster(store, args.file, mapping=mapping, progress=progress_printer(),
                        report_dir=args.report_dir, operator=operator)
    end_progress()
    if args.json:
        print_json(
            {
                "batch_uuid": res.batch_uuid,
                "file": res.file_name,
                "rows_read": res.rows_read,
                "inserted": res.inserted,
                "updated": res.updated,
                "unchanged": res.unchanged,
                "rejected": res.rejected,
                "duplicates": res.duplicates,
                "warnings": res.warnings,
                "report": str(res.report_path) if res.report_path else None,
                "elapsed_s": round(res.elapsed_s, 3),
            }
        )
    else:
        print(
            t(
                "import_summary", file=res.file_name, read=res.rows_read, inserted=res.inserted, updated=res.updated,
                unchanged=res.unchanged, rejected=res.rejected, duplicates=res.duplicates, warnings=res.warnings, elapsed=res.elapsed_s,
            )
        )
        if res.report_path:
            print(t("report_written", path=res.report_path))
    return 0


def cmd_roster_stats(args) -> int:
    from station.roster.stats import roster_stats

    stats = roster_stats(open_station(args)).as_json()
    if args.json:
        print_json(stats)
    else:
        for key, value in stats.items():
            print(f"{key}: {value}")
    return 0


def cmd_roster_find(args) -> int:
    from station.roster.search import search

    store = open_station(args)
    operator = session_for(args, store, "view_masked")
    masked = check_unmasked(args, operator)
    hits = search(store, args.query, operator, limit=max(1, args.limit))
    if not masked:
        audit_list_unmask(store, operator, "roster find", [h.member_id for h in hits], args.reason)
    # member_id: what `station unmask --member` takes.
    rows = [dict(h.as_json(masked=masked), member_id=h.member_id) for h in hits]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print("\t".join(str(row[k] or "") for k in ("name", "id_number", "phone", "enterprise", "union",
                                                         "on_roster", "signed_up_at")))
    return 0


def cmd_roster_template(args) -> int:
    import shutil

    from station.store.paths import resources_dir

    suffix = args.out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise StationError("template_ext", path=args.out)
    source = resources_dir() / "templates" / f"roster_template{suffix}"
    try:
        shutil.copyfile(source, args.out)
    except OSError as exc:
        raise StationError("file_unwritable", path=args.out, reason=exc.strerror or exc) from exc
    print(t("template_saved", path=args.out))
    return 0
