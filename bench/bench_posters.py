"""Benchmark: 1,000 A4 posters into one multi-page PDF, each QR proofed, against one file each.

    .venv/bin/python bench/bench_posters.py                 # 1,000 posters
    .venv/bin/python bench/bench_posters.py --posters 200

Measures, in a temporary store of as many enterprises as posters:
- time per poster for the whole batch (layout, PDF writing, rasterising every
  page and reading its QR back, the register), and how it splits;
- file-size growth per page: (size of the N-page PDF − size of a 1-page PDF)
  / (N − 1).  Target (issue 5): under 30 KB, which holds only if the fonts
  and the logo are embedded once per document, not once per page.

Baseline, measured in the same run: the same posters made one file each
(``--baseline`` of them), where every file carries its own fonts and logo;
its bytes per poster show what embedding once saves.  Exits 1 when the
per-page growth misses the target.  Nothing is left on disk.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

PAGE_GROWTH_TARGET = 30_000  # bytes


def _store(folder: Path, count: int):
    from station.store.database import open_store
    from station.store.orgs import enterprise_by_name, union_by_name

    store = open_store(folder / "data", station_name="海报基准")
    towns = ("长安", "虎门", "大朗", "塘厦", "常平", "凤岗", "清溪", "厚街")
    trades = ("电子", "五金制品", "毛织", "家具", "塑胶", "精密机械", "光电科技", "服装")
    with store.session() as s:
        for i in range(count):
            name = f"东莞市{towns[i % 8]}{trades[(i // 8) % 8]}第{i + 1}有限公司"
            union = union_by_name(s, f"{name}工会委员会")
            enterprise_by_name(s, name, union)
        s.commit()
    return store


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posters", type=int, default=1000)
    parser.add_argument("--baseline", type=int, default=20, help="posters made one file each for the baseline")
    parser.add_argument("--template", default="a4")
    args, _unknown = parser.parse_known_args()  # `dev.py bench ARGS` hands every bench the same arguments

    from station.posters.render import ensure_gui
    from station.posters.service import PosterDesign, make_posters, select_targets

    ensure_gui()
    with tempfile.TemporaryDirectory(prefix="bench-posters-") as tmp:
        folder = Path(tmp)
        store = _store(folder, max(args.posters, args.baseline))
        try:
            targets = select_targets(store)
            design = PosterDesign(template=args.template, campaign="BENCH")
            one = make_posters(store, targets[:1], design, folder / "one.pdf")
            single_size = one.files[0].stat().st_size

            marks: dict[str, float] = {}

            def progress(p) -> None:
                marks.setdefault(p.phase, time.perf_counter())

            start = time.perf_counter()
            batch = make_posters(store, targets[: args.posters], design, folder / "batch.pdf", progress=progress)
            elapsed = time.perf_counter() - start
            size = batch.files[0].stat().st_size
            n = len(batch.posters)
            growth = (size - single_size) / max(1, n - 1)
            render_s = marks.get("proof", start + elapsed) - start
            proof_s = marks.get("save", start + elapsed) - marks.get("proof", start)

            base_start = time.perf_counter()
            each = make_posters(store, targets[: args.baseline], design, folder / "each")
            base_elapsed = time.perf_counter() - base_start
            each_bytes = sum(f.stat().st_size for f in each.files) / len(each.files)
        finally:
            store.close()

    ok = growth < PAGE_GROWTH_TARGET
    print(f"bench_posters: {n} {args.template} posters into one PDF, every QR proofed")
    print(f"  total            {elapsed:8.2f} s   ({elapsed / n * 1000:.1f} ms per poster: "
          f"layout+PDF {render_s / n * 1000:.1f} ms, proof {proof_s / n * 1000:.1f} ms)")
    print(f"  file             {size / 1024:8.0f} KB  (1-page PDF: {single_size / 1024:.0f} KB)")
    print(f"  per extra page   {growth / 1024:8.1f} KB  target < {PAGE_GROWTH_TARGET / 1000:.0f} KB: "
          f"{'OK' if ok else 'MISSED'}")
    print(f"  baseline: one file each ({len(each.files)} posters): {base_elapsed / len(each.files) * 1000:.1f} ms "
          f"and {each_bytes / 1024:.0f} KB per poster (fonts and logo in every file)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
