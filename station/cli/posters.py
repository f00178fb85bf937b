"""The CLI's poster commands: `station poster make|batch|list|config`.

``register`` adds the commands with their handlers, so the poster work keeps
its commands in one place.  Progress goes to stderr as one updating line on a
terminal; Ctrl+C cancels a batch and leaves nothing behind.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from station.cli.support import CommandTree, iso_date, json_flag, open_station, positive_int, print_json
from station.i18n import t

_positive = positive_int("poster_bad_count")


def _distance(value: str) -> float:
    try:
        return float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(t("poster_bad_distance", value=value, min=0.2, max=10)) from None


def register(tree: CommandTree) -> None:
    """The `poster` command and its subcommands."""
    from station.posters.templates import PLACEMENTS, TEMPLATE_ORDER

    psub = tree.group("poster", "cmd_poster", "poster_command")

    def design_options(sp) -> None:
        sp.add_argument("--template", default="a4", choices=TEMPLATE_ORDER, help=t("opt_poster_template"))
        sp.add_argument("--campaign", help=t("opt_poster_campaign"))
        sp.add_argument("--placement", default="canteen", choices=PLACEMENTS, help=t("opt_poster_placement"))
        sp.add_argument("--date", type=iso_date, help=t("opt_poster_date"))
        sp.add_argument("--title", help=t("opt_poster_title"))
        sp.add_argument("--subtitle", help=t("opt_poster_subtitle"))
        sp.add_argument("--benefit", action="append", dest="benefits", help=t("opt_poster_benefit"))
        sp.add_argument("--step", action="append", dest="steps", help=t("opt_poster_step"))
        sp.add_argument("--contact", help=t("opt_poster_contact"))
        sp.add_argument("--logo", type=Path, help=t("opt_poster_logo"))
        sp.add_argument("--colour", "--color", dest="colour", help=t("opt_poster_colour"))
        sp.add_argument("--accent", help=t("opt_poster_accent"))
        sp.add_argument("--base-url", help=t("opt_poster_base_url"))
        sp.add_argument("--distance", type=_distance, help=t("opt_poster_distance"))
        json_flag(sp)

    make = tree.add("make", "cmd_poster_make", cmd_poster_make, parent=psub)
    make.add_argument("--enterprise", required=True, help=t("opt_enterprise"))
    make.add_argument("--out", type=Path, required=True, help=t("opt_poster_out_file"))
    design_options(make)

    batch = tree.add("batch", "cmd_poster_batch", cmd_poster_batch, parent=psub)
    batch.add_argument("--union", help=t("opt_poster_union"))
    batch.add_argument("--top", type=_positive, help=t("opt_poster_top"))
    batch.add_argument("--lowest-rate", type=_positive, help=t("opt_poster_lowest_rate"))
    batch.add_argument("--min-members", type=_positive, help=t("opt_poster_min_members"))
    batch.add_argument("--out", type=Path, required=True, help=t("opt_poster_out_batch"))
    design_options(batch)

    ls = tree.add("list", "cmd_poster_list", cmd_poster_list, parent=psub)
    ls.add_argument("--enterprise", help=t("opt_enterprise"))
    ls.add_argument("--campaign", help=t("opt_poster_campaign_filter"))
    ls.add_argument("--limit", type=int, default=200, help=t("opt_limit"))
    json_flag(ls)

    cfg = tree.add("config", "cmd_poster_config", cmd_poster_config, parent=psub)
    cfg.add_argument("--base-url", dest="set_base_url", help=t("opt_poster_set_base_url"))
    json_flag(cfg)


def _design(args):
    from station.posters.service import PosterDesign

    texts = {k: v for k, v in (("title", args.title), ("subtitle", args.subtitle), ("contact", args.contact)) if v is not None}
    colours = {k: v for k, v in (("primary", args.colour), ("accent", args.accent)) if v}
    return PosterDesign(
        template=args.template, campaign=args.campaign or "", placement=args.placement, hang_date=args.date,
        texts=texts, benefits=args.benefits, steps=args.steps, colours=colours,
        logo=str(args.logo) if args.logo else None, base_url=args.base_url, distance_m=args.distance,
    )


def _progress():
    if not sys.stderr.isatty():
        return None

    def show(p) -> None:
        phase = p.phase_text()
        sys.stderr.write("\r" + t("poster_progress", phase=phase, done=p.done, total=p.total) + "   ")
        sys.stderr.flush()

    return show


def _report(args, res) -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\n")
    if args.json:
        print_json(res.as_json())
        return
    where = res.files[0] if len(res.files) == 1 else (res.files[0].parent if res.files else "-")
    print(t("poster_made", count=len(res.posters), template=res.template, campaign=res.campaign,
            elapsed=res.elapsed_s, path=where))
    for p in res.posters[:20]:
        print(t("poster_made_one", enterprise=p.enterprise, code=p.code, module=f"{p.module_mm:.1f}", url=p.url))
    if len(res.posters) > 20:
        print("…")
    for note in res.notes:
        print(t("poster_note_line", note=note), file=sys.stderr)


def cmd_poster_make(args) -> int:
    from station.posters.service import make_poster

    res = make_poster(open_station(args), args.enterprise, _design(args), args.out, progress=_progress())
    _report(args, res)
    return 0


def cmd_poster_batch(args) -> int:
    from station.posters.service import make_posters, select_targets

    store = open_station(args)
    targets = select_targets(store, union=args.union, top=args.top, lowest_rate=args.lowest_rate,
                             min_members=args.min_members)
    res = make_posters(store, targets, _design(args), args.out, progress=_progress())
    _report(args, res)
    return 0


def cmd_poster_list(args) -> int:
    from station.i18n import get_lang
    from station.posters.service import list_posters
    from station.posters.templates import PLACEMENT_NAMES

    rows = list_posters(open_station(args), enterprise=args.enterprise, campaign=args.campaign, limit=max(1, args.limit))
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print(t("poster_none_yet"))
    en = get_lang() == "en"
    for r in rows:
        place = PLACEMENT_NAMES.get(r.placement, (r.placement, r.placement))[1 if en else 0]
        print("\t".join((r.created_at.strftime("%Y-%m-%d %H:%M"), r.code, r.enterprise, r.template, r.campaign, place,
                         r.hang_date.isoformat(), f"{r.module_mm:.1f}mm", r.file + (f"#{r.page}" if r.page else ""))))
    return 0


def cmd_poster_config(args) -> int:
    from station.posters.service import base_url, set_base_url

    store = open_station(args)
    if args.set_base_url is not None:
        url = set_base_url(store, args.set_base_url)
        key = "poster_base_url_set"
    else:
        url = base_url(store)
        key = "poster_base_url_is"
    if args.json:
        print_json({"base_url": url})
    else:
        print(t(key, url=url))
    return 0
