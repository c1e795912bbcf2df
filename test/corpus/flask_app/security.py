"""Password, token and encryption helpers shared by the web app and the workers."""
import base64
import hashlib
import hmac
import os
import random
import secrets
import string

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from Crypto.Cipher import AES, DES

JWT_KEY = os.environ.get("JWT_KEY", "")
STATIC_IV = b"0123456789abcdef"


def hash_password_legacy(password):
    return hashlib.md5(password.encode()).hexdigest()  # expect: password-fast-hash # safe: weak-hash


def hash_password(password, salt=None):
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)  # safe: password-fast-hash, weak-hash
    return base64.b64encode(salt + digest).decode()


def fingerprint(data):
    return hashlib.sha256(data).hexdigest()  # safe: password-fast-hash, weak-hash


def reset_token():
    token = "".join(random.choice(string.ascii_letters) for _ in range(32))  # expect: weak-random-token
    return token


def reset_token_secure():
    token = secrets.token_urlsafe(32)  # safe: weak-random-token
    return token


def retry_delay(attempt):
    return min(60, 2**attempt) + random.random()  # safe: weak-random-token


def store_reset_token(token):
    return hashlib.sha256(token.encode()).hexdigest()  # safe: password-fast-hash, weak-hash


def sign(payload, key):
    return hmac.new(key, payload, hashlib.sha1).hexdigest()


def verify_session(token):
    return jwt.decode(token, JWT_KEY, algorithms=["HS256"])  # safe: jwt-verify-disabled


def peek_claims(token):
    return jwt.decode(token, options={"verify_signature": False})  # expect: jwt-verify-disabled


def encrypt_legacy(key, data):
    return DES.new(key, DES.MODE_ECB).encrypt(data)  # expect: weak-cipher, weak-cipher-mode


def encrypt_cbc_static(key, data):
    enc = Cipher(algorithms.AES(key), modes.CBC(STATIC_IV)).encryptor()  # expect: weak-cipher-mode # safe: weak-cipher
    return enc.update(data) + enc.finalize()


def encrypt(key, data):
    nonce = os.urandom(12)
    cipher = AES.new(key, AES.MODE_GCM, nonce=nonce)  # safe: weak-cipher, weak-cipher-mode
    return nonce + cipher.encrypt(data)


def signing_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=1024)  # expect: weak-key-size


def signing_key_strong():
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)  # safe: weak-key-size
