"""SHA-1 without loading OpenSSL: CPython's own implementation (the one hashlib falls back to), for the
cache keys read at start-up (parsed data files, recent-file titles). Importing hashlib loads OpenSSL's
libcrypto, which cost 3.5 ms of the app's start-up; evidence and package hashes still use hashlib."""

from __future__ import annotations

try:
    from _sha1 import sha1
except ImportError:  # a Python without it
    from hashlib import sha1

__all__ = ["sha1"]
