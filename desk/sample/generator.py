"""A seeded generator of realistic items, for the demo profile and the benchmarks.

``generate(n, seed)`` yields ``n`` items in time order, the same ones for the same arguments,
in constant memory. Platforms are weighted as a force's desk sees them (Facebook and X most),
each with several official accounts; authors follow a Zipf-like curve (a few people post a lot,
most once); comments and replies gather under the force's own posts (road closures, missing
person and crime appeals, events, scam warnings); times follow the day (quiet before dawn,
busy in the evening); about 4% of items are risky (every risk category, written realistically
but not graphically), about 3% are in Welsh, and some are direct messages.
"""

from __future__ import annotations

import json
import random
from bisect import bisect_right
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from pathlib import Path
from typing import Generic, TypeVar

from desk.core.items import Author, IncomingItem, ItemKind, Platform

__all__ = ["DEFAULT_SPAN", "DEFAULT_START", "RISK_SHARE", "WELSH_SHARE", "generate", "write_jsonl"]

DEFAULT_START = datetime(2026, 11, 1, tzinfo=UTC)
DEFAULT_SPAN = timedelta(days=30)
RISK_SHARE = 0.04
WELSH_SHARE = 0.03
AUTHOR_POOL = 50_000
_T = TypeVar("_T")
_ZIPF_S = 1.1  # Zipf-Mandelbrot: weight of the k-th poster is 1 / (k + q) ** s
_ZIPF_Q = 20

# --- the force's accounts --------------------------------------------------------------------

_PLATFORMS: tuple[tuple[Platform, float, tuple[tuple[str, float], ...]], ...] = (
    (
        Platform.FACEBOOK,
        0.40,
        (
            ("Exampleshire Police (Facebook page)", 0.6),
            ("Exampleshire Police North (Facebook page)", 0.2),
            ("Exampleshire Roads Policing (Facebook page)", 0.2),
        ),
    ),
    (
        Platform.X,
        0.27,
        (
            ("@ExampleshirePolice", 0.55),
            ("@ExampleshireCops_North", 0.2),
            ("@ExampleshireRPU", 0.15),
            ("@ExampleshireCC", 0.1),
        ),
    ),
    (Platform.INSTAGRAM, 0.09, (("@exampleshirepolice", 0.8), ("@exampleshire_dogs", 0.2))),
    (
        Platform.NEXTDOOR,
        0.06,
        (("Exampleshire Police – North", 0.5), ("Exampleshire Police – South", 0.5)),
    ),
    (Platform.TIKTOK, 0.04, (("@exampleshirepolice", 1.0),)),
    (Platform.BLUESKY, 0.04, (("@exampleshirepolice.bsky.social", 1.0),)),
    (Platform.WHATSAPP, 0.03, (("Exampleshire Police WhatsApp", 1.0),)),
    (Platform.YOUTUBE, 0.03, (("Exampleshire Police (YouTube)", 1.0),)),
    (Platform.MASTODON, 0.02, (("@ExampleshirePolice@police.example", 1.0),)),
    (Platform.LINKEDIN, 0.02, (("Exampleshire Police (LinkedIn)", 1.0),)),
)

_KINDS: dict[Platform, tuple[tuple[ItemKind, float], ...]] = {
    Platform.FACEBOOK: (
        (ItemKind.COMMENT, 0.72),
        (ItemKind.REPLY, 0.15),
        (ItemKind.DIRECT_MESSAGE, 0.09),
        (ItemKind.REVIEW, 0.04),
    ),
    Platform.X: ((ItemKind.REPLY, 0.52), (ItemKind.MENTION, 0.38), (ItemKind.DIRECT_MESSAGE, 0.1)),
    Platform.INSTAGRAM: (
        (ItemKind.COMMENT, 0.8),
        (ItemKind.DIRECT_MESSAGE, 0.14),
        (ItemKind.MENTION, 0.06),
    ),
    Platform.NEXTDOOR: ((ItemKind.COMMENT, 0.85), (ItemKind.REPLY, 0.15)),
    Platform.TIKTOK: ((ItemKind.COMMENT, 0.92), (ItemKind.DIRECT_MESSAGE, 0.08)),
    Platform.BLUESKY: ((ItemKind.REPLY, 0.6), (ItemKind.MENTION, 0.4)),
    Platform.WHATSAPP: ((ItemKind.DIRECT_MESSAGE, 1.0),),
    Platform.YOUTUBE: ((ItemKind.COMMENT, 0.95), (ItemKind.REPLY, 0.05)),
    Platform.MASTODON: (
        (ItemKind.REPLY, 0.55),
        (ItemKind.MENTION, 0.35),
        (ItemKind.DIRECT_MESSAGE, 0.1),
    ),
    Platform.LINKEDIN: ((ItemKind.COMMENT, 0.9), (ItemKind.MENTION, 0.1)),
}

# Relative activity by hour of day (UK social media on a force's accounts).
_HOURLY = (
    0.9, 0.6, 0.4, 0.3, 0.25, 0.3, 0.6, 1.2, 1.8, 2.0, 2.0, 2.1,
    2.4, 2.3, 2.0, 2.0, 2.2, 2.5, 2.9, 3.2, 3.3, 3.0, 2.4, 1.6,
)  # fmt: skip
_WEEKDAY = (1.0, 1.0, 1.0, 1.0, 1.1, 1.2, 1.05)  # Monday first


def _split(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --- words -----------------------------------------------------------------------------------

_FIRST = _split(
    "Sarah Dave Emma James Laura Mark Claire Paul Rachel Chris Lisa Gareth Rhys Siân Ffion "
    "Dafydd Cerys Megan Aled Bethan Tom Amy Jack Chloe Dan Sophie Mike Kate Steve Jo Priya Ali "
    "Fatima Wojciech Agnieszka Tariq Nia Kieran Shannon Liam Ellie Ben Hannah Sam Lee Gemma "
    "Craig Zoe Ryan Jade Adam Leanne Carl Kerry Wayne Donna Pete Sue Bob Margaret Ann Pat Ravi "
    "Mohammed Aisha Olu Grace Callum Jordan Bryony Tegan Iolo Osian Seren Owain Elin"
)
_LAST = _split(
    "Jenkins Hughes Smith Jones Williams Taylor Brown Davies Evans Wilson Thomas Johnson Roberts "
    "Robinson Wright Walker White Edwards Green Hall Wood Harris Lewis Martin Jackson Clarke "
    "Clark Turner Hill Scott Cooper Morris Ward Moore King Watson Baker Harrison Morgan Patel "
    "Young Allen Mitchell James Anderson Phillips Lee Bell Parker Davis Kowalski Nowak Khan "
    "Ahmed Begum Okafor Price Bennett Griffiths Pritchard Rees Powell Owen Lloyd Parry Howells"
)
_PLACES = _split(
    "Examplebury Northfield Westcombe Millbrook Stonebridge Ashworth Kingsford Harrowden "
    "Longmere Fairhaven Oakhurst Redcliffe Bramley Eastleigh Cobham"
)
_WELSH_PLACES = ("Llanfair", "Abercwm", "Pentre Bach", "Bryn Glas", "Cwm Du", "Llanelwy")
_STREETS = (
    "Fore Street",
    "Mill Lane",
    "Station Road",
    "High Street",
    "Church Road",
    "Queen Street",
    "Victoria Road",
    "Market Street",
    "Park Lane",
    "Chapel Street",
    "Acacia Avenue",
    "Orchard Close",
)
_ROADS = ("A38", "A380", "A30", "M5", "A361", "A39", "B3212", "A3052")
_SHOPS = ("Co-op", "Spar", "Tesco Express", "chippy", "Londis", "bookies", "Greggs")
_PUBS = ("the Red Lion", "the Crown", "Wetherspoons", "the Ship Inn", "the Railway")
_EVENTS = ("Remembrance parade", "Christmas lights switch-on", "carnival", "half marathon")
_COLOURS = ("black", "silver", "white", "blue", "red", "grey")
_CARS = ("Astra", "Golf", "Corsa", "Fiesta", "BMW", "Transit van", "Qashqai")
_PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUVWXY"
_POSTCODE_AREAS = ("EX", "TQ", "PL", "TR", "BA", "TA")

_TOPICS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # topic: (titles of the force's posts, replies people write under them)
    "road": (
        (
            "Road closure: {road} at {place} after a collision",
            "{road} closed both ways near {place} – please avoid the area",
            "Update: {road} at {place} has now reopened",
        ),
        (
            "Is the {road} still closed at {place}?",
            "Any idea when it will reopen?",
            "Been sat in traffic for {n} minutes 😩",
            "Thanks for the update, going round via {place2}",
            "Hope everyone involved is ok 🙏",
            "Is it open yet? Need to get to work",
            "Why does it take so long to clear these?",
            "Sat nav keeps sending me back the same way 🙄",
            "Third one this month on that stretch, it needs a speed camera",
            "Thank you to the crews out in this weather",
        ),
    ),
    "missing": (
        (
            "MISSING: have you seen {first}, 15, from {place}?",
            "Concern for missing {first}, 78, last seen in {place}",
            "Update: {first} has been found safe and well. Thank you for sharing",
        ),
        (
            "Shared 🙏",
            "Shared. Hope she's found safe and well",
            "Sharing, praying for a safe return x",
            "Have shared on the {place} community group",
            "Hope he's found soon ❤️",
            "Think I saw someone matching that description near the {shop} in {place} around "
            "{hour}pm, have called 101",
            "So glad they're safe, well done everyone 👏",
        ),
    ),
    "appeal": (
        (
            "Appeal for witnesses after a burglary on {street}, {place}",
            "Can you help identify this man? Shop theft at the {shop} in {place}",
            "Appeal after a car was damaged on {street} overnight",
        ),
        (
            "Shared. Hope you catch them",
            "Terrible, hope the victim is ok",
            "Have messaged you with some dashcam footage",
            "Was this near the {shop}?",
            "Good work, hope they get locked up",
            "That's the third one on our road this year",
            "Sharing on the neighbourhood WhatsApp",
        ),
    ),
    "event": (
        (
            "Officers will be at the {event} in {place} on Saturday – come and say hello",
            "Road closures in {place} for the {event}",
        ),
        (
            "Great to see officers at the {event} today",
            "Will there be parking near {place}?",
            "What time do the roads close for the {event}?",
            "My kids loved meeting the police dog! 🐕",
            "Thanks for keeping everyone safe",
            "Brilliant day, well organised",
        ),
    ),
    "scam": (
        (
            "Scam warning: calls pretending to be from the bank",
            "Courier fraud warning for {place} – police will never ask for your bank card",
        ),
        (
            "My nan got one of these calls last week",
            "Thanks for the warning, shared with the family",
            "Got a text like this yesterday",
            "How do I report a scam text?",
            "They rang my dad three times this morning",
        ),
    ),
    "recruitment": (
        ("We're recruiting special constables in {place}", "Join us: police staff roles"),
        (
            "How do I apply to be a special?",
            "Is there an age limit?",
            "My son has just applied, fingers crossed",
            "Do you have to live in the county?",
        ),
    ),
}
_TOPIC_WEIGHTS = (("road", 0.3), ("missing", 0.2), ("appeal", 0.2), ("event", 0.12),
                  ("scam", 0.1), ("recruitment", 0.08))  # fmt: skip

_GENERAL = (
    "Why is there a helicopter over {place}?",
    "Lots of police cars on {street} in {place}, what's happening?",
    "How do I report something without calling?",
    "Thank you to the officers who helped my mum today",
    "Parking on the pavement on {street} again, can someone have a word",
    "Lost a black wallet in {place} town centre, has anyone handed one in?",
    "Noisy car meet at {place} retail park every Friday night",
    "Speeding on {street} is getting ridiculous, someone will get hurt one day",
    "Fantastic work catching those two in {place} last night 👏",
    "Is the front desk at {place} station open on Sundays?",
)
_DIRECT = (
    "Hi, I'd like to report some antisocial behaviour on {street}, {place}",
    "Can I get a crime reference number for the bike I reported last week?",
    "Is it ok to send dashcam footage here?",
    "Hi, my car was damaged overnight on {street}, how do I report it?",
    "Someone keeps dumping rubbish behind the {shop} in {place}",
    "My neighbour's alarm has been going off for two hours on {street}",
    "Can you tell me if my statement was passed on? Ref {n}",
)
_REVIEWS = (
    "Officers were really helpful when I called in",
    "Waited ages on 101 but the call handler was lovely",
    "Front desk at {place} station is never open",
    "PCSO {first} is a credit to the force",
)
_WELSH = (
    "Diolch yn fawr am y diweddariad",
    "Ydy'r ffordd ar agor eto?",
    "Oes unrhyw newyddion am y {road} ger {wplace}?",
    "Wedi rhannu, gobeithio bydd hi'n cael ei chanfod yn ddiogel 🙏",
    "Pam bod hofrennydd uwchben {wplace} heno?",
    "Diolch i'r heddlu am eu help heddiw",
    "Mae car wedi bod yn y ffos ers awr ar y ffordd i {wplace}",
    "Dw i wedi gweld dyn sy'n edrych fel y llun ger y siop yn {wplace}",
    "Oes rhywun yn gwybod pryd bydd y ffordd yn agor?",
)
_RISKY: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    (
        "threat_to_life",
        0.07,
        (
            "I know where you live {first}, you're dead when I find you",
            "If he comes near my sister again I'll kill him",
            "Someone's going to get a petrol bomb through their door on {street} tonight",
            "There's a man lying in the road on {street}, he's not breathing",
            "Someone standing on the wrong side of the bridge at {place}, please hurry",
        ),
    ),
    (
        "self_harm",
        0.07,
        (
            "I can't do this anymore. I just want to end it all",
            "everyone would be better off without me tbh",
            "my brother says he's going to kill himself and he's not answering his phone",
            "I've taken all my tablets, I'm sorry",
            "feeling suicidal tonight and don't know who to talk to",
        ),
    ),
    (
        "crime_in_progress",
        0.13,
        (
            "There's a man with a knife outside the {shop} on {street} RIGHT NOW",
            "Someone is trying car doors on {street}, dark hoodie, heading towards {place}",
            "Massive fight outside {pub} in {place}, please send someone",
            "Drunk driver on the {road}, swerving all over, {colour} {car}",
            "Lads throwing fireworks at cars on {street}",
        ),
    ),
    (
        "domestic_abuse",
        0.09,
        (
            "I'm scared of my partner, he took my phone again and won't let me leave",
            "Can hear shouting and screaming next door again, sounds really bad. {street}",
            "My ex keeps turning up at my house even though he's on bail",
            "He put his hands round my neck last night. I don't know what to do",
        ),
    ),
    (
        "child_safeguarding",
        0.08,
        (
            "The kids at number {n} have been left home alone all weekend again",
            "There's an older man messaging my 13 year old on Snapchat asking for pictures",
            "My daughter hasn't come home from school, she's 12, last seen near {place}",
            "Toddler wandering on his own by the harbour at {place}, no adult about",
        ),
    ),
    (
        "hate",
        0.09,
        (
            "They should all go back to where they came from",
            "Someone needs to burn down the hotel they're using in {place}",
            "I was racially abused on the bus in {place} this morning",
            "Swastikas sprayed on the wall by the {shop} on {street}",
        ),
    ),
    (
        "officer_abuse",
        0.12,
        (
            "ACAB 🐷🐷 useless pigs the lot of you",
            "Bent coppers the lot of you, no wonder nobody trusts you",
            "I'll find out where he lives, that copper who nicked my brother",
        ),
    ),
    (
        "conduct_complaint",
        0.12,
        (
            "I want to make a formal complaint about the officer who came to my house",
            "The officer was rude and wouldn't give his number",
            "Stopped and searched for no reason, again. This is racial profiling",
            "Still waiting for an officer to come out, reported it {n} days ago",
        ),
    ),
    (
        "personal_data",
        0.14,
        (
            "His name's {first} {last}, he lives at {n} {street}, {postcode}",
            "Ring me on 07700 900{nnn}, I saw everything",
            "The car was a {colour} {car}, reg {plate}",
            "email me at {first_lower}.{last_lower}@example.com and I'll send the video",
        ),
    ),
    (
        "misinformation",
        0.09,
        (
            "Apparently it was a stabbing not a crash, police are hiding it",
            "Heard there was a shooting in {place}, is it true?",
            "The attacker was an illegal who came over on a boat, that's why they won't say",
            "This is a cover up, share before it gets deleted",
        ),
    ),
)

# --- helpers ---------------------------------------------------------------------------------


def _cumulative(weights: Sequence[float]) -> list[float]:
    return list(accumulate(weights))


@dataclass(slots=True)
class _Post:
    """One of the force's own posts, under which comments gather."""

    id: str
    title: str
    topic: str


class _Choice(Generic[_T]):
    """A weighted choice with its cumulative weights computed once."""

    __slots__ = ("cumulative", "values")

    def __init__(self, pairs: Sequence[tuple[_T, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = _cumulative([weight for _, weight in pairs])

    def __call__(self, rng: random.Random) -> _T:
        return self.values[bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


class _Slots(dict[str, str]):
    """A template's placeholders, each made only when the template asks for it."""

    def __init__(self, words: _Words) -> None:
        super().__init__()
        self.words = words

    def __missing__(self, key: str) -> str:
        value = self.words.make(key, self)
        self[key] = value
        return value


class _Words:
    """Fills the placeholders of a template."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        choice = rng.choice
        self.makers = {
            "place": lambda: choice(_PLACES),
            "place2": lambda: choice(_PLACES),
            "wplace": lambda: choice(_WELSH_PLACES),
            "street": lambda: choice(_STREETS),
            "road": lambda: choice(_ROADS),
            "shop": lambda: choice(_SHOPS),
            "pub": lambda: choice(_PUBS),
            "event": lambda: choice(_EVENTS),
            "colour": lambda: choice(_COLOURS),
            "car": lambda: choice(_CARS),
            "first": lambda: choice(_FIRST),
            "last": lambda: choice(_LAST),
            "n": lambda: str(rng.randint(2, 60)),
            "nnn": lambda: f"{rng.randrange(1000):03d}",
            "hour": lambda: str(rng.randint(1, 11)),
            "postcode": self.postcode,
            "plate": self.plate,
        }

    def make(self, key: str, slots: _Slots) -> str:
        if key.endswith("_lower"):
            return slots[key.removesuffix("_lower")].lower()
        return self.makers[key]()

    def fill(self, template: str) -> str:
        if "{" not in template:
            return template
        return template.format_map(_Slots(self))

    def postcode(self) -> str:
        rng = self.rng
        letters = "ABDEFGHJLNPQRSTUWXYZ"
        return (
            f"{rng.choice(_POSTCODE_AREAS)}{rng.randint(1, 39)} {rng.randint(0, 9)}"
            f"{rng.choice(letters)}{rng.choice(letters)}"
        )

    def plate(self) -> str:
        rng = self.rng
        return (
            f"{rng.choice(_PLATE_LETTERS)}{rng.choice(_PLATE_LETTERS)}{rng.randint(10, 75):02d} "
            + "".join(rng.choice(_PLATE_LETTERS) for _ in range(3))
        )


# --- identities ------------------------------------------------------------------------------

_HANDLE_PLATFORMS = {
    Platform.X,
    Platform.INSTAGRAM,
    Platform.TIKTOK,
    Platform.BLUESKY,
    Platform.MASTODON,
}
_ID_BASE = {
    Platform.X: 1_861_000_000_000_000_000,
    Platform.INSTAGRAM: 17_900_000_000_000_000,
    Platform.TIKTOK: 7_300_000_000_000_000_000,
    Platform.MASTODON: 113_500_000_000_000_000,
}


def _author(platform: Platform, index: int) -> Author:
    first = _FIRST[index % len(_FIRST)]
    last = _LAST[(index // len(_FIRST)) % len(_LAST)]
    number = (index * 7919) % 1000
    name = f"{first} {last}"
    user_id = f"{10_000_000 + index * 7 + 3}"
    if platform in _HANDLE_PLATFORMS:
        style = index % 4
        base = (
            f"{first}{last}"
            if style == 0
            else f"{first}_{last[:3]}{number}"
            if style == 1
            else f"{first}{number}"
            if style == 2
            else f"{last}.{first[0]}"
        ).lower()
        handle = f"@{base}"
        if platform is Platform.BLUESKY:
            handle = f"@{base.replace('_', '-')}.bsky.social"
        elif platform is Platform.MASTODON:
            handle = f"@{base}@{('mastodon.social', 'mas.to', 'toot.wales')[index % 3]}"
        return Author(user_id, handle, name if index % 5 else first)
    if platform is Platform.WHATSAPP:
        return Author(f"447700900{index % 1000:03d}", f"+44 7700 900{index % 1000:03d}", first)
    if platform is Platform.NEXTDOOR:
        return Author(user_id, f"{first} {last[0]}.", f"{first} {last[0]}.")
    return Author(user_id, name, name)


def _item_id(platform: Platform, kind: ItemKind, serial: int, post: _Post | None) -> str:
    if kind is ItemKind.DIRECT_MESSAGE:
        return f"dm-{platform.value}-{serial:09d}"
    if platform in _ID_BASE:
        return str(_ID_BASE[platform] + serial * 4099)
    if platform is Platform.FACEBOOK:
        return f"{post.id if post else '1029384756'}_{10**15 + serial}"
    if platform is Platform.BLUESKY:
        return f"3l{serial:011x}"
    if platform is Platform.YOUTUBE:
        return f"Ugx{serial:012d}"
    if platform is Platform.LINKEDIN:
        return f"urn:li:comment:{7_100_000_000 + serial}"
    return f"{platform.value}-{serial:09d}"


def _link(platform: Platform, kind: ItemKind, author: Author, item_id: str) -> str | None:
    if kind is ItemKind.DIRECT_MESSAGE:
        return None
    if platform is Platform.X:
        return f"https://x.com/{author.handle.lstrip('@')}/status/{item_id}"
    if platform is Platform.FACEBOOK:
        post, comment = item_id.split("_", 1)
        return f"https://www.facebook.com/ExampleshirePolice/posts/{post}?comment_id={comment}"
    if platform is Platform.INSTAGRAM:
        return f"https://www.instagram.com/p/{item_id}/"
    if platform is Platform.MASTODON:
        return f"https://police.example/@ExampleshirePolice/{item_id}"
    return None


# --- the generator ---------------------------------------------------------------------------


class _Clock:
    """Spreads n times over the span following the day's rhythm, in order."""

    def __init__(self, n: int, start: datetime, span: timedelta) -> None:
        hours = max(
            1, int(span.total_seconds() // 3600) + (1 if span.total_seconds() % 3600 else 0)
        )
        weights = []
        for h in range(hours):
            moment = start + timedelta(hours=h)
            weights.append(_HOURLY[moment.hour] * _WEEKDAY[moment.weekday()])
        last_hour = span.total_seconds() / 3600 - (hours - 1)
        weights[-1] *= last_hour  # a part hour at the end is only partly available
        self.cumulative = _cumulative(weights)
        self.total = self.cumulative[-1]
        self.n = n
        self.start = start
        self.span_seconds = span.total_seconds()
        self.bucket = 0

    def at(self, index: int, jitter: float) -> datetime:
        target = (index + jitter) / self.n * self.total
        cumulative = self.cumulative
        while self.bucket < len(cumulative) - 1 and cumulative[self.bucket] < target:
            self.bucket += 1
        before = cumulative[self.bucket - 1] if self.bucket else 0.0
        width = cumulative[self.bucket] - before
        fraction = (target - before) / width if width else 0.0
        seconds = min((self.bucket + fraction) * 3600, self.span_seconds - 1)
        return self.start + timedelta(seconds=int(max(seconds, 0)))


def generate(
    n: int,
    seed: int = 1,
    start: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> Iterator[IncomingItem]:
    """Yield ``n`` realistic items in time order, the same ones for the same arguments.

    Args:
        n: how many items.
        seed: the random seed.
        start: the earliest time (timezone-aware; default 1 November 2026, 00:00 UTC).
        span: how long the items are spread over (default 30 days).

    Raises:
        ValueError: ``n`` is negative, ``start`` is naive, or ``span`` is not positive.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    start = DEFAULT_START if start is None else start
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if span <= timedelta(0):
        raise ValueError("span must be positive")
    return _generate(n, seed, start.astimezone(UTC), span)


def _generate(n: int, seed: int, start: datetime, span: timedelta) -> Iterator[IncomingItem]:
    rng = random.Random(seed)  # noqa: S311 (made-up demo data, not secrets)
    words = _Words(rng)
    clock = _Clock(max(n, 1), start, span)
    platforms = _Choice([(p, w) for p, w, _ in _PLATFORMS])
    accounts = {p: _Choice(list(a)) for p, _, a in _PLATFORMS}
    kinds = {p: _Choice(list(k)) for p, k in _KINDS.items()}
    topics = _Choice(list(_TOPIC_WEIGHTS))
    risky = _Choice([((name, templates), w) for name, w, templates in _RISKY])
    author_weights = _cumulative([1.0 / (k + 1 + _ZIPF_Q) ** _ZIPF_S for k in range(AUTHOR_POOL)])
    author_total = author_weights[-1]
    recency = _cumulative([0.4, 0.2, 0.12, 0.08, 0.06, 0.05, 0.05, 0.04])
    posts: dict[str, deque[_Post]] = {}
    post_serial = 0
    random_ = rng.random

    def new_post(account: str, platform: Platform) -> _Post:
        nonlocal post_serial
        post_serial += 1
        topic = topics(rng)
        titles = _TOPICS[topic][0]
        if platform is Platform.FACEBOOK:
            post_id = str(1_029_384_756 + post_serial * 97)
        elif platform in _ID_BASE:
            post_id = str(_ID_BASE[platform] - post_serial * 4099)
        else:
            post_id = f"post-{platform.value}-{post_serial:06d}"
        return _Post(post_id, words.fill(rng.choice(titles)), topic)

    for index in range(n):
        posted = clock.at(index, random_())
        platform = platforms(rng)
        account = accounts[platform](rng)
        kind = kinds[platform](rng)
        author = _author(
            platform, bisect_right(author_weights, random_() * author_total) % AUTHOR_POOL
        )
        post: _Post | None = None
        if kind in (ItemKind.COMMENT, ItemKind.REPLY):
            queue = posts.get(account)
            if queue is None:
                queue = posts[account] = deque(maxlen=8)
            if not queue or random_() < 0.01:
                queue.appendleft(new_post(account, platform))
            post = queue[min(bisect_right(recency, random_() * recency[-1]), len(queue) - 1)]
        roll = random_()
        if roll < RISK_SHARE:
            _, templates = risky(rng)
            text = words.fill(rng.choice(templates))
        elif roll < RISK_SHARE + WELSH_SHARE:
            text = words.fill(rng.choice(_WELSH))
        elif kind is ItemKind.DIRECT_MESSAGE:
            text = words.fill(rng.choice(_DIRECT))
        elif kind is ItemKind.REVIEW:
            text = words.fill(rng.choice(_REVIEWS))
        elif post is not None and random_() < 0.85:
            text = words.fill(rng.choice(_TOPICS[post.topic][1]))
        else:
            text = words.fill(rng.choice(_GENERAL))
        if kind is ItemKind.MENTION and account.startswith("@") and random_() < 0.7:
            text = f"@{account.split('@')[1]} {text}"
        media: tuple[str, ...] = ()
        if random_() < 0.06 and kind is not ItemKind.REVIEW:
            media = (f"https://media.example/{platform.value}/{index:09d}.jpg",)
            if platform in (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.TIKTOK) and (
                random_() < 0.2
            ):
                text = ""
        item_id = _item_id(platform, kind, index, post)
        yield IncomingItem(
            platform=platform,
            account=account,
            kind=kind,
            platform_id=item_id,
            author=author,
            text=text,
            posted_at=posted,
            received_at=posted + timedelta(seconds=5 + int(random_() * 295)),
            link=_link(platform, kind, author, item_id),
            media=media,
            thread_id=post.id if post else None,
            thread_title=post.title if post else None,
        )


def _record(item: IncomingItem) -> dict[str, object]:
    """The item as one record of Desk's JSON Lines format (docs/import-format.md)."""
    record: dict[str, object] = {
        "platform": item.platform.value,
        "account": item.account,
        "kind": item.kind.value,
        "id": item.platform_id,
        "author_id": item.author.platform_user_id,
        "author_handle": item.author.handle,
        "author_name": item.author.display_name,
        "text": item.text,
        "posted_at": item.posted_at.isoformat().replace("+00:00", "Z"),
    }
    if item.received_at is not None:
        record["received_at"] = item.received_at.isoformat().replace("+00:00", "Z")
    if item.link is not None:
        record["link"] = item.link
    if item.media:
        record["media"] = list(item.media)
    if item.thread_id is not None:
        record["thread_id"] = item.thread_id
    if item.thread_title is not None:
        record["thread_title"] = item.thread_title
    return record


def write_jsonl(
    path: Path,
    n: int,
    seed: int = 1,
    start: datetime | None = None,
    span: timedelta = DEFAULT_SPAN,
) -> int:
    """Write ``n`` generated items to ``path`` in Desk's JSON Lines format; return ``n``."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        write = fh.write
        for item in generate(n, seed, start, span):
            write(dumps(_record(item)))
            write("\n")
    return n


def official_accounts() -> list[tuple[Platform, str]]:
    """Return every official account the generator's items arrive on."""
    return [(platform, handle) for platform, _, accounts in _PLATFORMS for handle, _ in accounts]
