"""Sealing a ballot with its round's public key, and opening it again when voting closes.

A sealed ballot is a libsodium sealed box (X25519 and XSalsa20-Poly1305): anyone with
the public key can seal, only the private key opens, and the sealer is anonymous. The
private key is never stored: it is derived from ``settings.BALLOT_SEAL_KEY`` (kept in
the server's environment, not in the database) and the round's random salt, which
mixing erases. Choices are padded to a multiple of ``BLOCK`` bytes before sealing, so
that the length of a sealed ballot does not tell how many plans it holds.

A voter's shortlist (the plans ticked while choosing, kept until they vote) is
encrypted too, with a secret key derived from the same two, so that a copy of the
database alone does not show what anyone was about to choose. The app opens it on the
voter's own pages; it is deleted when the person votes and when the ballot box closes.
"""

import hashlib
import hmac
import json
import secrets

from django.conf import settings
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

BLOCK = 512


class BrokenSeal(Exception):
    """A sealed ballot could not be opened with the round's key."""


def new_key():
    """``(salt, public key bytes)`` of a new ballot box."""
    salt = secrets.token_bytes(32)
    return salt, bytes(private_key(salt).public_key)


def private_key(salt):
    digest = hmac.new(
        settings.BALLOT_SEAL_KEY.encode(), b"osallistu ballot box\x00" + bytes(salt), hashlib.sha256
    ).digest()
    return PrivateKey(digest)


def seal(public_key, *, district_id, plan_ids):
    """The choices, sealed for the holder of the private key of ``public_key``."""
    plain = json.dumps({"district": district_id, "plans": sorted(plan_ids)}).encode()
    padded = plain + b" " * (-len(plain) % BLOCK)
    return SealedBox(PublicKey(bytes(public_key))).encrypt(padded)


def opener(salt):
    """A function that opens ballots sealed with the key of ``salt``, giving
    ``(district id, [plan ids])``."""
    box = SealedBox(private_key(salt))

    def open_sealed(sealed):
        try:
            choices = json.loads(box.decrypt(bytes(sealed)))
        except (CryptoError, ValueError) as error:
            raise BrokenSeal("a sealed ballot does not open with its round's key") from error
        return choices["district"], choices["plans"]

    return open_sealed


def shortlist_box(salt):
    """The secret box of the shortlists of the round whose salt is ``salt``."""
    digest = hmac.new(
        settings.BALLOT_SEAL_KEY.encode(), b"osallistu shortlist\x00" + bytes(salt), hashlib.sha256
    ).digest()
    return SecretBox(digest)


def seal_shortlist(salt, plan_ids):
    """The plan ids, padded like a ballot and encrypted for this round's shortlists."""
    plain = json.dumps(sorted(plan_ids)).encode()
    return shortlist_box(salt).encrypt(plain + b" " * (-len(plain) % BLOCK))


def open_shortlist(salt, sealed):
    """The plan ids of a shortlist, or BrokenSeal."""
    try:
        return set(json.loads(shortlist_box(salt).decrypt(bytes(sealed))))
    except (CryptoError, ValueError) as error:
        raise BrokenSeal("a shortlist does not open with its round's key") from error
