"""Seeded, vectorised generator of messy raw customer data with a ground-truth sidecar.

People are generated in chunks so that memory stays flat at any scale; each chunk
has its own random stream derived from (seed, chunk index), so the output depends
only on the seed, the customer count and the chunk size.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
import phonenumbers

from . import population
from . import vocab as V
from .formats import (
    DATE_DMY,
    DATE_DMY2,
    DATE_ISO,
    DATE_MDY,
    TS_DMY,
    TS_ISO_Z,
    TS_SPACE,
    format_phone,
    mixed_timestamps,
    opaque_ids,
    spell,
    strftime,
)

DAY = 86_400
MINUTE = 60

# Behaviour of each archetype: the structure segmentation models should recover.
# orders, sessions and pos are rates per 365 days of activity (lapsed people are active
# for 90 days only, so theirs are four times what they do in all).
ARCHETYPES = {
    #                 share  orders  aov   sessions pos  discount open  categories
    "champion": (0.10, 14.0, 1.6, 30.0, 6.0, 0.10, 0.55, ["electronics", "home"]),
    "loyal": (0.20, 7.0, 1.0, 18.0, 3.0, 0.12, 0.40, ["home", "sports", "books"]),
    "deal_seeker": (0.20, 6.0, 0.6, 15.0, 1.0, 0.75, 0.45, ["grocery", "fashion", "beauty"]),
    "occasional": (0.25, 2.0, 0.9, 7.0, 1.0, 0.20, 0.20, list(V.CATEGORIES)),
    "lapsed": (0.15, 6.0, 0.8, 8.0, 0.8, 0.20, 0.05, list(V.CATEGORIES)),
    "browser": (0.10, 0.0, 1.0, 20.0, 0.0, 0.00, 0.25, ["electronics", "fashion", "toys"]),
}
ARCHETYPE_NAMES = list(ARCHETYPES)
# the numeric columns of ARCHETYPES (orders .. open), one row per archetype
ARCHETYPE_RATES = np.array([ARCHETYPES[a][1:7] for a in ARCHETYPE_NAMES])
# Mean days from signup until a person stops buying, browsing and opening email
# (exponential; lapsed people stop after exactly 90 days).
LIFETIME_DAYS = {
    "champion": 3000.0,
    "loyal": 2000.0,
    "deal_seeker": 800.0,
    "occasional": 500.0,
    "lapsed": 90.0,
    "browser": 1000.0,
}
# Order statuses and their shares; completed and shipped orders are revenue.
ORDER_STATUSES = {
    "completed": 0.80,
    "shipped": 0.05,
    "cancelled": 0.06,
    "refunded": 0.05,
    "returned": 0.02,
    "pending": 0.02,
}
REVENUE_STATUSES = ("completed", "shipped")


@dataclass(frozen=True)
class Experiment:
    """An A/B test the generator runs, with its true effect."""

    experiment_id: str
    days_before_end: int  # the experiment starts this many days before the end date
    split: dict  # variant -> planned share of assignments (the first is the control)
    uplift_per_day: dict  # variant -> web/app orders per day added in the outcome window
    lost_share: dict  # variant -> share of its assignment rows that never reach the export


# Experiments start long before the prediction cutoffs, so the uplift they plant does not
# touch the purchase process the prediction benchmark scores against.
EXPERIMENTS = (
    Experiment("EXP-checkout-redesign", 480, {"control": 0.5, "treatment": 0.5}, {"treatment": 0.006}, {}),
    Experiment("EXP-subject-lines", 470, {"control": 0.5, "variant_b": 0.5}, {}, {}),
    # broken: two in five of the treatment's assignments were lost by the logging
    Experiment(
        "EXP-free-delivery", 460, {"control": 0.5, "treatment": 0.5}, {"treatment": 0.004}, {"treatment": 0.4}
    ),
)
EXPERIMENT_ENROLMENT_DAYS = 14  # assignments spread over the first two weeks
EXPERIMENT_EFFECT_DAYS = 28  # the uplift lasts this long after each assignment
EXPERIMENT_ENROLMENT_SHARE = 0.5  # of the people active on the start day
EXPERIMENT_SECOND_VARIANT_SHARE = 0.015  # also assigned another variant on another device

# Shares of rows written with an invalid amount (negative, or absurdly large for orders):
# quarantined by the project, so never a purchase.
ORDER_BAD_AMOUNT_SHARE = 0.004
POS_BAD_AMOUNT_SHARE = 0.003
POS_CARD_SCANNED_SHARE = 0.75
# co-purchase structure (recommendations): the share of products in a bundle, the share of
# an order's later lines that are a partner of its first, and of next orders opening with
# a partner of the previous order's first product
BUNDLED_SHARE = 0.5
BUNDLE_LINE_SHARE = 0.6
BUNDLE_FOLLOW_UP_SHARE = 0.3
FX_FROM_GBP = {"GBP": 1.0, "USD": 1.27, "EUR": 1.17}

RAW_COLUMNS = {
    "crm_contacts": [
        "contact_id",
        "email",
        "first_name",
        "last_name",
        "phone",
        "date_of_birth",
        "street_address",
        "city",
        "postcode",
        "country",
        "loyalty_id",
        "created_at",
        "updated_at",
    ],
    "web_events": [
        "event_id",
        "anonymous_id",
        "user_id",
        "event_type",
        "event_at",
        "page_url",
        "product_id",
        "device_type",
        "referrer",
    ],
    "orders": [
        "order_id",
        "customer_ref",
        "order_at",
        "status",
        "currency",
        "total_amount",
        "channel",
    ],
    "order_items": [
        "order_id",
        "line_number",
        "product_id",
        "quantity",
        "unit_price",
        "discount_amount",
    ],
    "products": ["product_id", "name", "category", "brand", "price", "description"],
    "email_events": ["event_id", "email", "campaign_id", "event_type", "event_at"],
    "pos_transactions": [
        "transaction_id",
        "loyalty_id",
        "store_id",
        "transaction_at",
        "amount",
        "currency",
    ],
    "consent_records": ["subject_email", "purpose", "status", "recorded_at"],
    "erasure_requests": ["subject_email", "requested_at"],
    "experiment_assignments": ["experiment_id", "variant", "customer_ref", "anonymous_id", "assigned_at"],
}

TRUTH_COLUMNS = {
    "persons": ["person_id", "archetype", "is_anomalous", "anomaly_type", "household_id", "country", "email"],
    "contacts": ["contact_id", "person_id"],
    "loyalty_ids": ["loyalty_id", "person_id"],
    "anonymous_ids": ["anonymous_id", "person_id", "is_bot"],
    "event_sessions": ["event_id", "session_id"],
    "orders": ["order_id", "person_id"],
    "pos_transactions": ["transaction_id", "person_id"],
    "experiment_assignments": [
        "experiment_id",
        "person_id",
        "variant",
        "assigned_at",
        "is_exported",
        "is_in_several_variants",
        "effect_days",
        "revenue_uplift_per_day",
    ],
    "product_bundles": ["bundle_id", "product_id"],
    "purchase_rates": [
        "person_id",
        "active_from",
        "active_until",
        "engagement",
        "order_rate_per_day",
        "pos_rate_per_day",
        "revenue_rate_per_day",
    ],
}


@dataclass(frozen=True)
class GeneratorConfig:
    customers: int = 2000
    seed: int = 42
    end_date: str = "2026-09-30"
    history_days: int = 730
    chunk_size: int = 50_000
    products: int = 400
    # multiplies every archetype's mean number of web/app orders (benchmarks at a
    # given orders-per-customer ratio); 1.0 reproduces the shipped sample
    orders_scale: float = 1.0

    @property
    def end_ts(self) -> int:
        d = datetime.fromisoformat(self.end_date).replace(tzinfo=UTC)
        return int(d.timestamp()) + DAY - 1

    @property
    def start_ts(self) -> int:
        return self.end_ts - self.history_days * DAY


@functools.cache
def _valid_prefixes(country: str) -> list[str]:
    """Three-digit starts of a national significant number under which libphonenumber
    finds the generator's numbers valid (tested on one number per start)."""
    first, length = {"GB": ("7", 10), "US": ("", 10), "DE": ("15", 11), "FR": ("6", 9)}[country]
    starts = [f"{n:03d}" for n in range(1000) if f"{n:03d}".startswith(first)]
    valid = []
    for start in starts:
        numbers = [start + tail * (length - 3) for tail in "2468"]
        if all(
            phonenumbers.is_valid_number(phonenumbers.parse(f"+{V.COUNTRY_DIAL[country]}{n}"))
            for n in numbers
        ):
            valid.append(start)
    return valid


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _typo(rng: np.random.Generator, text: str) -> str:
    """Swap two adjacent letters, drop one, or double one (a keyboard slip)."""
    if len(text) < 4:
        return text
    i = int(rng.integers(1, len(text) - 2))
    kind = rng.integers(0, 3)
    if kind == 0:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    if kind == 1:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i] + text[i:]


# Letters next to each other on a QWERTY keyboard (a slip hits a neighbour).
_KEY_NEIGHBOURS = {
    row[i]: row[max(i - 1, 0) : i] + row[i + 1 : i + 2]
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}
# Spellings that sound alike (a name taken down over the phone or from memory).
_SOUND_ALIKE = [
    ("ph", "f"),
    ("f", "ph"),
    ("ck", "k"),
    ("c", "k"),
    ("k", "c"),
    ("ie", "y"),
    ("y", "ie"),
    ("ey", "y"),
    ("ou", "u"),
    ("ei", "ie"),
    ("ll", "l"),
    ("l", "ll"),
    ("tt", "t"),
    ("nn", "n"),
    ("ss", "s"),
    ("z", "s"),
    ("s", "z"),
    ("th", "t"),
    ("w", "v"),
    ("v", "w"),
    ("ai", "ay"),
    ("ae", "e"),
    ("mm", "m"),
    ("sch", "sh"),
    ("ä", "ae"),
    ("ö", "oe"),
    ("ü", "ue"),
]


def _other_email(rng: np.random.Generator, first: str, last: str, current: str, country: str) -> str:
    """Another address of the same person: a work address (at a firm named after some
    surname of the country) or an account elsewhere, spelt from the name."""
    f = _ascii_fold(first).lower().replace(" ", "")
    s = _ascii_fold(last).lower().replace(" ", "").replace("'", "")
    local = [f"{f}.{s}", f"{f[:1]}{s}", f"{f}_{s}{int(rng.integers(1, 99))}", f"{s}.{f}"][
        int(rng.integers(0, 4))
    ]
    if rng.random() < 0.4:
        firm = _ascii_fold(population.last_names(country).draw(rng, 1)[0]).lower().replace(" ", "")
        domain = f"{firm.replace(chr(39), '')}{['-group', 'corp', 'ltd', '-consulting'][int(rng.integers(0, 4))]}.com"
    else:
        domains = [d for d in V.EMAIL_DOMAINS if not current.endswith(d)]
        domain = domains[int(rng.integers(0, len(domains)))]
    return f"{local}@{domain}"


def _misspell(rng: np.random.Generator, text: str) -> str:
    """A realistic misspelling: a sound-alike spelling (when one applies) or a keyboard
    slip onto a neighbouring key, keeping the case of the replaced letter."""
    lower = text.lower()
    options = [(a, b) for a, b in _SOUND_ALIKE if a in lower[1:]]
    if options and rng.random() < 0.5:
        a, b = options[int(rng.integers(0, len(options)))]
        i = lower.index(a, 1)
        replacement = b.upper() if text[i].isupper() else b
        return text[:i] + replacement + text[i + len(a) :]
    slots = [i for i in range(1, len(text)) if text[i].lower() in _KEY_NEIGHBOURS]
    if not slots:
        return text
    i = slots[int(rng.integers(0, len(slots)))]
    near = _KEY_NEIGHBOURS[text[i].lower()]
    letter = near[int(rng.integers(0, len(near)))]
    return text[:i] + (letter.upper() if text[i].isupper() else letter) + text[i + 1 :]


def _mistype_code(rng: np.random.Generator, code: str) -> str:
    """One character of a postcode typed wrong (a digit for a digit, a letter for a letter)."""
    slots = [i for i, ch in enumerate(code) if ch.isalnum()]
    if not slots:
        return code
    i = slots[int(rng.integers(0, len(slots)))]
    pool = "0123456789" if code[i].isdigit() else "ABCDEFGHJKLMNPRSTUWYZ"
    return code[:i] + pool[int(rng.integers(0, len(pool)))] + code[i + 1 :]


def _day_month_swapped(epoch: int) -> int:
    """The same date with day and month swapped (when that is a date), else unchanged."""
    day = datetime.fromtimestamp(int(epoch), UTC)
    if day.day > 12 or day.day == day.month:
        return int(epoch)
    return int(day.replace(month=day.day, day=day.month).timestamp())


def _case_variant(rng: np.random.Generator, text: str) -> str:
    kind = rng.integers(0, 4)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    if kind == 2:
        return f"  {text} "
    return text.replace(" ", "  ")


def _active_days(p: dict) -> np.ndarray:
    """Days from each person's signup to the end of their activity."""
    return (p["act_end"] - p["signup"]) / DAY


def _group_starts(counts: np.ndarray) -> np.ndarray:
    """Index of the first element of each group in a repeat(counts) layout."""
    return np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)


def _rank_within(group: np.ndarray) -> np.ndarray:
    """0-based position of each element within runs of equal consecutive values."""
    n = len(group)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    lengths = np.diff(np.r_[starts, n])
    return np.arange(n) - np.repeat(starts, lengths)


class ChunkGenerator:
    """Generates every raw table for one chunk of people."""

    def __init__(self, cfg: GeneratorConfig, products: dict, chunk: int, first: int, n: int):
        self.cfg = cfg
        self.products = products
        self.chunk = chunk
        self.first = first
        self.n = n
        self.rng = np.random.default_rng([cfg.seed, chunk])

    # -- people ---------------------------------------------------------------
    def people(self) -> dict:
        rng, n, cfg = self.rng, self.n, self.cfg
        idx = np.arange(self.first, self.first + n)
        shares = np.array([a[0] for a in ARCHETYPES.values()])
        arche = rng.choice(len(ARCHETYPES), size=n, p=shares / shares.sum())
        country = rng.choice(V.COUNTRIES, size=n, p=V.COUNTRY_WEIGHTS)
        first = np.empty(n, dtype=object)
        last = np.empty(n, dtype=object)
        city = np.empty(n, dtype=object)
        street = np.empty(n, dtype=object)
        # Names and places come from their own stream, so a change of vocabulary leaves
        # every other draw of the chunk where it was.
        words = np.random.default_rng([cfg.seed, self.chunk, 2])
        for c in V.COUNTRIES:
            m = country == c
            k = int(m.sum())
            first[m] = population.first_names(c).draw(words, k)
            last[m] = population.last_names(c).draw(words, k)
            city[m] = population.cities(c).draw(words, k)
            street[m] = population.streets(c).draw(words, k)
        house_no = rng.integers(1, 250, n)
        address = np.array([f"{h} {s}" for h, s in zip(house_no, street)], dtype=object)
        postcode = np.array([self._postcode(c) for c in country], dtype=object)
        nsn = np.array([self._nsn(c) for c in country], dtype=object)
        age_days = rng.integers(18 * 365, 85 * 365, n)
        dob = cfg.end_ts - age_days * DAY
        dob -= dob % DAY

        # Households: some people share address, landline and surname with the person
        # generated just before them; 2 in 100 of them are twins and share the birth date
        # too (about 1 birth in 60 is a twin birth; adult twins living together are
        # rarer still).
        household = idx.copy()
        joins = np.flatnonzero(rng.random(n) < 0.05)
        joins = joins[joins > 0]
        joins = joins[~np.isin(joins - 1, joins)]
        for j in joins:
            country[j] = country[j - 1]
            last[j], city[j], address[j], postcode[j], nsn[j] = (
                last[j - 1],
                city[j - 1],
                address[j - 1],
                postcode[j - 1],
                nsn[j - 1],
            )
            first[j] = population.first_names(country[j]).draw(words, 1)[0]
            household[j] = household[j - 1]
            if rng.random() < 0.02:
                dob[j] = dob[j - 1]

        domain = rng.choice(V.EMAIL_DOMAINS, size=n, p=V.EMAIL_DOMAIN_WEIGHTS)
        email = np.array(
            [
                f"{_ascii_fold(f).lower()}.{_ascii_fold(s).lower().replace(chr(39), '')}{i}@{d}"
                for f, s, i, d in zip(first, last, idx, domain)
            ],
            dtype=object,
        )
        # Loyalty cards are issued through the CRM, so only people with a CRM record
        # have one, and their first record always carries it.
        has_contact = rng.random(n) < 0.85
        has_loyalty = has_contact & (rng.random(n) < 0.6)
        loyalty = np.where(has_loyalty, opaque_ids("LY", idx, 8), None)

        # Activity window: lapsed people were active only early on.
        signup = rng.integers(cfg.start_ts, cfg.end_ts - 30 * DAY, n)
        lapsed = arche == ARCHETYPE_NAMES.index("lapsed")
        signup[lapsed] = rng.integers(cfg.start_ts, cfg.end_ts - 500 * DAY, int(lapsed.sum()))

        # The purchase process, a Pareto/NBD: while active a person buys (online and in
        # store), browses and opens email at constant rates; activity ends at an
        # exponential dropout time. One engagement level per person scales all of these
        # rates, and a second one buying alone, so browsing and email say something
        # about buying. Drawn from their own stream: the contacts stay as they were.
        life = np.random.default_rng([cfg.seed, self.chunk, 3])
        engagement = life.gamma(2.0, 0.5, n)
        buying = engagement * life.gamma(3.0, 1 / 3, n)
        lifetime_days = life.exponential(np.array(list(LIFETIME_DAYS.values()))[arche])
        lifetime_days[lapsed] = LIFETIME_DAYS["lapsed"]
        act_end = np.minimum(signup + (lifetime_days * DAY).astype(np.int64), cfg.end_ts)

        is_browser = arche == ARCHETYPE_NAMES.index("browser")
        anomalous = (rng.random(n) < 0.01) & ~is_browser
        anomaly_type = np.where(
            anomalous, np.where(rng.random(n) < 0.5, "extreme_spender", "hyperactive"), None
        )
        fav = np.array(
            [
                ARCHETYPES[ARCHETYPE_NAMES[a]][7][rng.integers(0, len(ARCHETYPES[ARCHETYPE_NAMES[a]][7]))]
                for a in arche
            ],
            dtype=object,
        )
        return dict(
            idx=idx,
            person_id=np.char.add("P", np.char.zfill(idx.astype(str), 8)).astype(object),
            arche=arche,
            country=country,
            first=first,
            last=last,
            city=city,
            address=address,
            postcode=postcode,
            nsn=nsn,
            dob=dob,
            household=household,
            email=email,
            loyalty=loyalty,
            signup=signup,
            act_end=act_end,
            engagement=engagement,
            buying=buying,
            anomaly_type=anomaly_type,
            fav=fav,
            has_contact=has_contact,
        )

    def _postcode(self, country: str) -> str:
        r = self.rng
        if country == "GB":
            letters = "ABCDEFGHJKLMNPRSTUWYZ"
            return (
                f"{letters[r.integers(0, 21)]}{letters[r.integers(0, 21)]}{r.integers(1, 20)} "
                f"{r.integers(1, 10)}{letters[r.integers(0, 21)]}{letters[r.integers(0, 21)]}"
            )
        return f"{r.integers(1000, 99999):05d}"

    def _new_address(self, r: np.random.Generator, country: str) -> tuple[str, str, str]:
        """A street line, city and postcode somewhere else in the country, drawn from
        ``r`` (the contact noise stream)."""
        street = population.streets(country).draw(r, 1)[0]
        city = population.cities(country).draw(r, 1)[0]
        saved, self.rng = self.rng, r
        try:
            postcode = self._postcode(country)
        finally:
            self.rng = saved
        return f"{int(r.integers(1, 250))} {street}", city, postcode

    def _nsn_from(self, r: np.random.Generator, country: str) -> str:
        """A new phone number (``_nsn``) drawn from ``r``."""
        saved, self.rng = self.rng, r
        try:
            return self._nsn(country)
        finally:
            self.rng = saved

    def _nsn(self, country: str) -> str:
        """A national significant number that libphonenumber finds valid: the same
        random draws as ever, with the leading digits mapped onto the country's
        assigned mobile (or, in the US, geographic) ranges (``_VALID_PREFIXES``)."""
        r = self.rng
        if country == "GB":
            number = f"7{r.integers(100_000_000, 999_999_999)}"
        elif country == "US":
            number = f"{r.integers(201, 989)}{r.integers(200, 999)}{r.integers(1000, 9999)}"
        elif country == "DE":
            number = f"15{r.integers(100_000_000, 999_999_999)}"
        else:
            number = f"6{r.integers(10_000_000, 99_999_999)}"
        prefixes = _valid_prefixes(country)
        return prefixes[int(number[:3]) % len(prefixes)] + number[3:]

    # -- CRM contacts ---------------------------------------------------------
    def contacts(self, p: dict) -> tuple[dict, dict, np.ndarray]:
        rng, n = self.rng, self.n
        has_contact = p["has_contact"]
        n_contacts = np.where(has_contact, 1 + (rng.random(n) < 0.20) + (rng.random(n) < 0.05), 0)
        owner = np.repeat(np.arange(n), n_contacts)
        k = _rank_within(owner)
        m = len(owner)
        contact_id = opaque_ids("C", p["idx"][owner] * 4 + k, 9)
        primary = np.full(n, None, dtype=object)
        primary[owner[k == 0]] = contact_id[k == 0]

        rows = {c: np.empty(m, dtype=object) for c in RAW_COLUMNS["crm_contacts"]}
        rows["contact_id"] = contact_id
        u = rng.random((m, 12))
        # The harder noise of later records of a person draws from its own stream, so
        # the other tables stay as they were.
        noise = np.random.default_rng([self.cfg.seed, self.chunk, 1])
        z = noise.random((m, 11))
        dob = p["dob"][owner].copy()
        for j in range(m):
            i = owner[j]
            dup = k[j] > 0
            country = p["country"][i]
            first, last = p["first"][i], p["last"][i]
            email = p["email"][i]
            # names
            if dup and u[j, 0] < 0.25 and first in V.NICKNAMES:
                first = V.NICKNAMES[first]
            elif dup and u[j, 0] < 0.40:
                first = _typo(rng, first)
            if dup and u[j, 1] < 0.15:
                last = _typo(rng, last)
            if u[j, 2] < (0.25 if dup else 0.05):
                first, last = _ascii_fold(first), _ascii_fold(last)
            if u[j, 3] < (0.25 if dup else 0.08):
                first, last = _case_variant(rng, first), _case_variant(rng, last)
            if dup and z[j, 0] < 0.12:
                first = _misspell(noise, first)
            if dup and z[j, 1] < 0.10:
                last = _misspell(noise, last)
            if dup and z[j, 2] < 0.03:
                first = None
            elif dup and z[j, 2] < 0.05:
                first = f"{first.strip()[:1]}."
            if dup and z[j, 3] < 0.02:
                last = None
            if dup and u[j, 4] < 0.06 and first is not None and last is not None:
                first, last = last, first
            # email: a later record may carry the person's other address (work, a newer
            # account), so a different email is weaker evidence than it looks
            if dup and z[j, 10] < 0.15:
                email = _other_email(noise, p["first"][i], p["last"][i], email, country)
            if dup and u[j, 5] < 0.25:
                email = None
            elif dup and u[j, 5] < 0.45 and email.endswith("@gmail.com"):
                local = email.split("@")[0]
                local = local.replace(".", "") if u[j, 6] < 0.5 else f"{local}+shop"
                email = f"{local}@{'googlemail.com' if u[j, 6] < 0.2 else 'gmail.com'}"
            elif u[j, 5] < (0.65 if dup else 0.12):
                email = _case_variant(rng, email).replace("  ", " ")
            if u[j, 7] < 0.003:
                email = V.JUNK_EMAILS[rng.integers(0, len(V.JUNK_EMAILS))]
            # phone; a later record may come from after a move (new address, and half
            # the time a new phone)
            moved = dup and z[j, 4] < 0.12
            nsn = self._nsn_from(noise, country) if moved and z[j, 5] < 0.5 else p["nsn"][i]
            phone = None if u[j, 8] < (0.30 if dup else 0.10) else format_phone(rng, country, nsn)
            # contacts known only by name, address and birth date
            if dup and u[j, 9] < 0.08:
                email, phone = None, None
            rows["email"][j] = email
            rows["first_name"][j] = first
            rows["last_name"][j] = last
            rows["phone"][j] = phone
            address = p["address"][i]
            if dup and u[j, 10] < 0.3:
                address = (
                    address.replace("Street", "St")
                    .replace("Road", "Rd")
                    .replace("straße", "str.")
                    .replace("Avenue", "Ave")
                )
                address = address.lower() if u[j, 10] < 0.15 else address
            city, pc = p["city"][i], p["postcode"][i]
            if moved:
                address, city, pc = self._new_address(noise, country)
            elif dup and z[j, 6] < 0.05:
                pc = _mistype_code(noise, pc)
            if dup and z[j, 7] < 0.06:
                address = _misspell(noise, address)
            elif dup and z[j, 7] < 0.10:
                address = None
            if dup and z[j, 8] < 0.05:
                pc = None
            rows["street_address"][j] = address
            rows["city"][j] = city.upper() if u[j, 11] < 0.1 else city
            rows["postcode"][j] = pc.replace(" ", "").lower() if (pc and dup and u[j, 11] < 0.3) else pc
            # birth date: day and month swapped, or one digit of the day mistyped
            if dup and z[j, 9] < 0.03:
                dob[j] = _day_month_swapped(dob[j])
            elif dup and z[j, 9] < 0.06:
                dob[j] = dob[j] + DAY * int(noise.choice([-10, -1, 1, 10]))
            rows["country"][j] = self._country_spelling(country)
            rows["loyalty_id"][j] = p["loyalty"][i] if (not dup or u[j, 6] < 0.5) else None

        us = p["country"][owner] == "US"
        dob_str = np.where(
            us,
            mixed_timestamps(rng, dob, {DATE_ISO: 0.5, DATE_MDY: 0.5}),
            mixed_timestamps(rng, dob, {DATE_ISO: 0.5, DATE_DMY: 0.45, DATE_DMY2: 0.05}),
        )
        missing_dob = rng.random(m) < 0.10
        dob_str[missing_dob] = None
        impossible = rng.random(m) < 0.004
        dob_str[impossible] = np.where(rng.random(int(impossible.sum())) < 0.5, "1850-01-01", "2031-05-17")
        rows["date_of_birth"] = dob_str

        created = p["signup"][owner] + k * rng.integers(DAY, 200 * DAY, m)
        created = np.minimum(created, self.cfg.end_ts - DAY)
        updated = np.minimum(created + rng.integers(0, 300 * DAY, m), self.cfg.end_ts)
        ts_mix = {TS_ISO_Z: 0.6, TS_SPACE: 0.25, TS_DMY: 0.1, "epoch": 0.05}
        rows["created_at"] = mixed_timestamps(rng, created, ts_mix)
        rows["updated_at"] = mixed_timestamps(rng, updated, ts_mix)
        future = rng.random(m) < 0.002
        rows["created_at"][future] = "2099-01-01T00:00:00Z"
        missing_id = rng.random(m) < 0.001
        rows["contact_id"] = np.where(missing_id, None, rows["contact_id"])

        truth = {"contact_id": contact_id, "person_id": p["person_id"][owner]}
        return self._resend(rows, 0.01), truth, primary

    def _country_spelling(self, country: str) -> str:
        r = self.rng.random()
        if r < 0.85:
            return country
        return {
            "GB": ["UK", "United Kingdom", "gb"],
            "US": ["USA", "United States", "us"],
            "DE": ["Germany", "Deutschland", "de"],
            "FR": ["France", "fr", "FRA"],
        }[country][self.rng.integers(0, 3)]

    def _resend(self, rows: dict, share: float) -> dict:
        """Append exact copies of a share of rows (a system re-sending a batch)."""
        m = len(next(iter(rows.values())))
        again = np.flatnonzero(self.rng.random(m) < share)
        return {c: np.concatenate([v, v[again]]) for c, v in rows.items()}

    # -- orders, items, POS ---------------------------------------------------
    # -- experiments --------------------------------------------------------
    def experiments(self, p: dict) -> dict:
        """Who is assigned to which variant of each experiment, and when.

        From its own stream: adding an experiment moves no other draw of the chunk
        before the orders. Returns one entry per assignment (person index, experiment,
        variant, time, whether the row is exported, its uplift per day)."""
        cfg = self.cfg
        r = np.random.default_rng([cfg.seed, self.chunk, 4])
        parts = []
        for number, exp in enumerate(EXPERIMENTS):
            start = cfg.end_ts - exp.days_before_end * DAY
            active = (p["signup"] <= start) & (p["act_end"] > start)
            who = np.flatnonzero(active & (r.random(self.n) < EXPERIMENT_ENROLMENT_SHARE))
            names = list(exp.split)
            variant = r.choice(len(names), size=len(who), p=np.array(list(exp.split.values())))
            at = start + r.integers(0, EXPERIMENT_ENROLMENT_DAYS * DAY, len(who))
            lost = np.array([exp.lost_share.get(v, 0.0) for v in names])[variant]
            uplift = np.array([exp.uplift_per_day.get(v, 0.0) for v in names])[variant]
            parts.append(
                {
                    "person": who,
                    "experiment": np.full(len(who), number),
                    "variant": variant,
                    "assigned_at": at,
                    "exported": r.random(len(who)) >= lost,
                    "uplift_per_day": uplift,
                    "identified_by": r.random(len(who)),
                    "second_variant": r.random(len(who)) < EXPERIMENT_SECOND_VARIANT_SHARE,
                    "case": r.random(len(who)),
                }
            )
        return {k: np.concatenate([part[k] for part in parts]) for k in parts[0]}

    def experiment_rows(self, p: dict, primary: np.ndarray, plan: dict, anon: dict) -> tuple[dict, dict]:
        """The experiment_assignments export and its truth.

        An assignment names the person by CRM contact id, by email (any case) or by the
        anonymous id of one of their devices; a few people are also assigned another
        variant on another device (the project must leave them out)."""
        r = np.random.default_rng([self.cfg.seed, self.chunk, 5])
        person = plan["person"]
        devices = anon["person_id"]
        first_device = {}
        for i, owner in enumerate(devices):
            if owner is not None and owner not in first_device:
                first_device[owner] = i
        device = np.array(
            [anon["anonymous_id"][first_device[pid]] for pid in p["person_id"][person]], dtype=object
        )
        has_contact = primary[person] != None  # noqa: E711
        by = plan["identified_by"]
        customer_ref = np.where(has_contact & (by < 0.7), primary[person], None)
        by_email = (customer_ref == None) & (by < 0.85)  # noqa: E711
        email = p["email"][person]
        email = np.where(plan["case"] < 0.1, np.char.upper(email.astype(str)).astype(object), email)
        customer_ref = np.where(by_email, email, customer_ref)
        anonymous_id = np.where(customer_ref == None, device, None)  # noqa: E711
        names = [list(exp.split) for exp in EXPERIMENTS]
        variant = np.array([names[e][v] for e, v in zip(plan["experiment"], plan["variant"])], dtype=object)
        experiment_id = np.array([EXPERIMENTS[e].experiment_id for e in plan["experiment"]], dtype=object)
        # the other variant, on the person's device, a few hours later
        two = np.flatnonzero(plan["second_variant"] & plan["exported"])
        other = np.array(
            [
                names[e][(v + 1) % len(names[e])]
                for e, v in zip(plan["experiment"][two], plan["variant"][two])
            ],
            dtype=object,
        )
        keep = plan["exported"]
        at = np.concatenate(
            [plan["assigned_at"][keep], plan["assigned_at"][two] + r.integers(3600, 6 * 3600, len(two))]
        )
        rows = {
            "experiment_id": np.concatenate([experiment_id[keep], experiment_id[two]]),
            "variant": np.concatenate([variant[keep], other]),
            "customer_ref": np.concatenate([customer_ref[keep], np.full(len(two), None, dtype=object)]),
            "anonymous_id": np.concatenate([anonymous_id[keep], device[two]]),
            "assigned_at": mixed_timestamps(r, at, {TS_ISO_Z: 0.9, TS_SPACE: 0.1}),
        }
        revenue_share = sum(ORDER_STATUSES[s] for s in REVENUE_STATUSES) * (1 - ORDER_BAD_AMOUNT_SHARE)
        truth = {
            "experiment_id": experiment_id,
            "person_id": p["person_id"][person],
            "variant": variant,
            "assigned_at": strftime(plan["assigned_at"], TS_ISO_Z),
            "is_exported": plan["exported"].astype(str),
            "is_in_several_variants": (plan["second_variant"] & plan["exported"]).astype(str),
            "effect_days": np.full(len(person), EXPERIMENT_EFFECT_DAYS).astype(str).astype(object),
            "revenue_uplift_per_day": np.char.mod("%.8f", plan["uplift_per_day"] * revenue_share).astype(
                object
            ),
        }
        return self._resend(rows, 0.005), truth

    def orders(self, p: dict, primary: np.ndarray, plan: dict | None = None) -> tuple[dict, dict, dict]:
        rng, n = self.rng, self.n
        params = ARCHETYPE_RATES
        aov = params[p["arche"], 1]
        discount_p = params[p["arche"], 4]
        spender = p["anomaly_type"] == "extreme_spender"
        # a Poisson process on the active days: a Poisson count, spread uniformly
        n_orders = rng.poisson(self.order_rates(p) * _active_days(p))

        buyer = np.repeat(np.arange(n), n_orders)
        span = p["act_end"][buyer] - p["signup"][buyer]
        order_ts = p["signup"][buyer] + (rng.random(len(buyer)) * span).astype(np.int64)
        if plan is not None:
            # experiments' uplift: extra orders in the effect window, while still active
            r = np.random.default_rng([self.cfg.seed, self.chunk, 6])
            who = plan["person"]
            lo = plan["assigned_at"]
            hi = np.minimum(lo + EXPERIMENT_EFFECT_DAYS * DAY, p["act_end"][who])
            days = np.clip(hi - lo, 0, None) / DAY
            extra = r.poisson(plan["uplift_per_day"] * days)
            k = np.repeat(np.arange(len(who)), extra)
            buyer = np.concatenate([buyer, who[k]])
            order_ts = np.concatenate([order_ts, lo[k] + (r.random(len(k)) * (hi - lo)[k]).astype(np.int64)])
        m = len(buyer)
        order_no = (self.chunk * 10**9) + np.arange(m)
        order_id = opaque_ids("O", order_no, 10)
        currency = np.array([V.COUNTRY_CURRENCY[c] for c in p["country"][buyer]], dtype=object)
        travel = rng.random(m) < 0.03
        currency[travel] = rng.choice(["GBP", "USD", "EUR"], int(travel.sum()))

        # lines
        n_lines = np.minimum(1 + rng.poisson(0.8, m), 5)
        line_order = np.repeat(np.arange(m), n_lines)
        line_number = _rank_within(line_order) + 1
        owner = buyer[line_order]
        prod = self._plant_bundles(
            self._pick_products(p["fav"][owner]), line_order, line_number, buyer, order_ts
        )
        price_gbp = self.products["price_gbp"][prod]
        fx = np.array([FX_FROM_GBP[c] for c in currency[line_order]])
        unit_price = np.round(price_gbp * fx * aov[owner].clip(0.8, 1.2), 2)
        qty = 1 + rng.poisson(0.4, len(line_order))
        qty = np.where(spender[owner], qty * rng.integers(8, 16, len(line_order)), qty)
        discounted = rng.random(len(line_order)) < discount_p[owner]
        discount = np.where(
            discounted, np.round(unit_price * qty * rng.uniform(0.1, 0.4, len(line_order)), 2), 0.0
        )
        line_net = unit_price * qty - discount
        total = np.round(np.bincount(line_order, weights=line_net, minlength=m), 2)

        status = rng.choice(list(ORDER_STATUSES), size=m, p=list(ORDER_STATUSES.values()))
        channel = rng.choice(["web", "app"], size=m, p=[0.7, 0.3])
        as_contact = (rng.random(m) < 0.75) & (primary[buyer] != None)  # noqa: E711
        guest_email = p["email"][buyer].copy()
        shout = rng.random(m) < 0.15
        guest_email[shout] = np.char.upper(guest_email[shout].astype(str)).astype(object)
        customer_ref = np.where(as_contact, primary[buyer], guest_email)

        total_str = np.char.mod("%.2f", total).astype(object)
        r = rng.random(m)
        negative = r < ORDER_BAD_AMOUNT_SHARE * 0.75
        total_str[negative] = np.char.mod("%.2f", -total[negative]).astype(object)
        total_str[~negative & (r < ORDER_BAD_AMOUNT_SHARE)] = "9999999.99"
        orders = {
            "order_id": order_id,
            "customer_ref": customer_ref,
            "order_at": mixed_timestamps(
                rng, order_ts, {TS_ISO_Z: 0.7, TS_SPACE: 0.15, TS_DMY: 0.1, "epoch": 0.05}
            ),
            "status": spell(rng, status, V.ORDER_STATUS_SPELLINGS),
            "currency": np.where(rng.random(m) < 0.05, np.char.lower(currency.astype(str)), currency).astype(
                object
            ),
            "total_amount": total_str,
            "channel": spell(rng, channel, V.CHANNEL_SPELLINGS),
        }
        items = {
            "order_id": order_id[line_order],
            "line_number": line_number.astype(str).astype(object),
            "product_id": self.products["product_id"][prod],
            "quantity": qty.astype(str).astype(object),
            "unit_price": np.char.mod("%.2f", unit_price).astype(object),
            "discount_amount": np.char.mod("%.2f", discount).astype(object),
        }
        truth = {"order_id": order_id, "person_id": p["person_id"][buyer]}
        return self._resend(orders, 0.01), self._resend(items, 0.005), truth

    def _plant_bundles(
        self,
        prod: np.ndarray,
        line_order: np.ndarray,
        line_number: np.ndarray,
        buyer: np.ndarray,
        order_ts: np.ndarray,
    ) -> np.ndarray:
        """Co-purchase structure over the lines' products. Within an order, each line after
        the first is, at BUNDLE_LINE_SHARE, a bundle partner of the first line's product;
        across orders, a person's next order opens, at BUNDLE_FOLLOW_UP_SHARE, with a
        partner of the previous order's first product. Own stream: every other draw of
        the chunk is unchanged."""
        r = np.random.default_rng([self.cfg.seed, self.chunk, 7])
        prod = prod.copy()
        first_line = np.flatnonzero(line_number == 1)  # lines are grouped by order, first line first
        by_time = np.lexsort((order_ts, buyer))
        previous = np.full(len(buyer), -1, dtype=np.int64)
        same = buyer[by_time][1:] == buyer[by_time][:-1]
        previous[by_time[1:][same]] = by_time[:-1][same]
        follow = (previous >= 0) & (r.random(len(buyer)) < BUNDLE_FOLLOW_UP_SHARE)
        opened = bundle_partners(self.products, prod[first_line[previous[follow]]], r)
        at = first_line[np.flatnonzero(follow)]
        prod[at[opened >= 0]] = opened[opened >= 0]
        partner = bundle_partners(self.products, prod[first_line[line_order]], r)
        swap = (line_number > 1) & (partner >= 0) & (r.random(len(prod)) < BUNDLE_LINE_SHARE)
        prod[swap] = partner[swap]
        return prod

    def order_rates(self, p: dict) -> np.ndarray:
        """Web and app orders per active day of each person (before statuses and bad rows)."""
        params = ARCHETYPE_RATES
        rate = params[p["arche"], 0] * self.cfg.orders_scale / 365 * p["buying"]
        days = np.maximum(_active_days(p), 1.0)
        hyper = p["anomaly_type"] == "hyperactive"
        rate[hyper] = rate[hyper] * 6 + 10 / days[hyper]
        spender = p["anomaly_type"] == "extreme_spender"
        rate[spender] = np.maximum(rate[spender], 2 / days[spender])
        return rate

    def pos_rates(self, p: dict) -> np.ndarray:
        """In-store transactions per active day of each person."""
        params = ARCHETYPE_RATES
        return params[p["arche"], 3] / 365 * p["buying"]

    def purchase_truth(self, p: dict) -> dict:
        """Each person's true purchase process: active window and rates per day.

        ``revenue_rate_per_day`` counts only what the project can see as a purchase of
        the person: orders with a revenue status and a valid amount, and in-store
        transactions with a valid amount whose loyalty card was scanned. The chance of
        at least one purchase in a window is 1 - exp(-rate * active days in it).
        """
        revenue_share = sum(ORDER_STATUSES[s] for s in REVENUE_STATUSES) * (1 - ORDER_BAD_AMOUNT_SHARE)
        pos_seen = (p["loyalty"] != None) * POS_CARD_SCANNED_SHARE * (1 - POS_BAD_AMOUNT_SHARE)  # noqa: E711
        orders, pos = self.order_rates(p), self.pos_rates(p)
        return {
            "person_id": p["person_id"],
            "active_from": strftime(p["signup"], TS_ISO_Z),
            "active_until": strftime(p["act_end"], TS_ISO_Z),
            "engagement": np.char.mod("%.6f", p["engagement"]).astype(object),
            "order_rate_per_day": np.char.mod("%.8f", orders).astype(object),
            "pos_rate_per_day": np.char.mod("%.8f", pos).astype(object),
            "revenue_rate_per_day": np.char.mod("%.8f", orders * revenue_share + pos * pos_seen).astype(
                object
            ),
        }

    def _pick_products(self, fav: np.ndarray) -> np.ndarray:
        rng = self.rng
        cats = np.where(rng.random(len(fav)) < 0.6, fav, rng.choice(V.CATEGORIES, len(fav)))
        out = np.empty(len(fav), dtype=np.int64)
        for c in V.CATEGORIES:
            mask = cats == c
            pool = self.products["by_category"][c]
            out[mask] = pool[rng.integers(0, len(pool), int(mask.sum()))]
        return out

    def pos(self, p: dict) -> tuple[dict, dict]:
        rng, n = self.rng, self.n
        params = ARCHETYPE_RATES
        n_tx = rng.poisson(self.pos_rates(p) * _active_days(p))
        shopper = np.repeat(np.arange(n), n_tx)
        m = len(shopper)
        span = p["act_end"][shopper] - p["signup"][shopper]
        ts = p["signup"][shopper] + (rng.random(m) * span).astype(np.int64)
        ts = ts - ts % 60 + rng.integers(0, 60, m)
        amount = np.round(rng.lognormal(np.log(35), 0.6, m) * params[p["arche"][shopper], 1], 2)
        currency = np.array([V.COUNTRY_CURRENCY[c] for c in p["country"][shopper]], dtype=object)
        scanned = rng.random(m) < POS_CARD_SCANNED_SHARE
        loyalty = np.where(scanned, p["loyalty"][shopper], None)
        tx_id = opaque_ids("T", self.chunk * 10**9 + np.arange(m), 10)
        amount_str = np.char.mod("%.2f", amount).astype(object)
        neg = rng.random(m) < POS_BAD_AMOUNT_SHARE
        amount_str[neg] = np.char.mod("%.2f", -amount[neg]).astype(object)
        rows = {
            "transaction_id": tx_id,
            "loyalty_id": loyalty,
            "store_id": np.char.add("S", np.char.zfill(rng.integers(1, 41, m).astype(str), 3)).astype(object),
            "transaction_at": strftime(ts, TS_SPACE),
            "amount": amount_str,
            "currency": currency,
        }
        truth = {"transaction_id": tx_id, "person_id": p["person_id"][shopper]}
        return self._resend(rows, 0.005), truth

    # -- web events -----------------------------------------------------------
    def web(self, p: dict, primary: np.ndarray) -> tuple[dict, dict, dict]:
        rng, n, cfg = self.rng, self.n, self.cfg
        params = ARCHETYPE_RATES
        sess_rate = params[p["arche"], 2] / 365 * p["engagement"]
        sess_rate[p["anomaly_type"] == "hyperactive"] *= 4
        n_sess = rng.poisson(sess_rate * _active_days(p))

        # devices (anonymous ids) per person, plus visitors who never identify
        n_dev = 1 + rng.binomial(2, 0.3, n)
        dev_owner = np.repeat(np.arange(n), n_dev)
        dev_no = self.chunk * 10**8 + np.arange(len(dev_owner))
        anon_known = opaque_ids("anon-", dev_no, 12)
        dev_type_known = rng.choice(V.DEVICE_TYPES, len(dev_owner), p=[0.45, 0.45, 0.10])
        dev_start = _group_starts(n_dev)

        sess_owner = np.repeat(np.arange(n), n_sess)
        sess_dev = dev_start[sess_owner] + rng.integers(0, n_dev[sess_owner])
        s_start, s_end = p["signup"][sess_owner], p["act_end"][sess_owner]
        n_ev = 1 + rng.poisson(3.0, len(sess_owner))
        t0 = s_start + (rng.random(len(sess_owner)) * (s_end - s_start)).astype(np.int64)

        # visitors who never log in
        n_anon = max(1, int(n * 0.3))
        anon_no = self.chunk * 10**8 + 5 * 10**7 + np.arange(n_anon)
        anon_only = opaque_ids("anon-", anon_no, 12)
        a_sess = 1 + rng.poisson(0.5, n_anon)
        a_owner = np.repeat(np.arange(n_anon), a_sess)
        a_t0 = rng.integers(cfg.start_ts, cfg.end_ts - 3600, len(a_owner))
        a_nev = 1 + rng.poisson(1.5, len(a_owner))

        # bots: one dense burst each
        n_bots = max(1, n // 500)
        bot_ids = opaque_ids("anon-", self.chunk * 10**8 + 9 * 10**7 + np.arange(n_bots), 12)
        b_t0 = rng.integers(cfg.start_ts, cfg.end_ts - 3600, n_bots)
        b_nev = rng.integers(150, 400, n_bots)

        # one table of sessions: device key, start, event count, kind
        known_key = sess_dev
        anon_key = len(dev_owner) + a_owner
        bot_key = len(dev_owner) + n_anon + np.arange(n_bots)
        key = np.concatenate([known_key, anon_key, bot_key])
        start = np.concatenate([t0, a_t0, b_t0])
        nev = np.concatenate([n_ev, a_nev, b_nev])
        is_bot_s = np.concatenate([np.zeros(len(t0) + len(a_t0), bool), np.ones(n_bots, bool)])
        all_anon = np.concatenate([anon_known, anon_only, bot_ids])
        all_dev_type = np.concatenate(
            [
                dev_type_known,
                rng.choice(V.DEVICE_TYPES, n_anon, p=[0.4, 0.5, 0.1]),
                np.full(n_bots, "desktop", dtype=object),
            ]
        )
        person_of_key = np.concatenate([dev_owner, np.full(n_anon + n_bots, -1)])

        # events within a session: gaps well under the 30-minute session timeout
        ev_sess = np.repeat(np.arange(len(key)), nev)
        pos_in = _rank_within(ev_sess)
        gap = np.where(
            is_bot_s[ev_sess],
            rng.integers(0, 2, len(ev_sess)),
            np.minimum(rng.exponential(75, len(ev_sess)), 20 * MINUTE),
        ).astype(np.int64)
        gap[pos_in == 0] = 0
        offset = np.cumsum(gap)
        offset -= np.repeat(offset[_group_starts(nev)], nev)
        duration = offset[np.cumsum(nev) - 1]

        # sessions of one person (or one anonymous visitor) never come within 31
        # minutes of each other: that is what makes them distinct sessions.
        owner_key = np.where(person_of_key[key] >= 0, person_of_key[key], len(person_of_key) + key)
        order = np.lexsort((start, owner_key))
        ok, st, du = owner_key[order], start[order], duration[order]
        step = du + 31 * MINUTE
        csum = np.cumsum(step)
        first_in_group = np.r_[True, ok[1:] != ok[:-1]]
        grp_base = np.maximum.accumulate(np.where(first_in_group, np.arange(len(ok)), 0))
        prev_c = np.where(first_in_group, 0, csum - step - (csum[grp_base] - step[grp_base]))
        big = np.int64(10**11)
        rank = np.cumsum(first_in_group)
        v = st - prev_c + rank * big
        adj = np.maximum.accumulate(v) - rank * big + prev_c
        start_adj = np.empty_like(start)
        start_adj[order] = adj
        keep_sess = start_adj + duration <= cfg.end_ts
        ev_keep = keep_sess[ev_sess]

        ev_ts = (start_adj[ev_sess] + offset)[ev_keep]
        ev_s = ev_sess[ev_keep]
        pos_in = pos_in[ev_keep]
        ev_key = key[ev_s]
        m = len(ev_ts)

        # event types
        etype = rng.choice(
            ["page_view", "product_view", "add_to_cart", "search", "checkout", "purchase"],
            size=m,
            p=[0.36, 0.36, 0.10, 0.10, 0.05, 0.03],
        )
        etype[pos_in == 0] = "page_view"
        bot_ev = is_bot_s[ev_s]
        etype[bot_ev] = np.where(rng.random(int(bot_ev.sum())) < 0.5, "page_view", "product_view")

        # logins: a device logs in during one of its sessions; from then on the
        # user_id (the CRM contact id) is on every event from that device.
        user_id = np.full(m, None, dtype=object)
        ev_person = person_of_key[ev_key]
        known = ev_person >= 0
        has_user = known & (primary[np.where(known, ev_person, 0)] != None)  # noqa: E711
        sess_rank = np.zeros(len(key), dtype=np.int64)
        korder = np.lexsort((start_adj, key))
        sess_rank[korder] = _rank_within(key[korder])
        login_after = rng.geometric(0.35, len(all_anon)) - 1
        login_sess = sess_rank[ev_s] == login_after[ev_key]
        login_pos = np.minimum(1, nev[ev_s] - 1)
        login_event = has_user & login_sess & (pos_in == login_pos)
        etype[login_event] = "login"
        identified = has_user & (
            (sess_rank[ev_s] > login_after[ev_key]) | (login_sess & (pos_in >= login_pos))
        )
        user_id[identified] = primary[ev_person[identified]]

        fav = np.where(known, p["fav"][np.where(known, ev_person, 0)], "electronics")
        prod = self._pick_products(fav)
        needs_product = np.isin(etype, ["product_view", "add_to_cart"])
        product_id = np.where(needs_product, self.products["product_id"][prod], None)
        page = np.full(m, "/", dtype=object)
        page[etype == "product_view"] = np.char.add(
            "/product/", product_id[etype == "product_view"].astype(str)
        )
        page[etype == "add_to_cart"] = "/cart"
        page[etype == "checkout"] = "/checkout"
        page[etype == "purchase"] = "/checkout/complete"
        page[etype == "search"] = "/search?q=" + np.char.lower(fav[etype == "search"].astype(str)).astype(
            object
        )
        page[etype == "login"] = "/account/login"
        pv = (etype == "page_view") & (pos_in > 0)
        page[pv] = "/category/" + fav[pv].astype(object)
        first_ev = pos_in == 0
        utm = first_ev & (rng.random(m) < 0.15)
        page[utm] = (
            page[utm]
            + "?utm_source=newsletter&utm_medium=email&utm_campaign=CMP"
            + np.char.zfill(rng.integers(1, 100, int(utm.sum())).astype(str), 3).astype(object)
        )
        referrer = np.full(m, None, dtype=object)
        referrer[first_ev] = np.asarray(V.REFERRERS, dtype=object)[
            rng.integers(0, len(V.REFERRERS), int(first_ev.sum()))
        ]

        event_no = self.chunk * 10**10 + np.arange(m)
        event_id = opaque_ids("E", event_no, 12)
        rows = {
            "event_id": event_id,
            "anonymous_id": all_anon[ev_key],
            "user_id": user_id,
            "event_type": spell(rng, etype, V.EVENT_TYPE_SPELLINGS, clean_share=0.8),
            "event_at": mixed_timestamps(rng, ev_ts, {TS_ISO_Z: 0.93, "offset": 0.05, TS_SPACE: 0.02}),
            "page_url": page,
            "product_id": product_id,
            "device_type": all_dev_type[ev_key],
            "referrer": referrer,
        }
        sess_id = opaque_ids("S", self.chunk * 10**9 + ev_s, 10)
        truth_ev = {"event_id": event_id, "session_id": sess_id}
        truth_anon = {
            "anonymous_id": all_anon,
            "person_id": np.where(person_of_key >= 0, p["person_id"][np.maximum(person_of_key, 0)], None),
            "is_bot": np.concatenate([np.zeros(len(dev_owner) + n_anon, bool), np.ones(n_bots, bool)]).astype(
                str
            ),
        }
        return self._resend(rows, 0.005), truth_ev, truth_anon

    # -- email, consent, erasure ---------------------------------------------
    def email(self, p: dict) -> dict:
        rng, n, cfg = self.rng, self.n, self.cfg
        params = ARCHETYPE_RATES
        n_send = rng.poisson(6, n)
        who = np.repeat(np.arange(n), n_send)
        m = len(who)
        n_campaigns = cfg.history_days // 7
        campaign = rng.integers(0, n_campaigns, m)
        sent_ts = cfg.start_ts + campaign * 7 * DAY + rng.integers(8 * 3600, 11 * 3600, m)
        keep = sent_ts >= p["signup"][who]
        who, campaign, sent_ts = who[keep], campaign[keep], sent_ts[keep]
        m = len(who)
        # engaged people open more; after their dropout a person rarely opens at all
        open_p = np.minimum(params[p["arche"][who], 5] * np.sqrt(p["engagement"][who]), 0.95)
        open_p = np.where(sent_ts <= p["act_end"][who], open_p, open_p * 0.1)
        bounced = rng.random(m) < 0.01
        opened = ~bounced & (rng.random(m) < open_p)
        clicked = opened & (rng.random(m) < 0.35)
        unsub = opened & (rng.random(m) < 0.005)
        parts = [
            (np.ones(m, bool), "send", 0),
            (bounced, "bounce", 60),
            (opened, "open", 3600),
            (clicked, "click", 3700),
            (unsub, "unsubscribe", 3800),
        ]
        emails, types, ts, camps = [], [], [], []
        for mask, name, delay in parts:
            k = int(mask.sum())
            emails.append(p["email"][who[mask]])
            types.append(np.full(k, name, dtype=object))
            extra = rng.integers(0, 3 * DAY, k) if name in ("open", "click", "unsubscribe") else 0
            ts.append(sent_ts[mask] + delay + extra)
            camps.append(campaign[mask])
        email = np.concatenate(emails)
        shout = rng.random(len(email)) < 0.1
        email[shout] = np.char.upper(email[shout].astype(str)).astype(object)
        etype = np.concatenate(types)
        ts_all = np.concatenate(ts)
        camp = np.concatenate(camps)
        no = self.chunk * 10**10 + np.arange(len(email))
        rows = {
            "event_id": opaque_ids("M", no, 12),
            "email": email,
            "campaign_id": np.char.add("CMP", np.char.zfill((camp + 1).astype(str), 3)).astype(object),
            "event_type": spell(rng, etype, V.EMAIL_EVENT_SPELLINGS, clean_share=0.8),
            "event_at": strftime(ts_all, TS_ISO_Z),
        }
        return self._resend(rows, 0.005)

    def consent(self, p: dict) -> tuple[dict, dict]:
        rng, n, cfg = self.rng, self.n, self.cfg
        has = rng.random(n) < 0.85
        rows_email, rows_purpose, rows_status, rows_ts = [], [], [], []
        for purpose, prob in zip(V.CONSENT_PURPOSES, [0.9, 0.5, 0.7, 0.5]):
            grant = has & (rng.random(n) < prob)
            idx = np.flatnonzero(grant)
            rows_email.append(p["email"][idx])
            rows_purpose.append(np.full(len(idx), purpose, dtype=object))
            rows_status.append(np.full(len(idx), "granted", dtype=object))
            rows_ts.append(p["signup"][idx])
            withdraw = idx[rng.random(len(idx)) < 0.15]
            rows_email.append(p["email"][withdraw])
            rows_purpose.append(np.full(len(withdraw), purpose, dtype=object))
            rows_status.append(np.full(len(withdraw), "withdrawn", dtype=object))
            wts = p["signup"][withdraw] + rng.integers(DAY, 300 * DAY, len(withdraw))
            rows_ts.append(np.minimum(wts, cfg.end_ts))
        email = np.concatenate(rows_email)
        shout = rng.random(len(email)) < 0.1
        email[shout] = np.char.upper(email[shout].astype(str)).astype(object)
        status = np.concatenate(rows_status)
        consent = {
            "subject_email": email,
            "purpose": np.concatenate(rows_purpose),
            "status": spell(rng, status, V.CONSENT_STATUS_SPELLINGS, clean_share=0.8),
            "recorded_at": strftime(np.concatenate(rows_ts), TS_ISO_Z),
        }
        erase = np.flatnonzero(rng.random(n) < 0.003)
        erasure = {
            "subject_email": p["email"][erase],
            "requested_at": strftime(cfg.end_ts - rng.integers(DAY, 90 * DAY, len(erase)), TS_ISO_Z),
        }
        return consent, erasure


def make_products(cfg: GeneratorConfig) -> dict:
    rng = np.random.default_rng([cfg.seed, 999_999])
    n = cfg.products
    cat = rng.choice(V.CATEGORIES, n)
    brand = rng.choice(V.BRANDS, n)
    adj = rng.choice(V.ADJECTIVES, n)
    price = np.array([V.CATEGORY_PRICE[c] for c in cat]) * rng.lognormal(0, 0.4, n)
    price = np.round(price, 2)
    product_id = np.char.add("PRD", np.char.zfill(np.arange(1, n + 1).astype(str), 5)).astype(object)
    name = np.array(
        [f"{b} {a} {c.title()} {i % 97}" for b, a, c, i in zip(brand, adj, cat, range(n))], dtype=object
    )
    desc = np.array([f"{a} {c} item by {b}." for a, c, b in zip(adj, cat, brand)], dtype=object)
    category = cat.astype(object).copy()
    messy = rng.random(n)
    category[messy < 0.03] = None
    category[(messy >= 0.03) & (messy < 0.08)] = np.char.title(
        cat[(messy >= 0.03) & (messy < 0.08)].astype(str)
    )
    rows = {
        "product_id": product_id,
        "name": name,
        "category": category,
        "brand": brand.astype(object),
        "price": np.char.mod("%.2f", price).astype(object),
        "description": desc,
    }
    by_category = {c: np.flatnonzero(cat == c) for c in V.CATEGORIES}
    return {
        "rows": rows,
        "product_id": product_id,
        "price_gbp": price,
        "by_category": by_category,
        **_bundles(cfg, n),
    }


def _bundles(cfg: GeneratorConfig, n: int) -> dict:
    """Products bought together: BUNDLED_SHARE of the catalogue split at random into
    groups of 2 to 4 (so a group spans categories, and its categories are bought
    together too). Drawn from their own stream, so the product rows do not change.

    ``bundle_of`` is each product's bundle (-1 for none); ``bundle_members`` lists the
    bundles' products bundle after bundle, from ``bundle_start`` with ``bundle_size``;
    ``bundle_position`` is each bundled product's place in its bundle. A catalogue too
    small for one bundle of two has none."""
    rng = np.random.default_rng([cfg.seed, 999_998])
    chosen = rng.permutation(n)[: int(n * BUNDLED_SHARE)]
    if len(chosen) < 2:
        chosen = chosen[:0]
    sizes = []
    while sum(sizes) < len(chosen):
        sizes.append(int(rng.integers(2, 5)))
    if sizes:
        sizes[-1] -= sum(sizes) - len(chosen)
    if sizes and sizes[-1] < 2:  # a lone last product joins the bundle before it
        sizes[-2] += sizes.pop()
    size = np.asarray(sizes, dtype=np.int64)
    start = (np.cumsum(size) - size).astype(np.int64)
    bundle_of = np.full(n, -1, dtype=np.int64)
    position = np.zeros(n, dtype=np.int64)
    bundle_of[chosen] = np.repeat(np.arange(len(size)), size)
    position[chosen] = np.arange(len(chosen)) - np.repeat(start, size)
    return {
        "bundle_of": bundle_of,
        "bundle_members": chosen,
        "bundle_start": start,
        "bundle_size": size,
        "bundle_position": position,
    }


def bundle_truth(products: dict) -> dict:
    """The planted bundles as a truth table: one row per bundled product."""
    members = products["bundle_members"]
    return {
        "bundle_id": np.char.add("B", np.char.zfill(products["bundle_of"][members].astype(str), 4)).astype(
            object
        ),
        "product_id": products["product_id"][members],
    }


def bundle_partners(products: dict, prod: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """For each product index in ``prod``, another product of its bundle drawn at random
    (-1 where the product is in no bundle)."""
    b = products["bundle_of"][prod]
    out = np.full(len(prod), -1, dtype=np.int64)
    has = b >= 0
    size = products["bundle_size"][b[has]]
    step = 1 + (rng.random(int(has.sum())) * (size - 1)).astype(np.int64)
    at = (products["bundle_position"][prod[has]] + step) % size
    out[has] = products["bundle_members"][products["bundle_start"][b[has]] + at]
    return out
