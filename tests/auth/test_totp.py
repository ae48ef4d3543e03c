"""TOTP: RFC 6238's own vectors, oathtool's codes, and what people actually type."""

from __future__ import annotations

import base64
import subprocess
from datetime import UTC, datetime

import pytest

from desk.auth.totp import code_at, matching_step, new_seed, normalise_code, time_step
from tests.conftest import need_command

# RFC 6238 Appendix B: the seeds are ASCII "1234567890" repeated to each hash's key length.
SEEDS = {
    "sha1": base64.b32encode(b"12345678901234567890").decode(),
    "sha256": base64.b32encode(b"12345678901234567890123456789012").decode(),
    "sha512": base64.b32encode(b"1234567890" * 6 + b"1234").decode(),
}
VECTORS = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("unix", "sha1", "sha256", "sha512"), VECTORS)
def test_rfc6238_appendix_b(unix: int, sha1: str, sha256: str, sha512: str) -> None:
    moment = datetime.fromtimestamp(unix, UTC)
    for digest, expected in (("sha1", sha1), ("sha256", sha256), ("sha512", sha512)):
        step = matching_step(SEEDS[digest], expected, moment, digits=8, digest=digest, drift=0)
        assert step == unix // 30
        # Desk's six-digit codes are the same truncation, mod 10^6
        assert matching_step(SEEDS[digest], expected[-6:], moment, digest=digest) == unix // 30


def test_one_step_of_drift_either_way_and_no_more() -> None:
    seed, moment = new_seed(), datetime(2026, 11, 26, 9, 0, 15, tzinfo=UTC)
    now = time_step(moment)
    for offset in (-1, 0, 1):
        assert matching_step(seed, code_at(seed, now + offset), moment) == now + offset
    for offset in (-2, 2):
        assert matching_step(seed, code_at(seed, now + offset), moment) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("123456", "123456"),
        ("123 456", "123456"),
        ("123-456", "123456"),
        ("１２３４５６", "123456"),  # full-width
        ("١٢٣٤٥٦", "123456"),  # Arabic-Indic
        ("१२३४५६", "123456"),  # Devanagari
        ("12345", None),
        ("1234567", None),
        ("12345a", None),
        ("", None),
    ],
)
def test_look_alike_digits_are_the_same_code(typed: str, expected: str | None) -> None:
    assert normalise_code(typed) == expected


def test_seeds_are_160_bits_and_random() -> None:
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(len(base64.b32decode(s)) == 20 for s in seeds)


@pytest.mark.oathtool
def test_oathtool_codes_match() -> None:
    oathtool = need_command("oathtool")
    seed = new_seed()
    for stamp in ("2026-11-26 09:00:00 UTC", "2031-01-01 23:59:59 UTC"):
        made = subprocess.run(
            [oathtool, "--totp", "-b", seed, "-N", stamp],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        moment = datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S UTC").replace(tzinfo=UTC)
        assert matching_step(seed, made, moment, drift=0) == time_step(moment)
