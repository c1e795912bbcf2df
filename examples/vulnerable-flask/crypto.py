"""Cryptography done wrong."""
import ssl

from Crypto.Cipher import AES, DES
from cryptography.hazmat.primitives.asymmetric import rsa


def legacy_encrypt(key, data):
    return DES.new(key, DES.MODE_ECB).encrypt(data)


def aes_encrypt(key, data):
    return AES.new(key, AES.MODE_ECB).encrypt(data)


def make_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)


def insecure_context():
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def safe_enough():
    # Suppressed on purpose: this one talks to a local test server only.
    return ssl._create_unverified_context()  # pysec: ignore[tls-unverified-context]
