"""The message catalogue: key -> (Chinese, English).

One file per area so each stays short; keys are unique across all of them
(checked by tests/test_messages.py).
"""

from __future__ import annotations

from station.messages import (
    access,
    cli,
    common,
    draw,
    ecard,
    hub,
    lan,
    posters,
    reports,
    roster,
    security,
    signup,
    sync_bundle,
    sync_live,
    sync_net,
    sync_pull,
    validation,
)

MESSAGES: dict[str, tuple[str, str]] = {}
for _part in (common, validation, roster, signup, cli, ecard, security, posters, draw, reports, hub, access, sync_net,
              sync_pull, sync_bundle, sync_live, lan):
    for _key, _pair in _part.MESSAGES.items():
        if _key in MESSAGES:
            raise RuntimeError(f"message key {_key!r} defined twice")
        MESSAGES[_key] = _pair
