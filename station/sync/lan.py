"""The event host's TLS identity, its join ticket and certificate pinning (issue 15).

The event host serves the sync API on the local Wi-Fi over TLS with a
self-signed certificate (``load_or_make_identity``).  Its screen shows a
join ticket — address, one-time enrollment code, certificate fingerprint —
as a QR code or a line a person can type::

    YGHJ1:192.168.1.5:8443:K7QM-3XRT-PW9A-HC2N:<64 hex: SHA-256 of the DER>
    192.168.1.5:8443 K7QM-3XRT-PW9A-HC2N <16 base32 symbols of that SHA-256: 80 bits>

A joining station keeps the certificate the address presents only if it
has the ticket's fingerprint (``fetch_pinned``) and from then on trusts it
and nothing else (``pinned_context``): a laptop sharing the Wi-Fi can
neither read nor answer in the host's place.  Host names are not checked:
the pin is the identity, and DHCP changes addresses.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import ipaddress
import os
import re
import secrets
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from station.errors import StationError
from station.i18n import t

CERT_FILE, KEY_FILE = "host-cert.pem", "host-key.pem"
QR_PREFIX = "YGHJ1:"
B32_PREFIX = "b32:"
B32_LEN = 16  # symbols of the short form's pin: 80 bits
MIN_HEX_PIN = 20  # a hex prefix shorter than the short form's 80 bits is never accepted
VALID_FOR = dt.timedelta(days=730)
RENEW_BEFORE = dt.timedelta(days=30)
# The reference hub's enrollment codes (station/hub/service.py, checked by tests/test_lan.py).
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_LEN, CODE_GROUP_LEN = 16, 4
_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_PORT = re.compile(r"[0-9]{1,5}")
_HEX64 = re.compile(r"[0-9a-f]{64}")
_B32 = re.compile(r"[A-Z2-7]{16}")
_TYPO = str.maketrans({"0": "O", "1": "I"})  # not in base32: what a person typing meant
# Why a ticket was refused, in the reader's language (TicketBad.message).
TICKET_REASON_KEYS: dict[str, str] = {
    "not_ticket": "lan_reason_not_ticket", "version": "lan_reason_version", "port": "lan_reason_port",
    "address": "lan_reason_address", "code": "lan_reason_code", "fingerprint": "lan_reason_fingerprint",
}


# -- the host's certificate ---------------------------------------------------------------------------


def _san_entry(address: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(address))
    except ValueError:
        return x509.DNSName(address.lower())


def make_host_cert(addresses: list[str], common_name: str) -> tuple[str, str]:
    """(cert_pem, key_pem): a self-signed ECDSA P-256 certificate that is its own trust anchor.

    SubjectAlternativeNames: every address (IPAddress when it parses as one,
    else DNSName), ``localhost`` and 127.0.0.1.  A CA (critical
    BasicConstraints) with key identifiers, as VERIFY_X509_STRICT wants of
    the only entry of ``cadata``.  Valid from a day ago (field laptops'
    clocks drift) for two years.
    """
    key = ec.generate_private_key(ec.SECP256R1())
    names: list[x509.GeneralName] = []
    for address in [*addresses, "localhost", "127.0.0.1"]:
        entry = _san_entry(address.strip())
        if entry not in names:
            names.append(entry)
    cn = (common_name.strip() or "YGH event host").encode()[:64].decode(errors="ignore")  # 64 bytes at most
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])
    now = dt.datetime.now(dt.timezone.utc)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + VALID_FOR)
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, content_commitment=False,
                                     key_encipherment=False, data_encipherment=False, key_agreement=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return cert.public_bytes(serialization.Encoding.PEM).decode(), key_pem.decode()


def _der(cert: str | bytes) -> bytes:
    """DER of a PEM certificate (str or bytes); DER bytes as they are.  ValueError for a bad PEM."""
    data = cert.encode() if isinstance(cert, str) else bytes(cert)
    if isinstance(cert, str) or data.lstrip().startswith(b"-----"):
        return x509.load_pem_x509_certificate(data).public_bytes(serialization.Encoding.DER)
    return data


def fingerprint(cert_pem: str) -> str:
    """SHA-256 of the certificate's DER, 64 lowercase hex digits."""
    return hashlib.sha256(_der(cert_pem)).hexdigest()


def _usable(cert_path: Path, key_path: Path, addresses: list[str]) -> str | None:
    """The PEM of an existing pair that parses, matches, covers ``addresses`` and is not about to expire."""
    try:
        cert_pem = cert_path.read_text(encoding="ascii")
        cert = x509.load_pem_x509_certificate(cert_pem.encode())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        if not isinstance(key, ec.EllipticCurvePrivateKey) or \
                key.public_key().public_bytes(*spki) != cert.public_key().public_bytes(*spki):
            return None
        now = dt.datetime.now(dt.timezone.utc)
        if not cert.not_valid_before_utc <= now <= cert.not_valid_after_utc - RENEW_BEFORE:
            return None
        if all(_san_entry(a.strip()) in sans for a in addresses):
            return cert_pem
    except (OSError, ValueError, TypeError, UnsupportedAlgorithm, x509.ExtensionNotFound):
        pass
    return None


def _write_atomic(path: Path, data: str, mode: int) -> None:
    """Write a temp file beside ``path`` (created with ``mode`` where the OS honours it), then replace."""
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data.encode("ascii"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def load_or_make_identity(directory: Path, addresses: list[str], name: str) -> tuple[Path, Path, str]:
    """(cert_path, key_path, cert_pem) of the host's identity in ``directory``.

    The existing pair is kept when it is sound and names every address;
    otherwise a new one is made (a new fingerprint: stations join anew).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / CERT_FILE, directory / KEY_FILE
    cert_pem = _usable(cert_path, key_path, addresses)
    if cert_pem is None:
        cert_pem, key_pem = make_host_cert(addresses, name)
        _write_atomic(key_path, key_pem, 0o600)
        _write_atomic(cert_path, cert_pem, 0o644)
    return cert_path, key_path, cert_pem


def lan_addresses() -> list[str]:
    """This machine's IPv4 addresses other laptops on the Wi-Fi could reach, the primary one first.

    Loopback and link-local addresses only when nothing else is found
    (then ["127.0.0.1"]).  Never raises.
    """
    found: list[str] = []
    with contextlib.suppress(OSError, ValueError, IndexError), socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.connect(("10.255.255.255", 1))  # a UDP "connect" sends nothing; it only picks the route
        found.append(str(s.getsockname()[0]))
    with contextlib.suppress(OSError, ValueError, IndexError):  # UnicodeError is a ValueError
        found += [str(info[4][0]) for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET)]
    usable: list[str] = []
    for text in found:
        with contextlib.suppress(ValueError):
            ip = ipaddress.IPv4Address(text)
            if not (ip.is_loopback or ip.is_link_local or ip.is_unspecified) and text not in usable:
                usable.append(text)
    return usable or ["127.0.0.1"]


# -- the join ticket ----------------------------------------------------------------------------------


class TicketBad(StationError):
    """A text that is not a join ticket; ``reason`` (a TICKET_REASON_KEYS key) is named in the reader's language."""

    def __init__(self, reason: str) -> None:
        super().__init__("lan_ticket_bad", reason=reason)

    def message(self, lang: str | None = None) -> str:
        return t(self.key, lang, reason=t(TICKET_REASON_KEYS[str(self.params["reason"])], lang))


def _b32_pin(pin: str) -> str:
    """The short form's 16 base32 symbols of a hex pin (at least 20 hex digits)."""
    if pin.startswith(B32_PREFIX):
        return pin[len(B32_PREFIX):]
    return base64.b32encode(bytes.fromhex(pin[:MIN_HEX_PIN])).decode()[:B32_LEN]


@dataclass(frozen=True)
class JoinTicket:
    """Where the event host is, the one-time code it handed out, and its certificate's fingerprint."""

    host: str
    port: int
    code: str
    pin: str

    def qr_text(self) -> str:
        """``YGHJ1:host:port:code:pin`` with the full 64-hex pin (ValueError for a short-form pin)."""
        if not _HEX64.fullmatch(self.pin):
            raise ValueError("the QR form needs the full fingerprint")
        return f"{QR_PREFIX}{self.host}:{self.port}:{self.code}:{self.pin}"

    def short_text(self) -> str:
        """``host:port code PIN32``: what a person types from the host's screen."""
        return f"{self.host}:{self.port} {self.code} {_b32_pin(self.pin)}"


def _host(text: str) -> str:
    host = text.strip().lower().rstrip(".")
    labels = host.split(".")
    if all(label.isascii() and label.isdigit() for label in labels):
        try:
            ip = ipaddress.IPv4Address(host)
        except ValueError:
            raise TicketBad("address") from None
        if ip.is_unspecified or ip.is_multicast or ip == ipaddress.IPv4Address("255.255.255.255"):
            raise TicketBad("address")
        return host
    if len(host) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise TicketBad("address")  # an IPv6 address among them: the event host serves IPv4
    return host


def _port(text: str) -> int:
    if not _PORT.fullmatch(text.strip()) or not 0 < int(text) < 65536:
        raise TicketBad("port")
    return int(text)


def _code(text: str) -> str:
    """The code grouped as the hub prints it; accepted exactly when the hub's normalize_code makes a code of it."""
    raw = "".join(ch for ch in text.upper() if ch.isalnum())
    if len(raw) != CODE_LEN or any(ch not in CODE_ALPHABET for ch in raw):
        raise TicketBad("code")
    return "-".join(raw[i:i + CODE_GROUP_LEN] for i in range(0, CODE_LEN, CODE_GROUP_LEN))


def parse_ticket(text: str) -> JoinTicket:
    """The ticket in ``text`` (QR or short form, whitespace and case tolerant); TicketBad otherwise."""
    text = (text or "").replace("\uff1a", ":").strip()  # a Chinese IME's full-width colon
    if not text or len(text) > 600:
        raise TicketBad("not_ticket")
    if text[:4].upper() == "YGHJ":
        compact = "".join(text.split())
        if compact[:len(QR_PREFIX)].upper() != QR_PREFIX:
            raise TicketBad("version" if re.match(r"YGHJ[0-9]+:", compact, re.I) else "not_ticket")
        parts = compact[len(QR_PREFIX):].rsplit(":", 3)
        if len(parts) != 4:
            raise TicketBad("not_ticket")
        host, port, code, pin = parts
        ticket_pin = pin.lower() if _HEX64.fullmatch(pin.lower()) else ""
    else:
        words = text.split()
        if len(words) < 3 or words[0].count(":") != 1:
            raise TicketBad("not_ticket")
        host, port = words[0].split(":")
        code, pin = " ".join(words[1:-1]), words[-1]
        if len(words) > 3:  # the code, or the pin, typed in groups: 16 + 16 symbols in all
            joined = "".join(ch for ch in "".join(words[1:]).upper() if ch.isalnum())
            if len(joined) == CODE_LEN + B32_LEN:
                code, pin = joined[:CODE_LEN], joined[CODE_LEN:]
        pin = pin.upper().replace("-", "").translate(_TYPO)
        ticket_pin = B32_PREFIX + pin if _B32.fullmatch(pin) else ""
    ticket = JoinTicket(_host(host), _port(port), _code(code), ticket_pin)
    if not ticket_pin:
        raise TicketBad("fingerprint")
    return ticket


# -- pinning ----------------------------------------------------------------------------------------


def pin_matches(pin: str, cert_pem_or_der: str | bytes) -> bool:
    """Whether the certificate has this pin: 64 hex (or a hex prefix of at least 20) or ``b32:`` + 16 symbols."""
    try:
        digest = hashlib.sha256(_der(cert_pem_or_der)).digest()
    except ValueError:
        return False
    pin = (pin or "").strip()
    if pin.startswith(B32_PREFIX):
        want, have = pin[len(B32_PREFIX):].upper(), base64.b32encode(digest).decode()[:B32_LEN]
    else:
        want, have = pin.lower(), digest.hex()[:max(len(pin), MIN_HEX_PIN)]
    return want.isascii() and len(want) == len(have) and hmac.compare_digest(want.encode(), have.encode())


def fetch_pinned(host: str, port: int, pin: str, timeout: float = 5.0) -> str:
    """The PEM of the certificate ``host:port`` presents, if it has ``pin``.

    The handshake is made without verification on purpose: the pin is the
    check, made here before anything is sent.  StationError
    ``lan_pin_mismatch`` for another certificate, ``lan_unreachable`` when
    no TLS server answers.
    """
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname, ctx.verify_mode, ctx.minimum_version = False, ssl.CERT_NONE, ssl.TLSVersion.TLSv1_2
    try:
        with socket.create_connection((host, port), timeout=timeout) as raw, \
                ctx.wrap_socket(raw, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    except (OSError, ValueError) as exc:  # ssl.SSLError, timeouts and refusals are OSErrors
        detail = str(exc)[:200] or type(exc).__name__
        raise StationError("lan_unreachable", host=host, port=port, detail=detail) from None
    if not der:
        raise StationError("lan_unreachable", host=host, port=port, detail="no certificate")
    if not pin_matches(pin, der):
        raise StationError("lan_pin_mismatch", host=host, port=port)
    return ssl.DER_cert_to_PEM_cert(der)


def pinned_context(cert_pem: str) -> ssl.SSLContext:
    """A client context that trusts exactly ``cert_pem`` (no system CAs), any host name, TLS 1.2 or later."""
    ctx = ssl.create_default_context(cadata=cert_pem)
    ctx.check_hostname = False  # the pin is the identity; DHCP changes the address
    ctx.verify_mode = ssl.CERT_REQUIRED
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.verify_flags |= ssl.VERIFY_X509_STRICT  # as Python 3.13 does by default, on every version
    return ctx
