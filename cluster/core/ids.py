"""Identifiers and deterministic randomness.

The API server draws uids and ``generateName`` suffixes from one seeded
``random.Random`` per sandbox, so the same seed and the same commands give the
same names. Reconcilers must be idempotent, so instead of consuming a shared
stream they derive "random" choices from a hash of what they are deciding
about (``stable_random(pod_uid, "pull")``): asked twice, they answer the same.
"""

from __future__ import annotations

import hashlib
import random

# apimachinery/pkg/util/rand: no vowels, no 0/1/3, to avoid bad words and confusion.
NAME_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


class IdSource:
    """Seeded source of uids and name suffixes; its state is persisted with the sandbox."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def uid(self) -> str:
        """A RFC 4122 version-4-shaped uid from the seeded generator."""
        value = self.rng.getrandbits(128)
        value = (value & ~(0xF000 << 64)) | (0x4000 << 64)  # version 4
        value = (value & ~(0xC000 << 48)) | (0x8000 << 48)  # variant 10xx
        text = f"{value:032x}"
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"

    def suffix(self, length: int = 5) -> str:
        return "".join(self.rng.choice(NAME_ALPHABET) for _ in range(length))

    def get_state(self) -> list[object]:
        version, internal, gauss = self.rng.getstate()
        return [version, list(internal), gauss]

    def set_state(self, state: list[object]) -> None:
        version, internal, gauss = state
        self.rng.setstate((version, tuple(internal), gauss))  # type: ignore[arg-type]


def stable_random(*parts: object) -> random.Random:
    """A generator seeded by the parts: the same parts always give the same draws."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))
