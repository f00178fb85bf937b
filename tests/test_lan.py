"""The event host's TLS identity, the join ticket and certificate pinning (station/sync/lan.py).

Real TLS servers on loopback: the host's own certificate, and an impostor's
self-signed one that looks the same to a person (same name, same addresses)
but has another key.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import ipaddress
import json
import os
import socket
import ssl
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID
from hypothesis import given, settings
from hypothesis import strategies as st

from station.errors import StationError
from station.hub import service as hub_service
from station.i18n import t
from station.sync import lan
from station.sync.client import HubClient

CODE = "K7QM-3XRT-PW9A-HC2N"


# -- servers ----------------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = json.dumps({"ok": True, "protocol": 1, "who": self.server.who}).encode()  # type: ignore[attr-defined]
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


class _TLSServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cert: Path, key: Path, who: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self.ctx.load_cert_chain(cert, key)
        self.who = who

    def get_request(self):
        sock, addr = super().get_request()
        # The handshake happens in the connection's thread, so a refused client cannot stall the server.
        return self.ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False), addr

    def handle_error(self, request, client_address) -> None:
        pass  # clients that refuse our certificate hang up mid-handshake: expected here


@contextlib.contextmanager
def tls_server(cert: Path, key: Path, who: str = "host") -> Iterator[int]:
    server = _TLSServer(cert, key, who)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def _pair(directory: Path, name: str = "一号活动主机", addresses: tuple[str, ...] = ("192.168.1.5",)):
    directory.mkdir(parents=True, exist_ok=True)
    cert_pem, key_pem = lan.make_host_cert(list(addresses), name)
    (directory / "cert.pem").write_text(cert_pem)
    (directory / "key.pem").write_text(key_pem)
    return directory / "cert.pem", directory / "key.pem", cert_pem


@pytest.fixture
def host(tmp_path):
    cert, key, pem = _pair(tmp_path / "host")
    with tls_server(cert, key, "host") as port:
        yield port, pem


@pytest.fixture
def impostor(tmp_path):
    """Another laptop on the Wi-Fi: a certificate with the same name and addresses, its own key."""
    cert, key, pem = _pair(tmp_path / "impostor")
    with tls_server(cert, key, "impostor") as port:
        yield port, pem


def _short_pin(pem: str) -> str:
    return "b32:" + base64.b32encode(bytes.fromhex(lan.fingerprint(pem))).decode()[:16]


# -- the certificate --------------------------------------------------------------------------------


def test_the_host_certificate_names_every_address_and_is_its_own_anchor():
    cert_pem, key_pem = lan.make_host_cert(["192.168.1.5", "10.0.0.7", "host-laptop.local", "192.168.1.5"], "一号主机")
    cert = x509.load_pem_x509_certificate(cert_pem.encode())
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert set(sans.get_values_for_type(x509.IPAddress)) == {ipaddress.ip_address(a) for a in
                                                             ("192.168.1.5", "10.0.0.7", "127.0.0.1")}
    assert set(sans.get_values_for_type(x509.DNSName)) == {"host-laptop.local", "localhost"}
    assert len(list(sans)) == 5  # the repeated address once
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints)
    assert basic.critical and basic.value.ca
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_cert_sign
    assert ExtendedKeyUsageOID.SERVER_AUTH in cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    ski = cert.extensions.get_extension_for_class(x509.SubjectKeyIdentifier).value
    aki = cert.extensions.get_extension_for_class(x509.AuthorityKeyIdentifier).value
    assert aki.key_identifier == ski.digest
    key = cert.public_key()
    assert isinstance(key, ec.EllipticCurvePublicKey) and key.curve.name == "secp256r1"
    now = dt.datetime.now(dt.timezone.utc)
    assert cert.not_valid_before_utc <= now - dt.timedelta(hours=23)
    assert cert.not_valid_after_utc >= now + dt.timedelta(days=729)
    assert "PRIVATE KEY" in key_pem and cert.subject == cert.issuer


def test_the_fingerprint_is_the_sha256_of_the_der():
    pem, _ = lan.make_host_cert([], "主机")
    der = ssl.PEM_cert_to_DER_cert(pem)
    assert lan.fingerprint(pem) == hashlib.sha256(der).hexdigest()
    assert len(lan.fingerprint(pem)) == 64 and lan.fingerprint(pem) == lan.fingerprint(pem).lower()
    assert lan.pin_matches(lan.fingerprint(pem), der) and lan.pin_matches(lan.fingerprint(pem), pem)
    assert lan.pin_matches(_short_pin(pem), der) and lan.pin_matches(lan.fingerprint(pem)[:20], pem)
    other, _ = lan.make_host_cert([], "主机")
    assert not lan.pin_matches(lan.fingerprint(pem), other) and not lan.pin_matches(_short_pin(pem), other)
    for weak in ("", lan.fingerprint(pem)[:19], "b32:", _short_pin(pem)[:-1], "b32:" + "A" * 16, "zz" * 32):
        assert not lan.pin_matches(weak, pem), weak


# -- pinning against real servers -------------------------------------------------------------------


def test_the_host_is_fetched_by_its_pin_and_reached_through_the_pinned_context(host):
    port, pem = host
    for pin in (lan.fingerprint(pem), _short_pin(pem)):
        fetched = lan.fetch_pinned("127.0.0.1", port, pin)
        assert lan.fingerprint(fetched) == lan.fingerprint(pem)
        with httpx.Client(verify=lan.pinned_context(fetched)) as client:
            assert client.get(f"https://127.0.0.1:{port}/").json()["who"] == "host"
    # Python 3.13's defaults (host name checked, VERIFY_X509_STRICT) accept the certificate too.
    strict = ssl.create_default_context(cadata=pem)
    strict.verify_flags |= ssl.VERIFY_X509_STRICT
    for name in ("127.0.0.1", "localhost"):
        with httpx.Client(verify=strict) as client:
            assert client.get(f"https://{name}:{port}/").json()["who"] == "host"


def test_an_impostor_is_refused_by_the_pin_and_by_the_pinned_context(host, impostor):
    host_port, pem = host
    impostor_port, impostor_pem = impostor
    for pin in (lan.fingerprint(pem), _short_pin(pem)):
        with pytest.raises(StationError) as refused:
            lan.fetch_pinned("127.0.0.1", impostor_port, pin)
        assert refused.value.key == "lan_pin_mismatch"
        assert "冒充" in refused.value.message("zh") and "impersonating" in refused.value.message("en")
        assert str(impostor_port) in refused.value.message("en")
    with httpx.Client(verify=lan.pinned_context(pem)) as client, pytest.raises(httpx.ConnectError) as tls:
        client.get(f"https://127.0.0.1:{impostor_port}/")
    assert "CERTIFICATE" in str(tls.value).upper()
    # The impostor's certificate does not open the host either: exactly one certificate is trusted.
    with httpx.Client(verify=lan.pinned_context(impostor_pem)) as client, pytest.raises(httpx.ConnectError):
        client.get(f"https://127.0.0.1:{host_port}/")


def test_the_hub_client_uses_the_pinned_context(host, impostor, tmp_path):
    port, pem = host
    missing_ca = str(tmp_path / "no-such-ca.pem")  # the context takes precedence over ca_file
    with HubClient(f"https://127.0.0.1:{port}", ssl_context=lan.pinned_context(pem), ca_file=missing_ca,
                   retries=0) as client:
        assert client.call("GET", "/v1/status")["who"] == "host"
    with HubClient(f"https://127.0.0.1:{impostor[0]}", ssl_context=lan.pinned_context(pem), retries=0) as client, \
            pytest.raises(StationError) as refused:
        client.call("GET", "/v1/status")
    assert refused.value.key == "sync_net_tls"


def test_the_identity_serves_under_uvicorn(tmp_path):
    import uvicorn

    async def app(scope, receive, send):
        await send({"type": "http.response.start", "status": 200,
                    "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b'{"ok": true, "protocol": 1}'})

    cert_path, key_path, pem = lan.load_or_make_identity(tmp_path / "tls", ["127.0.0.1"], "活动主机")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off", ssl_certfile=str(cert_path),
                                           ssl_keyfile=str(key_path)))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "uvicorn did not start"
        thread.join(0.02)
    try:
        port = sock.getsockname()[1]
        fetched = lan.fetch_pinned("127.0.0.1", port, lan.fingerprint(pem))
        with httpx.Client(verify=lan.pinned_context(fetched)) as client:
            assert client.get(f"https://127.0.0.1:{port}/").json() == {"ok": True, "protocol": 1}
    finally:
        server.should_exit = True
        thread.join(15)


def test_nobody_listening_or_no_tls_is_unreachable():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    with pytest.raises(StationError) as nobody:
        lan.fetch_pinned("127.0.0.1", closed, "0" * 64, timeout=2)
    assert nobody.value.key == "lan_unreachable"
    assert "Wi-Fi" in nobody.value.message("zh") and "firewall" in nobody.value.message("en")

    plain = socket.socket()
    plain.bind(("127.0.0.1", 0))
    plain.listen()

    def answer() -> None:
        with contextlib.suppress(OSError):
            conn, _ = plain.accept()
            with conn:
                conn.recv(1024)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n")

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    try:
        with pytest.raises(StationError) as not_tls:
            lan.fetch_pinned("127.0.0.1", plain.getsockname()[1], "0" * 64, timeout=2)
        assert not_tls.value.key == "lan_unreachable"
    finally:
        plain.close()
        thread.join(5)


# -- the ticket -------------------------------------------------------------------------------------


def test_both_ticket_forms_round_trip():
    pem, _ = lan.make_host_cert(["192.168.1.5"], "主机")
    ticket = lan.JoinTicket("192.168.1.5", 8443, CODE, lan.fingerprint(pem))
    assert ticket.qr_text() == f"YGHJ1:192.168.1.5:8443:{CODE}:{lan.fingerprint(pem)}"
    assert lan.parse_ticket(ticket.qr_text()) == ticket
    pin32 = _short_pin(pem)[4:]
    assert ticket.short_text() == f"192.168.1.5:8443 {CODE} {pin32}"
    short = lan.parse_ticket(ticket.short_text())
    assert short == lan.JoinTicket("192.168.1.5", 8443, CODE, "b32:" + pin32)
    assert lan.pin_matches(short.pin, pem) and short.short_text() == ticket.short_text()
    with pytest.raises(ValueError):
        short.qr_text()  # the QR form carries the whole fingerprint
    named = lan.JoinTicket("host-laptop.local", 443, CODE, lan.fingerprint(pem))
    assert lan.parse_ticket(named.qr_text()) == named and lan.parse_ticket(named.short_text()).host == named.host


def test_tickets_are_read_whitespace_and_case_tolerant():
    pem, _ = lan.make_host_cert([], "主机")
    fp = lan.fingerprint(pem)
    pin32 = _short_pin(pem)[4:]
    want_qr = lan.JoinTicket("192.168.1.5", 8443, CODE, fp)
    assert lan.parse_ticket(f"  yghj1:192.168.1.5:8443:{CODE.lower()}:{fp.upper()}\r\n") == want_qr
    assert lan.parse_ticket(f"YGHJ1: 192.168.1.5 : 8443 : {CODE.replace('-', '')} : {fp}") == want_qr
    want = lan.JoinTicket("192.168.1.5", 8443, CODE, "b32:" + pin32)
    for text in (f"192.168.1.5:8443 {CODE} {pin32}", f"\t192.168.1.5:8443   {CODE.lower()}\n{pin32.lower()} ",
                 f"192.168.1.5：8443 {CODE.replace('-', ' ')} {pin32}",  # a Chinese IME's colon, the code in groups
                 f"192.168.1.5:8443 {CODE} {pin32[:4]} {pin32[4:8]} {pin32[8:12]} {pin32[12:]}",
                 f"192.168.1.5:8443\u3000{CODE}\u3000{pin32}"):
        assert lan.parse_ticket(text) == want, text


@pytest.mark.parametrize(("text", "reason"), [
    ("", "not_ticket"),
    ("你好", "not_ticket"),
    ("https://192.168.1.5:8443/", "not_ticket"),
    ("YGHJ1:", "not_ticket"),
    ("YGHJ1:192.168.1.5:8443:" + CODE, "not_ticket"),
    ("YGHJ2:192.168.1.5:8443:" + CODE + ":" + "a" * 64, "version"),
    ("YGHJ1:192.168.1.5:99999:" + CODE + ":" + "a" * 64, "port"),
    ("YGHJ1:192.168.1.5:0:" + CODE + ":" + "a" * 64, "port"),
    ("YGHJ1:192.168.1.5:８４４３:" + CODE + ":" + "a" * 64, "port"),
    ("YGHJ1:192.168.1.5:-1:" + CODE + ":" + "a" * 64, "port"),
    ("YGHJ1:999.1.1.1:8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1:0.0.0.0:8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1:fe80::1:8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1:evil_host:8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1:主机.local:8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1::8443:" + CODE + ":" + "a" * 64, "address"),
    ("YGHJ1:192.168.1.5:8443:K7QM-3XRT-PW9A-HC2:" + "a" * 64, "code"),
    ("YGHJ1:192.168.1.5:8443:K7QM-3XRT-PW9A-HC20:" + "a" * 64, "code"),
    ("YGHJ1:192.168.1.5:8443:K7QM-3XRT-PW9A-HCIN:" + "a" * 64, "code"),
    ("YGHJ1:192.168.1.5:8443:" + CODE + ":" + "a" * 63, "fingerprint"),
    ("YGHJ1:192.168.1.5:8443:" + CODE + ":" + "g" * 64, "fingerprint"),
    ("YGHJ1:192.168.1.5:8443:" + CODE + ":" + "A" * 16, "fingerprint"),
    ("192.168.1.5:8443 " + CODE, "not_ticket"),
    ("192.168.1.5 8443 " + CODE + " ABCDEFGHIJKLMNOP", "not_ticket"),
    ("192.168.1.5:70000 " + CODE + " ABCDEFGHIJKLMNOP", "port"),
    ("192.168.1.5:8443 " + CODE + " ABCDEFGHIJKLMNO", "fingerprint"),
    ("192.168.1.5:8443 " + CODE + " ABCDEFGHIJKLMNO9", "fingerprint"),
    ("192.168.1.5:8443 K7QM " + " ABCDEFGHIJKLMNOP", "code"),
    ("192.168.1.5:8443 " + CODE + " " + "a" * 64, "fingerprint"),
    ("192.168.1.5:8443\x00 " + CODE + " ABCDEFGHIJKLMNOP", "port"),
    ("x" * 10_000, "not_ticket"),
])
def test_garbled_tickets_say_what_is_wrong_in_both_languages(text, reason):
    with pytest.raises(StationError) as bad:
        lan.parse_ticket(text)
    assert bad.value.key == "lan_ticket_bad" and bad.value.params["reason"] == reason
    zh, en = bad.value.message("zh"), bad.value.message("en")
    assert zh.startswith("这不是有效的活动主机加入码") and "二维码" in zh
    assert en.startswith("This is not a valid event host join ticket") and "QR code" in en
    assert t(lan.TICKET_REASON_KEYS[reason], "zh") in zh and t(lan.TICKET_REASON_KEYS[reason], "en") in en


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=200) | st.builds(lambda a, b: f"YGHJ1:{a}:{b}", st.text(max_size=60), st.text(max_size=90)))
def test_parse_ticket_never_crashes(text):
    try:
        ticket = lan.parse_ticket(text)
    except StationError as exc:
        assert exc.key == "lan_ticket_bad"
        assert exc.message("zh") and exc.message("en")
    else:
        assert 0 < ticket.port < 65536 and (len(ticket.pin) == 64 or ticket.pin.startswith("b32:"))


_CODEISH = st.text(alphabet=st.sampled_from(hub_service.CODE_ALPHABET + "01IOio-_ ßſkK" + "abcxyz\u00e9"),
                   min_size=0, max_size=24)


@settings(max_examples=300, deadline=None)
@given(_CODEISH)
def test_the_code_is_accepted_exactly_when_the_hub_would_take_it(code):
    assert (lan.CODE_ALPHABET, lan.CODE_LEN) == (hub_service.CODE_ALPHABET,
                                                 hub_service.CODE_GROUPS * hub_service.CODE_GROUP_LEN)
    raw = hub_service.normalize_code(code)
    hub_takes = len(raw) == lan.CODE_LEN and all(ch in hub_service.CODE_ALPHABET for ch in raw)
    text = f"YGHJ1:10.0.0.2:8443:{code}:{'a' * 64}"
    try:
        ticket = lan.parse_ticket(text)
    except StationError as exc:
        assert not hub_takes and exc.params["reason"] in ("code", "not_ticket")
    else:
        assert hub_takes and hub_service.normalize_code(ticket.code) == raw


# -- the identity on disk ---------------------------------------------------------------------------


def test_the_identity_is_kept_while_it_fits_and_made_anew_when_not(tmp_path, monkeypatch):
    d = tmp_path / "tls"
    cert_path, key_path, pem = lan.load_or_make_identity(d, ["192.168.1.5"], "一号主机")
    assert (cert_path, key_path) == (d / "host-cert.pem", d / "host-key.pem")
    assert cert_path.read_text() == pem
    if os.name != "nt":
        assert key_path.stat().st_mode & 0o777 == 0o600
    assert lan.load_or_make_identity(d, ["192.168.1.5"], "一号主机")[2] == pem
    assert lan.load_or_make_identity(d, ["localhost", "127.0.0.1"], "一号主机")[2] == pem  # always named
    moved = lan.load_or_make_identity(d, ["192.168.1.9"], "一号主机")[2]  # DHCP gave another address
    assert moved != pem
    assert lan.load_or_make_identity(d, ["192.168.1.9"], "一号主机")[2] == moved

    key_path.write_text("garbage")
    broken = lan.load_or_make_identity(d, ["192.168.1.9"], "一号主机")[2]
    assert broken != moved and "PRIVATE KEY" in key_path.read_text()

    _, other_key = lan.make_host_cert(["192.168.1.9"], "别的主机")
    key_path.write_text(other_key)  # a key that is not the certificate's
    assert lan.load_or_make_identity(d, ["192.168.1.9"], "一号主机")[2] != broken

    cert_path.unlink()
    lonely = lan.load_or_make_identity(d, ["192.168.1.9"], "一号主机")[2]
    assert cert_path.read_text() == lonely

    monkeypatch.setattr(lan, "VALID_FOR", dt.timedelta(days=10))
    assert lan.load_or_make_identity(d, [], "一号主机")[2] == lonely  # the two-year one is still good
    cert_path.unlink()
    short_lived = lan.load_or_make_identity(d, [], "一号主机")[2]
    monkeypatch.undo()
    assert lan.load_or_make_identity(d, [], "一号主机")[2] != short_lived  # expiring within 30 days: renewed
    assert sorted(p.name for p in d.iterdir()) == ["host-cert.pem", "host-key.pem"]  # no temp files left


def test_a_long_or_empty_name_still_makes_a_certificate():
    for name in ("", "   ", "广东省总工会" * 30):
        pem, _ = lan.make_host_cert([], name)
        assert x509.load_pem_x509_certificate(pem.encode()).subject


# -- addresses --------------------------------------------------------------------------------------


def test_lan_addresses_are_reachable_ipv4_primary_first():
    found = lan.lan_addresses()
    assert found and len(found) == len(set(found))
    for address in found:
        ip = ipaddress.IPv4Address(address)
        assert found == ["127.0.0.1"] or not (ip.is_loopback or ip.is_link_local)


def test_lan_addresses_never_raise(monkeypatch):
    def fail(*args, **kwargs):
        raise OSError("no network")

    monkeypatch.setattr(socket, "getaddrinfo", fail)
    assert lan.lan_addresses()
    monkeypatch.setattr(socket, "socket", fail)
    assert lan.lan_addresses() == ["127.0.0.1"]
