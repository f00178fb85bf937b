"""Joining an event host on the local network, and the pinned client to it (issue 15).

A station joins by the host's ticket (a QR on the host's screen or its short
text, station/sync/lan.py): the certificate the address presents is checked
against the ticket's fingerprint *before* anything is sent, then the
one-time code is spent at the host like any enrollment.  The credential is
kept encrypted under the data key (as ``sync_link``'s); the certificate is
kept whole, so every later connection trusts exactly that certificate and
nothing else — a laptop that merely shares the Wi-Fi can neither read nor
inject.

Joining is the organizer's (it decides which host the station trusts);
live sync over the link is anyone's who works the door or the booth, a
核验员 included, so the link's credential is readable by every operator's
key, as the data key is.
"""

from __future__ import annotations

import hmac
from urllib.parse import urlsplit

from sqlalchemy import delete

from station.errors import StationError
from station.security import audit
from station.security.operators import OperatorSession
from station.store.clock import now_utc
from station.store.database import Store
from station.store.models import SyncCursor
from station.store.peers import EventLink
from station.sync import lan
from station.sync.client import HubClient

TABLE = "event_link"


def event_link(store: Store) -> EventLink | None:
    """The event host this station joined, or None."""
    with store.session() as s:
        return s.get(EventLink, 1)


def _reset_cursors(s) -> None:
    """A new host numbers its changes anew: the live cursors of the old one mean nothing there."""
    s.execute(delete(SyncCursor).where(SyncCursor.kind.like("lv:%") | SyncCursor.kind.like("lp:%")))


def join(store: Store, operator: OperatorSession, ticket_text: str, *, timeout: float = 5.0,
         client: HubClient | None = None) -> EventLink:
    """Join the event host named by ``ticket_text`` (QR text or short form); replaces an earlier link."""
    operator.require("sync")
    ticket = lan.parse_ticket(ticket_text)
    cert_pem = lan.fetch_pinned(ticket.host, ticket.port, ticket.pin, timeout=timeout)
    url = f"https://{ticket.host}:{ticket.port}"
    ident = store.identity
    own = client is None
    client = client or HubClient(url, ssl_context=lan.pinned_context(cert_pem), retries=2, timeout=timeout + 5)
    try:
        # The station's bundle-signing key is the town hub's business; the host has no use for one.
        reply = client.enroll(ticket.code, ident.uuid, ident.name, _no_bundle_key())
    finally:
        if own:
            client.close()
    cipher = operator.cipher
    with store.session() as s:
        row = s.get(EventLink, 1)
        replaced = row is not None
        if row is None:
            row = EventLink(id=1)
            s.add(row)
        row.host_url, row.host_station_name = url, str(reply["station_name"])[:100]
        row.credential_enc = cipher.encrypt(TABLE, "credential", reply["credential"], "1")
        row.pin_sha256, row.cert_pem = lan.fingerprint(cert_pem), cert_pem
        row.joined_at, row.joined_by, row.last_success_at = now_utc(), operator.name, None
        _reset_cursors(s)
        audit.append(store, "event_join", operator=operator.name, target=ticket.host,
                     details={"port": ticket.port, "replaced": replaced},
                     cipher=cipher, db=s)
        s.commit()
        s.refresh(row)
        return row


def _no_bundle_key() -> str:
    """A well-formed Ed25519 public key the host records and never uses (the enroll call requires one)."""
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    raw = Ed25519PrivateKey.generate().public_key().public_bytes(serialization.Encoding.Raw,
                                                                 serialization.PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def leave(store: Store, operator: OperatorSession) -> bool:
    """Forget the event host (False when none was joined); the records stay, pending for the town hub."""
    operator.require("sync")
    with store.session() as s:
        row = s.get(EventLink, 1)
        if row is None:
            return False
        host = urlsplit(row.host_url).hostname
        s.delete(row)
        _reset_cursors(s)
        audit.append(store, "event_leave", operator=operator.name, target=host, cipher=operator.cipher, db=s)
        s.commit()
    return True


def event_client(store: Store, operator: OperatorSession, **kw) -> HubClient:
    """A client to the joined host that trusts only its pinned certificate."""
    row = event_link(store)
    if row is None:
        raise StationError("lan_not_joined")
    if not hmac.compare_digest(lan.fingerprint(row.cert_pem), row.pin_sha256):
        raise StationError("lan_link_damaged")
    secret = operator.cipher.decrypt(TABLE, "credential", row.credential_enc, "1")
    return HubClient(row.host_url, secret, ssl_context=lan.pinned_context(row.cert_pem), **kw)

