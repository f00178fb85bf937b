"""The sync report: what went, what came back, what needs attention — in words an organizer reads.

One ``SyncReport`` per sync (network), bundle export or receipt import,
stored as JSON in ``SyncRun.report``.  It holds counts, uuids, reason codes
and platform member ids only, never a name, ID number or mobile.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field
from typing import Any

from sqlalchemy import select

from station.i18n import t
from station.store.database import Store
from station.store.models import SyncRun

OUTCOMES = ("running", "ok", "attention", "failed", "cancelled")
PUSH_KINDS = ("events", "registrations", "checkins", "draws", "winners", "posters", "audit")
PULL_KINDS = ("roster", "verification", "revocations", "events", "keys", "flags")
# What each kind of record is called in a report ("812 条报名"), and each outcome's headline.
ITEM_KEYS: dict[str, str] = {
    "events": "sync_items_events", "registrations": "sync_items_registrations", "checkins": "sync_items_checkins",
    "draws": "sync_items_draws", "winners": "sync_items_winners", "posters": "sync_items_posters",
    "audit": "sync_items_audit", "roster": "sync_items_roster", "verification": "sync_items_verification",
    "revocations": "sync_items_revocations", "keys": "sync_items_keys", "flags": "sync_items_flags",
}
OUTCOME_KEYS: dict[str, str] = {
    "running": "sync_outcome_running", "ok": "sync_outcome_ok", "attention": "sync_outcome_attention",
    "failed": "sync_outcome_failed", "cancelled": "sync_outcome_cancelled",
}


def items_text(kind: str, lang: str | None = None) -> str:
    """A kind of record as a report counts it (报名 / sign-ups); a kind this station has no word for, as named."""
    key = ITEM_KEYS.get(kind)
    return t(key, lang) if key is not None else kind
MAX_REFUSED_LINES = 10


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def _parse(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def _n(count: int, lang: str) -> str:
    return f"{count:,}"


@dataclass
class SyncReport:
    """One sync's result.  ``error`` is {"key": message key, "params": {…}} or None."""

    mode: str = "network"
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None
    outcome: str = "running"
    pushed: dict[str, dict[str, int]] = field(default_factory=dict)
    refused: list[dict[str, str]] = field(default_factory=list)
    pulled: dict[str, int] = field(default_factory=dict)
    notices: list[dict[str, Any]] = field(default_factory=list)
    error: dict[str, Any] | None = None
    bundle_uuid: str | None = None

    # -- building -------------------------------------------------------------------------
    def add_pushed(self, kind: str, accepted: int = 0, updated: int = 0, unchanged: int = 0) -> None:
        row = self.pushed.setdefault(kind, {"accepted": 0, "updated": 0, "unchanged": 0})
        row["accepted"] += accepted
        row["updated"] += updated
        row["unchanged"] += unchanged

    def add_refused(self, kind: str, uuid: str, error: str, reason: str) -> None:
        for r in self.refused:
            if r["kind"] == kind and r["uuid"] == uuid:
                r.update(error=error, reason=reason)
                return
        self.refused.append({"kind": kind, "uuid": uuid, "error": error, "reason": reason})

    def add_notice(self, notice: dict, event_name: str | None = None) -> None:
        """Keep what the organizer needs (kind, event, subject, counts): never the hub's raw detail."""
        detail = notice.get("detail") or {}
        kept = {"kind": str(notice.get("kind", "")), "event": detail.get("event_uuid"),
                "subject": str(detail.get("platform_id", "")), "stations": len(detail.get("stations") or ())}
        if event_name:
            kept["event_name"] = event_name[:200]
        if kept["kind"] == "double_admission":
            kept.update(admissions=int(detail.get("admissions", 0)), limit=int(detail.get("limit", 1)))
        if kept not in self.notices:
            self.notices.append(kept)

    def fail(self, key: str, **params: object) -> None:
        self.outcome = "failed"
        self.error = {"key": key, "params": {k: str(v) for k, v in params.items()}}

    def finish(self, now: dt.datetime, outcome: str | None = None) -> None:
        self.finished_at = now
        if outcome:
            self.outcome = outcome
        elif self.outcome == "running":
            self.outcome = "attention" if self.needs_attention() else "ok"

    def needs_attention(self) -> bool:
        """Refused records wait to be fixed, and a card let in too often must be looked into.

        A person signed up at two stations is not: the platform merged them, nothing to do.
        """
        return bool(self.refused) or any(n["kind"] == "double_admission" for n in self.notices)

    # -- JSON ------------------------------------------------------------------------------
    def to_json(self) -> str:
        data = asdict(self)
        data["started_at"], data["finished_at"] = _iso(self.started_at), _iso(self.finished_at)
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> SyncReport:
        data = json.loads(text or "{}")
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        report = cls(**known)
        report.started_at, report.finished_at = _parse(data.get("started_at")), _parse(data.get("finished_at"))
        return report

    # -- words -----------------------------------------------------------------------------
    def error_text(self, lang: str | None = None) -> str | None:
        if not self.error:
            return None
        try:
            return t(self.error["key"], lang, **self.error.get("params", {}))
        except (KeyError, IndexError):  # a report written by a newer version
            return str(self.error.get("key"))

    def total_pushed(self) -> int:
        return sum(sum(v.values()) for k, v in self.pushed.items() if k != "audit")

    def summary_lines(self, lang: str = "zh") -> list[str]:
        """The report in plain sentences, most important first."""
        lines = [self._headline(lang)]
        lines += self._pushed_lines(lang)
        lines += self._pulled_lines(lang)
        lines += self._refused_lines(lang)
        lines += self._notice_lines(lang)
        return lines

    def _headline(self, lang: str) -> str:
        if self.outcome == "failed":
            return t("sync_outcome_failed", lang, error=self.error_text(lang) or "-")
        return t(OUTCOME_KEYS[self.outcome], lang)

    def _pushed_lines(self, lang: str) -> list[str]:
        lines = []
        for kind in PUSH_KINDS:
            row = self.pushed.get(kind)
            if not row:
                continue
            count = row["accepted"] + row["updated"] + row["unchanged"]
            if count:
                name = items_text(kind, lang)
                key = "sync_report_pushed_known" if row["unchanged"] else "sync_report_pushed"
                lines.append(t(key, lang, count=_n(count, lang), kind=name, known=_n(row["unchanged"], lang))
                             if row["unchanged"] else t(key, lang, count=_n(count, lang), kind=name))
            if kind == "winners" and row["updated"]:
                lines.append(t("sync_report_voids", lang, count=_n(row["updated"], lang)))
        if self.total_pushed() == 0 and self.outcome in ("ok", "attention"):
            # The run's own audit entry always goes: it is not "something to upload" to the organizer.
            lines.insert(0, t("sync_report_nothing_pushed", lang))
        return lines

    def _pulled_lines(self, lang: str) -> list[str]:
        lines = [t("sync_report_pulled", lang, count=_n(n, lang), kind=items_text(kind, lang))
                 for kind in PULL_KINDS if (n := self.pulled.get(kind, 0))]
        if not lines and self.pulled and self.outcome in ("ok", "attention"):
            lines.append(t("sync_report_nothing_pulled", lang))
        return lines

    def _refused_lines(self, lang: str) -> list[str]:
        if not self.refused:
            return []
        lines = [t("sync_report_refused", lang, count=_n(len(self.refused), lang))]
        for r in self.refused[:MAX_REFUSED_LINES]:
            lines.append(t("sync_report_refused_item", lang, kind=items_text(r["kind"], lang),
                           uuid=r["uuid"][:8], reason=refusal_text(r["error"], r.get("reason", ""), lang)))
        if len(self.refused) > MAX_REFUSED_LINES:
            lines.append(t("sync_report_refused_more", lang, count=_n(len(self.refused) - MAX_REFUSED_LINES, lang)))
        return lines

    def _notice_lines(self, lang: str) -> list[str]:
        same = [n["subject"] for n in self.notices if n["kind"] == "same_person"]
        lines = []
        if same:
            shown = ", ".join(same[:10]) + ("…" if len(same) > 10 else "")
            lines.append(t("sync_report_same_person", lang, count=_n(len(same), lang), subjects=shown))
        for n in self.notices:
            if n["kind"] == "double_admission":
                event = n.get("event_name") or (n.get("event") or "")[:8]
                lines.append(t("sync_report_double_admission", lang, event=event, subject=n["subject"],
                               stations=n["stations"], admissions=n.get("admissions", 0), limit=n.get("limit", 1)))
        return lines


# The hub's refusal codes this station has words for (docs/sync-protocol.md); any other is named as it came.
REFUSAL_KEYS: dict[str, str] = {
    "conflict": "sync_refusal_conflict",
    "not_your_record": "sync_refusal_not_your_record",
    "unknown_event": "sync_refusal_unknown_event",
    "unknown_draw": "sync_refusal_unknown_draw",
    "invalid_record": "sync_refusal_invalid_record",
    "audit_diverged": "sync_refusal_audit_diverged",
    "audit_anchor_backwards": "sync_refusal_audit_anchor_backwards",
    "audit_anchor_mismatch": "sync_refusal_audit_anchor_mismatch",
    "audit_invalid": "sync_refusal_audit_invalid",
    "audit_gap": "sync_refusal_audit_gap",
}


def refusal_text(error: str, reason: str, lang: str | None = None) -> str:
    """The organizer's words for a refusal code (the hub's English reason names the field where it helps)."""
    if error == "invalid_request":
        return t("sync_refusal_invalid_request", lang, field=reason[:80] or "-")
    key = REFUSAL_KEYS.get(error)
    if key is not None:
        return t(key, lang)
    return t("sync_refusal_other", lang, error=error)


def count_text(counts: dict[str, int], lang: str | None = None) -> str:
    """"812 条报名、3 条抽奖" for the non-zero counts."""
    sep = "、" if (lang or _lang()) == "zh" else ", "
    return sep.join(t("sync_count_item", lang, count=f"{n:,}", kind=items_text(k, lang))
                    for k, n in counts.items() if n)


def _lang() -> str:
    from station.i18n import get_lang

    return get_lang()


def save(store: Store, run_id: int, report: SyncReport) -> None:
    with store.session() as s:
        run = s.get_one(SyncRun, run_id)
        run.outcome = report.outcome
        run.finished_at = report.finished_at
        run.bundle_uuid = report.bundle_uuid
        run.report = report.to_json()
        s.commit()


def last_report(store: Store, mode: str | None = None) -> SyncReport | None:
    """The newest run's report (of `mode` when given), or None before the first."""
    q = select(SyncRun).order_by(SyncRun.started_at.desc(), SyncRun.id.desc()).limit(1)
    if mode:
        q = q.where(SyncRun.mode == mode)
    with store.session() as s:
        run = s.scalars(q).first()
    if run is None:
        return None
    report = SyncReport.from_json(run.report)
    report.mode, report.outcome = run.mode, run.outcome
    report.started_at = report.started_at or run.started_at
    report.finished_at = report.finished_at or run.finished_at
    return report
