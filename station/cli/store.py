"""The CLI's commands on the station's store itself: `station init`, `backup`, `restore`, `check`.

`init` comes right after `gui` and `demo` in `station --help`, the other three
after `audit`: station/cli/main.py calls ``register_init`` and ``register`` in
that order.
"""

from __future__ import annotations

from pathlib import Path

from station.cli.support import CommandTree, json_flag, open_station, print_json
from station.i18n import t


def register_init(tree: CommandTree) -> None:
    init = tree.add("init", "cmd_init", cmd_init)
    init.add_argument("--name", help=t("opt_station_name"))
    json_flag(init)


def register(tree: CommandTree) -> None:
    """`backup`, `restore`, `check`."""
    tree.add("backup", "cmd_backup", cmd_backup)
    rs = tree.add("restore", "cmd_restore", cmd_restore)
    rs.add_argument("name", nargs="?", help=t("opt_backup_name"))
    rs.add_argument("--list", action="store_true", help=t("opt_list"))
    tree.add("check", "cmd_check", cmd_check)


def default_dir() -> Path:
    """The data directory without --data-dir: the user's application data folder."""
    from station.store.paths import default_data_dir

    return default_data_dir()


def cmd_init(args) -> int:
    from station.store.database import open_store

    existed = (args.data_dir or default_dir()).joinpath("station.sqlite").exists()
    store = open_store(args.data_dir, station_name=args.name)
    ident = store.identity
    if args.json:
        print_json({"uuid": ident.uuid, "name": ident.name, "data_dir": str(store.paths.root), "created": not existed})
    else:
        key = "station_exists" if existed else "station_created"
        print(t(key, name=ident.name, uuid=ident.uuid, path=store.paths.root))
    return 0


def cmd_backup(args) -> int:
    backup = open_station(args, integrity="full").backup("manual")
    print(t("backup_done", path=backup.path, size=backup.size))
    return 0


def cmd_restore(args) -> int:
    from station.store.database import list_backups, restore_backup
    from station.store.paths import DataPaths

    paths = DataPaths(args.data_dir or default_dir())
    if args.list:
        backups = list_backups(paths)
        if not backups:
            print(t("no_backups_list"))
        for b in backups:
            print(f"{b.name}\t{b.taken_at:%Y-%m-%d %H:%M:%S}\t{b.size}")
        return 0
    chosen, kept = restore_backup(paths, args.name)
    print(t("restored_from", name=chosen.name, kept=kept or "-"))
    return 0


def cmd_check(args) -> int:
    store = open_station(args, integrity="full")
    print(t("check_ok", path=store.paths.database))
    return 0
