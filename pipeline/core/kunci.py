"""The workspace's Ed25519 signing key (made by `init`) and the public-key files handed over.

The private key lives only in `<root>/.musrenbang/kunci/kunci-privat.pem` (mode 0600); it is
never written to outbox, a package, a receipt or a backup. The public key travels as
`outbox/Kunci Publik Kecamatan <Nama>.pub`: a PEM block (SubjectPublicKeyInfo) after a few
comment lines saying whose key it is. A fingerprint is `SHA256:` and the first 32 hex digits of
the sha256 of the raw 32-byte public key, in groups of four, easy to read over the phone.
"""

from __future__ import annotations

import base64
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from pipeline.core import atomic

PRIVATE_NAME = "kunci-privat.pem"
PUBLIC_NAME = "kunci-publik.pem"
MAX_PUB_BYTES = 16 * 1024


class KunciError(Exception):
    """A public-key file that is not one (the message is for the operator)."""


def key_dir(root: Path) -> Path:
    return root / ".musrenbang" / "kunci"


def ensure_key(root: Path) -> Ed25519PublicKey:
    """Make the workspace's key pair once; later calls keep the existing one."""
    folder = key_dir(root)
    private = folder / PRIVATE_NAME
    if private.exists():
        return load_private(root).public_key()
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = folder / (PRIVATE_NAME + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(tmp, 0o600)
    os.replace(tmp, private)
    atomic.write_bytes(folder / PUBLIC_NAME, public_pem(key.public_key()))
    return key.public_key()


def load_private(root: Path) -> Ed25519PrivateKey:
    data = (key_dir(root) / PRIVATE_NAME).read_bytes()
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise KunciError("kunci privat workspace bukan kunci Ed25519.")
    return key


def has_key(root: Path) -> bool:
    return (key_dir(root) / PRIVATE_NAME).exists()


def public_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def raw(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def fingerprint(raw_key: bytes) -> str:
    digest = hashlib.sha256(raw_key).hexdigest()[:32].upper()
    return "SHA256:" + "-".join(digest[i : i + 4] for i in range(0, 32, 4))


def pub_file_text(key: Ed25519PublicKey, kode: str, nama: str) -> bytes:
    """The `.pub` file a kecamatan hands to Bappeda."""
    head = (
        f"# Kunci publik Musrenbang Kecamatan {nama} ({kode})\n"
        f"# Sidik: {fingerprint(raw(key))}\n"
        f"# Daftarkan di Bappeda: musrenbang kunci daftar {kode} BERKAS_INI\n"
    )
    return head.encode() + public_pem(key)


def read_pub_file(path: Path) -> bytes:
    """The raw 32-byte key of a `.pub` file (comment lines skipped), or KunciError."""
    try:
        data = path.read_bytes()[: MAX_PUB_BYTES + 1]
    except OSError as exc:
        raise KunciError(f"Berkas kunci {path} tidak dapat dibaca ({exc.strerror}).") from exc
    if len(data) > MAX_PUB_BYTES:
        raise KunciError(f"Berkas {path.name} terlalu besar untuk sebuah kunci publik.")
    start = data.find(b"-----BEGIN PUBLIC KEY-----")
    try:
        if start < 0:
            raise ValueError("no PEM block")
        key = serialization.load_pem_public_key(data[start:])
    except (ValueError, TypeError) as exc:
        raise KunciError(
            f"Berkas {path.name} bukan kunci publik Musrenbang (blok PEM tidak ditemukan "
            "atau rusak). Minta kecamatan mengirim ulang berkas 'Kunci Publik Kecamatan "
            "….pub' dari outbox-nya."
        ) from exc
    if not isinstance(key, Ed25519PublicKey):
        raise KunciError(f"Berkas {path.name} bukan kunci Ed25519.")
    return raw(key)


def sign(root: Path, data: bytes) -> bytes:
    """The base64 Ed25519 signature of `data` by this workspace's key."""
    return base64.b64encode(load_private(root).sign(data)) + b"\n"


def verify(raw_key: bytes, data: bytes, signature_b64: bytes) -> bool:
    try:
        signature = base64.b64decode(signature_b64.strip(), validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(signature, data)
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
