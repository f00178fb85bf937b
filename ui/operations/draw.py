"""抽奖's core calls (station.draw.service): prizes and winners, adding a prize, drawing, voiding.

A draw and a redraw also fetch the masked names the projector rolls through
before it lands on the winners, in the same worker.
"""

from __future__ import annotations

from PySide6.QtCore import QObject

from station.draw import service as draw
from station.draw.service import DrawResult, PrizeInfo, VoidResult, Winner
from station.security.operators import OperatorSession
from station.store.database import Store
from ui.operations import CoreOp
from ui.workers import TaskRunner


def prizes_and_winners(parent: QObject, runner: TaskRunner, store: Store, event: int,
                       operator: OperatorSession) -> CoreOp[tuple[list[PrizeInfo], list[Winner]]]:
    """The event's prizes with their stock, and its winners (voided ones left out)."""
    return CoreOp(parent, runner, lambda: (draw.list_prizes(store, event), draw.winners(store, event, operator)),
                  name="draw-prizes")


def add_prize(parent: QObject, runner: TaskRunner, store: Store, event: int, name: str,
              stock: int) -> CoreOp[PrizeInfo]:
    return CoreOp(parent, runner, lambda: draw.add_prize(store, event, name, stock), name="draw-add-prize")


def run_draw(parent: QObject, runner: TaskRunner, store: Store, event: int, prize: int, count: int,
             only: str | None, operator: OperatorSession) -> CoreOp[tuple[DrawResult, list[str]]]:
    """Draw ``count`` winners of ``prize``; with the masked pool the draw was made from, for the projector."""

    def work() -> tuple[DrawResult, list[str]]:
        pool = draw.masked_entries(store, event, only)
        return draw.run_draw(store, event, prize, count, only=only, operator=operator), pool

    return CoreOp(parent, runner, work, name="draw-run")


def void_win(parent: QObject, runner: TaskRunner, store: Store, event: int, win: int, reason: str, *,
             redraw: bool, operator: OperatorSession) -> CoreOp[tuple[VoidResult, list[str]]]:
    """Void a win (and with ``redraw`` draw a replacement, with the masked pool it came from)."""

    def work() -> tuple[VoidResult, list[str]]:
        res = draw.void_win(store, win, reason, redraw=redraw, operator=operator)
        pool = draw.masked_entries(store, event, res.redraw.only) if res.redraw else []
        return res, pool

    return CoreOp(parent, runner, work, name="draw-void")
