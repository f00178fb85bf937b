"""Messages about the booth prize draw (抽奖): refusals and the `station draw` command."""

MESSAGES: dict[str, tuple[str, str]] = {
    # refusals
    "draw_prize_not_found": (
        "找不到奖品：{ref}。用 station draw prizes list --event 活动 查看奖品。",
        "Prize not found: {ref}. See station draw prizes list --event EVENT.",
    ),
    "draw_prize_bad": (
        "奖品名称不能为空，数量应为 1 至 100000 的整数（收到：{name}，{stock}）。",
        "A prize needs a name and a stock of 1 to 100000 (got: {name}, {stock}).",
    ),
    "draw_bad_count": (
        "抽取人数应为 1 至 1000 的整数，收到：{value}",
        "The number to draw must be a whole number from 1 to 1000, got: {value}",
    ),
    "draw_bad_only": (
        "参与范围“{value}”无效：可选 roster（在册）或 new（新会员）。",
        "Entry filter '{value}' is not valid: use roster or new.",
    ),
    "draw_no_entries": (
        "“{event}”已没有可抽的报名者：每人每场活动只能中一次奖，缺席作废的也不再参加。",
        "No eligible entries left for '{event}': each person can win once per event, and voided winners are out.",
    ),
    "draw_too_few_entries": (
        "只剩 {eligible} 位可抽的报名者，不能一次抽 {count} 位。",
        "Only {eligible} eligible entries are left; cannot draw {count} at once.",
    ),
    "draw_out_of_stock": (
        "奖品“{prize}”只剩 {remaining} 份，不能抽 {count} 份。",
        "Prize '{prize}' has {remaining} left; cannot draw {count}.",
    ),
    "draw_win_not_found": (
        "找不到中奖记录：{ref}。",
        "Win not found: {ref}.",
    ),
    "draw_win_already_voided": (
        "中奖记录 {ref} 已作废（{reason}），不能再次作废。",
        "Win {ref} is already voided ({reason}); it cannot be voided again.",
    ),
    "draw_void_reason_missing": (
        "作废中奖需要写明原因，如“未到场”。",
        "Voiding a win needs a reason, e.g. 'absent'.",
    ),
    "draw_not_found": (
        "找不到抽奖记录：{ref}。",
        "Draw not found: {ref}.",
    ),
    # CLI
    "cmd_draw": ("现场抽奖：奖品、抽取、作废重抽、核验", "Prize draw: prizes, drawing, voiding and redrawing, verifying"),
    "cmd_draw_prizes": ("活动的奖品与库存", "An event's prizes and their stock"),
    "cmd_draw_prizes_add": ("为活动添加奖品", "Add a prize to an event"),
    "cmd_draw_prizes_list": ("列出活动的奖品与剩余数量", "List an event's prizes and how many are left"),
    "cmd_draw_run": ("从活动的报名者中抽出中奖者", "Draw winners from an event's sign-ups"),
    "cmd_draw_void": ("作废一条中奖（如未到场），可立即重抽", "Void a win (e.g. absent), optionally redrawing at once"),
    "cmd_draw_verify": ("用保存的参与名单重新核验一次抽奖的哈希", "Re-check a draw's hash from its stored entry list"),
    "opt_draw_event": ("活动：编号、uuid 或名称", "Event: id, uuid or name"),
    "opt_draw_prize_name": ("奖品名称，如“电影票”", "Prize name, e.g. movie ticket"),
    "opt_draw_stock": ("奖品数量", "How many of the prize there are"),
    "opt_draw_prize": ("奖品：编号、uuid 或名称", "Prize: id, uuid or name"),
    "opt_draw_count": ("本次抽取人数（默认 1）", "How many winners to draw (default 1)"),
    "opt_draw_only": ("只抽在册会员（roster）或只抽新会员（new）", "Only roster members (roster) or only new members (new)"),
    "opt_draw_win": ("中奖记录：编号或 uuid", "The win: id or uuid"),
    "opt_draw_reason": ("作废原因，如“未到场”", "Why, e.g. absent"),
    "opt_draw_redraw": ("作废后立即为同一奖品重抽一位", "Redraw one winner for the same prize straight away"),
    "opt_draw_id": ("抽奖记录：编号或 uuid", "The draw: id or uuid"),
    "draw_prize_added": ("已添加奖品“{name}”×{stock}（编号 {id}）", "Added prize '{name}' x{stock} (id {id})"),
    "draw_prize_line": ("{id}\t{name}\t剩余 {remaining}/{stock}", "{id}\t{name}\t{remaining}/{stock} left"),
    "draw_no_prizes": ("该活动还没有奖品。", "This event has no prizes yet."),
    "draw_result_head": ("抽奖 {draw}：{prize}，从 {entries} 位中抽出 {count} 位", "Draw {draw}: {prize}, {count} drawn from {entries} entries"),
    "draw_winner_line": ("  中奖 {win}\t{name}\t尾号 {tail}", "  win {win}\t{name}\tphone ends {tail}"),
    "draw_voided": ("已作废中奖 {win}：{reason}", "Voided win {win}: {reason}"),
    "draw_verify_ok": ("抽奖 {draw} 核验通过：{entries} 位参与者，哈希 {sha}", "Draw {draw} verifies: {entries} entries, hash {sha}"),
    "draw_verify_bad": ("抽奖 {draw} 核验失败：保存的哈希 {stored}，重新计算得 {actual}", "Draw {draw} FAILS verification: stored hash {stored}, recomputed {actual}"),
    "draw_verify_winner_bad": ("抽奖 {draw} 核验失败：有中奖者不在参与名单中", "Draw {draw} FAILS verification: a winner is not in the entry list"),
}
