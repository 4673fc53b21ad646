"""The showcase of typical examples (điển hình tiên tiến): saving and publishing profiles,
their measured results, photos (checked by content, resized, stripped of metadata and kept
outside static/), replications (nhân rộng), the public gallery's search, and the home page's
top examples with compact live leaderboards."""

from __future__ import annotations

import contextlib
import hashlib
import io
import math
import os
import re
import uuid
import warnings
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import BinaryIO

from flask import current_app
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from emulation.campaigns.models import Campaign, CampaignStatus
from emulation.campaigns.service import slugify
from emulation.commendation.models import Award, NominationSubject
from emulation.core.clock import local_today, utcnow
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.core.text import fold, nfc
from emulation.progress import service as progress
from emulation.registrations.models import RegistrationStatus
from emulation.registrations.service import registration_of
from emulation.showcase.models import (
    FIELDS,
    ProfileKind,
    Replication,
    ShowcasePhoto,
    ShowcaseProfile,
)
from emulation.standings import profiles as unit_profiles
from emulation.standings import service as standings
from emulation.units.models import Unit

PAGE_SIZE = 24
MAX_FIGURES = 12
MAX_PHOTOS = 30
DEFAULT_MAX_MB = 10
LONG_SIDE = 1600
THUMB_SIDE = 400
# A photo from a phone is 12–50 megapixels; anything far beyond is refused before decoding.
MAX_PIXELS = 80_000_000
HOME_PROFILES = 6
HOME_TOP_ROWS = 3
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Paths of the showcase's own pages, which a profile's slug would hide.
RESERVED_SLUGS = {"new", "manage", "home-boards", "photos", "replications"}
STORED_NAME = re.compile(r"^[0-9a-f]{32}\.(jpg|webp)$")
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
# For the file picker; the server decides by the content regardless.
ACCEPT = ".jpg,.jpeg,.png,.webp,image/jpeg,image/png,image/webp"


# --- measured results -------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """One measured result: "Diện tích đất nhân dân hiến" 12.000 m²."""

    label: str
    value: Decimal
    unit: str

    @property
    def digits(self) -> int:
        """Decimals to show: as many as were typed, at most 2."""
        exponent = self.value.normalize().as_tuple().exponent
        return min(2, max(0, -exponent)) if isinstance(exponent, int) else 0


def figures(profile: ShowcaseProfile) -> list[Figure]:
    """The profile's stored results, as numbers."""
    found = []
    for item in profile.results or []:
        try:
            value = Decimal(str(item.get("value", "")))
        except ArithmeticError:
            continue
        found.append(Figure(item.get("label", ""), value, item.get("unit", "")))
    return found


def _clean_results(rows) -> list[dict]:
    """(label, value, unit) rows typed in a form → stored figures; blank rows dropped."""
    results = []
    for label, value, unit in rows:
        label, unit = nfc(label), nfc(unit)
        if not label and value is None and not unit:
            continue
        if not label:
            raise DomainError(_("Mỗi kết quả cần có nội dung (tên chỉ số)."), "results")
        if value is None:
            raise DomainError(_("Kết quả “%(label)s” chưa có số liệu.", label=label), "results")
        results.append(
            {"label": label, "value": format(value.normalize(), "f"), "unit": unit}  # JSON text
        )
    if len(results) > MAX_FIGURES:
        raise DomainError(_("Tối đa %(n)s kết quả.", n=MAX_FIGURES), "results")
    return results


# --- profiles -------------------------------------------------------------------------------


def profile_by_slug(slug: str) -> ShowcaseProfile | None:
    return db.session.scalar(select(ShowcaseProfile).where(ShowcaseProfile.slug == slug))


def _unique_slug(base: str, profile: ShowcaseProfile) -> str:
    base = base[:110].strip("-") or "dien-hinh"
    slug, n = base, 1
    while True:
        clash = profile_by_slug(slug)
        if slug not in RESERVED_SLUGS and (clash is None or clash is profile):
            return slug
        n += 1
        slug = f"{base}-{n}"


def refresh_search_text(profile: ShowcaseProfile) -> None:
    """Keep the accent-free search text in step with what a visitor sees."""
    unit = profile.unit
    parts = [
        profile.title,
        profile.person_name,
        profile.person_title,
        profile.headline,
        unit.name if unit else "",
        unit.short_name if unit else "",
        profile.award_text,
        profile.story,
    ]
    profile.search_text = fold(" ".join(p for p in parts if p))


def save_profile(
    profile: ShowcaseProfile,
    *,
    kind: str,
    unit: Unit | None = None,
    person_name: str = "",
    person_title: str = "",
    title: str = "",
    headline: str = "",
    story: str = "",
    campaign: Campaign | None = None,
    year: int | None = None,
    field: str,
    award_text: str = "",
    results=(),
    slug: str = "",
) -> ShowcaseProfile:
    """Validate and store a profile's fields (publication is separate)."""
    if kind not in ProfileKind.LABELS:
        raise DomainError(_("Loại điển hình không hợp lệ."), "kind")
    person_name, title = nfc(person_name), nfc(title)
    if kind == ProfileKind.UNIT and unit is None:
        raise DomainError(_("Hãy chọn đơn vị được tôn vinh."), "unit_id")
    if kind == ProfileKind.PERSON and not person_name:
        raise DomainError(_("Cần nhập họ và tên."), "person_name")
    if kind == ProfileKind.MODEL and not title:
        raise DomainError(_("Cần nhập tên mô hình."), "title")
    if field not in FIELDS:
        raise DomainError(_("Hãy chọn lĩnh vực."), "field")
    if year is None:
        if campaign is None:
            raise DomainError(_("Cần nhập năm."), "year")
        year = campaign.year
    if not 1945 <= year <= local_today().year + 1:
        raise DomainError(_("Năm phải từ 1945 đến %(y)s.", y=local_today().year + 1), "year")
    cleaned = _clean_results(results)

    profile.kind, profile.unit = kind, unit
    profile.person_name = person_name if kind == ProfileKind.PERSON else ""
    profile.person_title = nfc(person_title) if kind == ProfileKind.PERSON else ""
    profile.title, profile.headline = title, nfc(headline)
    profile.story = "\n".join(line.rstrip() for line in nfc(story).splitlines())
    profile.campaign, profile.year, profile.field = campaign, year, field
    profile.award_text, profile.results = nfc(award_text), cleaned

    slug = nfc(slug).lower()
    if slug:
        if not SLUG.match(slug):
            raise DomainError(
                _("Mã đường dẫn chỉ gồm chữ thường không dấu, số và dấu gạch nối."), "slug"
            )
        clash = profile_by_slug(slug)
        if slug in RESERVED_SLUGS or (clash is not None and clash is not profile):
            raise DomainError(_("Mã đường dẫn %(slug)s đã được dùng.", slug=slug), "slug")
        profile.slug = slug
    elif not profile.slug:
        profile.slug = _unique_slug(slugify(f"{profile.name} {year}"), profile)
    refresh_search_text(profile)
    db.session.add(profile)
    return profile


# --- profiles made from an award ------------------------------------------------------------


def profile_of_award(award: Award) -> ShowcaseProfile | None:
    return db.session.scalar(select(ShowcaseProfile).where(ShowcaseProfile.award_id == award.id))


def profile_slugs_of_awards(award_ids) -> dict[int, str]:
    """Award id → slug of its showcase profile, for the awards that have one."""
    ids = list(award_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(ShowcaseProfile.award_id, ShowcaseProfile.slug).where(
            ShowcaseProfile.award_id.in_(ids)
        )
    )
    return dict(rows.all())


def award_line(award: Award) -> str:
    """ "Bằng khen … – Quyết định số 2468/QĐ-UBND ngày 23/11/2026": what a profile shows."""
    if not award.decision_number:
        return award.award_name
    if award.decision_date is None:
        return _(
            "%(award)s – Quyết định số %(number)s",
            award=award.award_name,
            number=award.decision_number,
        )
    return _(
        "%(award)s – Quyết định số %(number)s ngày %(date)s",
        award=award.award_name,
        number=award.decision_number,
        date=award.decision_date.strftime("%d/%m/%Y"),
    )


def _measured_results(award: Award) -> list[tuple[str, Decimal, str]]:
    """The unit's latest reported figures in the award's campaign, for a collective award."""
    if award.campaign is None or award.subject != NominationSubject.UNIT:
        return []
    registration = registration_of(award.campaign, award.unit)
    if registration is None or registration.status != RegistrationStatus.APPROVED:
        return []
    achieved = progress.latest_achievements(registration)
    rows = []
    for target in progress.targets_in_order(registration):
        actual = achieved[target.id].actual
        if actual is not None:
            rows.append((target.criterion.title[:200], actual, target.unit_of_measure))
    return rows[:MAX_FIGURES]


def profile_from_award(award: Award) -> ShowcaseProfile:
    """The award's profile: the existing one, or a new draft (unpublished) filled from the
    award — who, which unit, campaign, year, the decision — and, for a unit, its latest
    reported figures in the campaign. The standing office writes the story and publishes."""
    existing = profile_of_award(award)
    if existing is not None:
        return existing
    kind = {
        NominationSubject.UNIT: ProfileKind.UNIT,
        NominationSubject.PERSON: ProfileKind.PERSON,
        NominationSubject.MODEL: ProfileKind.MODEL,
    }[award.subject]
    person = kind == ProfileKind.PERSON
    profile = ShowcaseProfile(award=award)
    save_profile(
        profile,
        kind=kind,
        unit=award.unit,
        person_name=award.person_name if person else "",
        person_title=award.person_title if person else "",
        # A model's name is what the award names; a unit or a person carry the award's title.
        title=award.person_name if kind == ProfileKind.MODEL else award.award_name,
        campaign=award.campaign,
        year=award.year,
        field="khac",
        award_text=award_line(award),
        results=_measured_results(award),
    )
    return profile


def can_manage(user) -> bool:
    """The standing office writes, publishes and withdraws the profiles."""
    return bool(user.is_authenticated and user.is_admin)


def publish(profile: ShowcaseProfile) -> None:
    """Show the profile to everyone; it needs its story first."""
    if not profile.story.strip():
        raise DomainError(_("Cần viết câu chuyện điển hình trước khi công bố."), "story")
    if not profile.published:
        profile.published, profile.published_at = True, utcnow()


def unpublish(profile: ShowcaseProfile) -> None:
    profile.published = False


def delete_profile(profile: ShowcaseProfile) -> list[str]:
    """Remove an unpublished profile; returns the stored photo names, whose files the caller
    removes with `remove_stored_files` once the deletion is committed."""
    if profile.published:
        raise DomainError(_("Hãy thôi công bố trước khi xóa hồ sơ."))
    names = [p.stored_name for p in profile.photos]
    db.session.delete(profile)
    return names


def story_paragraphs(profile: ShowcaseProfile) -> list[str]:
    """The story split at blank lines; line breaks inside a paragraph are kept."""
    return [p.strip() for p in re.split(r"\n\s*\n", profile.story or "") if p.strip()]


def is_visible(profile: ShowcaseProfile, user) -> bool:
    """Published profiles are public; drafts only for the standing office."""
    return profile.published or bool(getattr(user, "is_authenticated", False) and user.is_admin)


def public_campaign(profile: ShowcaseProfile) -> Campaign | None:
    """The campaign, when visitors may open it (drafts are hidden)."""
    campaign = profile.campaign
    return campaign if campaign is not None and campaign.status != CampaignStatus.DRAFT else None


def official_result(profile: ShowcaseProfile) -> unit_profiles.Profile | None:
    """A unit's official (published) result in the profile's campaign, from the leaderboard."""
    campaign = public_campaign(profile)
    if profile.kind != ProfileKind.UNIT or profile.unit_id is None or campaign is None:
        return None
    return unit_profiles.unit_profile(campaign, profile.unit_id, standings.OFFICIAL)


# --- the gallery ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    q: str = ""
    campaign: str = ""  # slug
    year: int | None = None
    field: str = ""
    kind: str = ""

    @classmethod
    def from_args(cls, args) -> Filters:
        """From GET parameters; anything unknown is ignored rather than refused."""
        year = args.get("year", "")
        field, kind = args.get("field", ""), args.get("kind", "")
        return cls(
            q=" ".join(args.get("q", "").split())[:200],
            campaign=args.get("campaign", "").strip()[:80],
            year=int(year) if year.isdigit() and len(year) == 4 else None,
            field=field if field in FIELDS else "",
            kind=kind if kind in ProfileKind.LABELS else "",
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.campaign or self.year or self.field or self.kind)

    def args(self, **changes) -> dict:
        """As URL parameters (empty ones left out), with `changes` applied."""
        values = {
            "q": self.q,
            "campaign": self.campaign,
            "year": self.year,
            "field": self.field,
            "kind": self.kind,
        }
        values.update(changes)
        if values.get("page") == 1:
            del values["page"]
        return {k: v for k, v in values.items() if v not in ("", None)}


@dataclass(frozen=True)
class Page:
    items: list[ShowcaseProfile]
    total: int
    number: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.pages


def _card_options():
    return (
        joinedload(ShowcaseProfile.unit),
        joinedload(ShowcaseProfile.campaign),
        selectinload(ShowcaseProfile.photos),
    )


def search_profiles(
    filters: Filters, page: int = 1, *, published_only: bool = True, size: int = PAGE_SIZE
) -> Page:
    """Profiles matching the filters (accent-free words anywhere in the profile), newest
    publication first, one page of them."""
    stmt = select(ShowcaseProfile)
    if published_only:
        stmt = stmt.where(ShowcaseProfile.published.is_(True))
    for word in fold(filters.q).split():
        stmt = stmt.where(ShowcaseProfile.search_text.contains(word, autoescape=True))
    if filters.campaign:
        stmt = stmt.join(Campaign, Campaign.id == ShowcaseProfile.campaign_id).where(
            Campaign.slug == filters.campaign
        )
    if filters.year:
        stmt = stmt.where(ShowcaseProfile.year == filters.year)
    if filters.field:
        stmt = stmt.where(ShowcaseProfile.field == filters.field)
    if filters.kind:
        stmt = stmt.where(ShowcaseProfile.kind == filters.kind)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    pages = max(1, math.ceil(total / size))
    number = min(max(1, page), pages)
    items = db.session.scalars(
        stmt.options(*_card_options())
        .order_by(
            ShowcaseProfile.published_at.desc(),
            ShowcaseProfile.year.desc(),
            ShowcaseProfile.id.desc(),
        )
        .limit(size)
        .offset((number - 1) * size)
    ).unique()
    return Page(list(items), total, number, size)


@dataclass(frozen=True)
class FilterOptions:
    campaigns: list[tuple[str, str]]  # (slug, name)
    years: list[int]


def filter_options() -> FilterOptions:
    """The campaigns and years that published profiles belong to, for the filter lists."""
    published = ShowcaseProfile.published.is_(True)
    campaigns = db.session.execute(
        select(Campaign.slug, Campaign.name)
        .where(
            Campaign.id.in_(select(ShowcaseProfile.campaign_id).where(published)),
            Campaign.status != CampaignStatus.DRAFT,
        )
        .order_by(Campaign.start_date.desc())
    ).all()
    years = db.session.scalars(
        select(ShowcaseProfile.year)
        .where(published)
        .distinct()
        .order_by(ShowcaseProfile.year.desc())
    )
    return FilterOptions([(slug, name) for slug, name in campaigns], list(years))


def latest_profiles(limit: int = HOME_PROFILES) -> list[ShowcaseProfile]:
    """The most recently published profiles, for the home page."""
    return list(
        db.session.scalars(
            select(ShowcaseProfile)
            .where(ShowcaseProfile.published.is_(True))
            .options(*_card_options())
            .order_by(ShowcaseProfile.published_at.desc(), ShowcaseProfile.id.desc())
            .limit(limit)
        ).unique()
    )


def all_profiles() -> list[ShowcaseProfile]:
    """Every profile, drafts first, for the standing office's list."""
    return list(
        db.session.scalars(
            select(ShowcaseProfile)
            .options(*_card_options())
            .order_by(
                ShowcaseProfile.published,
                ShowcaseProfile.updated_at.desc(),
                ShowcaseProfile.id.desc(),
            )
        ).unique()
    )


# --- photos ---------------------------------------------------------------------------------


def showcase_dir() -> str:
    """Where photos are kept: SHOWCASE_DIR, else instance/showcase (never under static/)."""
    return current_app.config.get("SHOWCASE_DIR") or os.path.join(
        current_app.instance_path, "showcase"
    )


def max_megabytes() -> int | float:
    return current_app.config.get("SHOWCASE_MAX_MB") or DEFAULT_MAX_MB


def thumb_name(stored_name: str) -> str:
    stem, extension = stored_name.rsplit(".", 1)
    return f"{stem}_t.{extension}"


def photo_path(photo: ShowcasePhoto, thumb: bool = False) -> str:
    """The file on disk; the stored name is checked so a tampered row cannot point elsewhere."""
    if not STORED_NAME.match(photo.stored_name):
        raise FileNotFoundError(photo.stored_name)
    name = thumb_name(photo.stored_name) if thumb else photo.stored_name
    return os.path.join(showcase_dir(), name)


@dataclass(frozen=True)
class PreparedImage:
    extension: str  # "jpg" or "webp"
    large: bytes
    thumb: bytes
    width: int
    height: int


def _not_an_image() -> DomainError:
    return DomainError(
        _(
            "Chỉ nhận ảnh JPEG, PNG hoặc WebP; nội dung tệp này không phải là ảnh thuộc các loại đó."
        ),
        "file",
    )


def _encode(image: Image.Image, extension: str) -> bytes:
    buffer = io.BytesIO()
    if extension == "webp":
        image.save(buffer, "WEBP", quality=82, method=4)
    else:
        image.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def prepare_image(data: bytes) -> PreparedImage:
    """Check that the bytes are a JPEG, PNG or WebP image (Pillow must decode them), turn
    it upright by its EXIF orientation, shrink it to LONG_SIDE px and a THUMB_SIDE px
    thumbnail, and re-encode both without any metadata: JPEG, or WebP when it has
    transparency."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            source = Image.open(io.BytesIO(data))
            if source.format not in ACCEPTED_FORMATS:
                raise _not_an_image()
            if source.width * source.height > MAX_PIXELS:
                raise DomainError(
                    _("Ảnh có kích thước điểm ảnh quá lớn; hãy chọn ảnh nhỏ hơn."), "file"
                )
            source.load()
            image = ImageOps.exif_transpose(source)
    except DomainError:
        raise
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
        OSError,
        SyntaxError,
        ValueError,
        EOFError,
    ) as exc:
        raise _not_an_image() from exc
    transparent = image.mode in ("RGBA", "LA", "PA") or (
        image.mode == "P" and "transparency" in image.info
    )
    image = image.convert("RGBA" if transparent else "RGB")
    image.info = {}  # nothing of the original (EXIF, XMP, ICC, comments) travels on
    extension = "webp" if transparent else "jpg"
    large = image.copy()
    large.thumbnail((LONG_SIDE, LONG_SIDE), Image.Resampling.LANCZOS)
    thumb = large.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    return PreparedImage(
        extension, _encode(large, extension), _encode(thumb, extension), *large.size
    )


def _write(path: str, data: bytes) -> None:
    partial = path + ".part"
    with open(partial, "wb") as out:
        out.write(data)
    os.replace(partial, path)


def store_photo(profile: ShowcaseProfile, *, stream: BinaryIO, caption: str = "") -> ShowcasePhoto:
    """Check, resize and keep an uploaded photo at the end of the profile's photos.

    The files are written before the row is committed; if the commit fails, call
    `remove_stored_files` so no orphan stays on disk."""
    if len(profile.photos) >= MAX_PHOTOS:
        raise DomainError(_("Mỗi hồ sơ có tối đa %(n)s ảnh.", n=MAX_PHOTOS), "file")
    caption = nfc(caption)
    if len(caption) > 300:
        raise DomainError(_("Chú thích tối đa 300 ký tự."), "caption")
    limit = int(max_megabytes() * 1024 * 1024)
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise DomainError(
            _("Ảnh lớn hơn %(mb)s MB. Hãy chọn ảnh nhỏ hơn.", mb=max_megabytes()), "file"
        )
    if not data:
        raise DomainError(_("Tệp rỗng; hãy chọn lại ảnh."), "file")
    digest = hashlib.sha256(data).hexdigest()
    if any(p.sha256 == digest for p in profile.photos):
        raise DomainError(_("Ảnh này đã có trong hồ sơ."), "file")
    prepared = prepare_image(data)

    stored_name = f"{uuid.uuid4().hex}.{prepared.extension}"
    folder = showcase_dir()
    os.makedirs(folder, exist_ok=True)
    _write(os.path.join(folder, stored_name), prepared.large)
    _write(os.path.join(folder, thumb_name(stored_name)), prepared.thumb)
    photo = ShowcasePhoto(
        stored_name=stored_name,
        caption=caption,
        width=prepared.width,
        height=prepared.height,
        position=max((p.position for p in profile.photos), default=-1) + 1,
        sha256=digest,
    )
    profile.photos.append(photo)
    return photo


def remove_stored_files(stored_name: str) -> None:
    """Delete a photo's files (large and thumbnail); missing ones are not an error."""
    if not STORED_NAME.match(stored_name):
        return
    for name in (stored_name, thumb_name(stored_name)):
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(showcase_dir(), name))


def delete_photo(photo: ShowcasePhoto) -> str:
    """Remove the row; returns the stored name, whose files the caller removes with
    `remove_stored_files` once the deletion is committed."""
    profile = photo.profile
    profile.photos.remove(photo)
    _renumber(profile)
    return photo.stored_name


def _renumber(profile: ShowcaseProfile) -> None:
    for position, photo in enumerate(profile.photos):
        photo.position = position


def move_photo(photo: ShowcasePhoto, offset: int) -> None:
    """Move a photo earlier (−1) or later (+1); the first one is the cover."""
    photos = list(photo.profile.photos)
    index = photos.index(photo)
    target = min(max(index + offset, 0), len(photos) - 1)
    photos.insert(target, photos.pop(index))
    for position, item in enumerate(photos):
        item.position = position


def set_caption(photo: ShowcasePhoto, caption: str) -> None:
    caption = nfc(caption)
    if len(caption) > 300:
        raise DomainError(_("Chú thích tối đa 300 ký tự."), "caption")
    photo.caption = caption


# --- replications (nhân rộng) -----------------------------------------------------------------


def add_replication(
    profile: ShowcaseProfile, unit: Unit | None, adopted_on: date | None, note: str = ""
) -> Replication:
    """Record that a unit took the example up on a day."""
    if unit is None:
        raise DomainError(_("Hãy chọn đơn vị áp dụng."), "unit_id")
    if adopted_on is None:
        raise DomainError(_("Hãy nhập ngày áp dụng."), "adopted_on")
    if adopted_on > local_today():
        raise DomainError(_("Ngày áp dụng không được sau hôm nay."), "adopted_on")
    if profile.unit_id is not None and unit.id == profile.unit_id:
        raise DomainError(
            _("Đây là đơn vị của chính điển hình, không phải đơn vị nhân rộng."), "unit_id"
        )
    if any(r.unit_id == unit.id for r in profile.replications):
        raise DomainError(_("%(unit)s đã có trong danh sách nhân rộng.", unit=unit.name), "unit_id")
    note = nfc(note)
    if len(note) > 500:
        raise DomainError(_("Ghi chú tối đa 500 ký tự."), "note")
    replication = Replication(unit=unit, adopted_on=adopted_on, note=note)
    profile.replications.append(replication)
    return replication


def remove_replication(replication: Replication) -> None:
    replication.profile.replications.remove(replication)


# --- the home page --------------------------------------------------------------------------


@dataclass(frozen=True)
class HomeBoard:
    """A current campaign's official board, each cluster cut to its top rows."""

    campaign: Campaign
    groups: tuple[standings.Group, ...]
    units: int
    grades: tuple[str, ...]


@dataclass(frozen=True)
class HomeSection:
    profiles: list[ShowcaseProfile]
    boards: list[HomeBoard]
    token: str


def _current_campaign_tokens() -> list[tuple[int, str, str]]:
    """(id, slug, standings token) of every launched campaign, newest first: one query and a
    cache read per campaign."""
    rows = db.session.execute(
        select(Campaign.id, Campaign.slug)
        .where(Campaign.status == CampaignStatus.LAUNCHED)
        .order_by(Campaign.start_date.desc(), Campaign.id.desc())
    ).all()
    found = []
    for campaign_id, slug in rows:
        token = standings.campaign_token(slug)
        found.append((campaign_id, slug, token[2] if token else ""))
    return found


def home_token() -> str:
    """What the home page's boards show, in one string: which campaigns run and their
    standings versions. An unchanged poll compares this and renders nothing."""
    return ";".join(f"{cid}:{token}" for cid, _slug, token in _current_campaign_tokens())


def home_boards(top: int = HOME_TOP_ROWS) -> tuple[list[HomeBoard], str]:
    """The official boards of the launched campaigns, top rows of each cluster, and the token
    they were read at."""
    tokens = _current_campaign_tokens()
    if not tokens:
        return [], ""
    campaigns = {
        c.id: c
        for c in db.session.scalars(select(Campaign).where(Campaign.id.in_([t[0] for t in tokens])))
    }
    boards = []
    for campaign_id, _slug, token in tokens:
        campaign = campaigns[campaign_id]
        board = standings.board(campaign, standings.OFFICIAL, token or None)
        groups = tuple(replace(g, rows=g.rows[:top]) for g in board.groups)
        boards.append(HomeBoard(campaign, groups, board.units, board.grades))
    # Boards with published results first; the newest campaign first among each kind.
    boards.sort(key=lambda b: b.units == 0)
    return boards, ";".join(f"{cid}:{token}" for cid, _slug, token in tokens)


def home_section() -> HomeSection:
    """Everything the home page shows of the showcase and the live leaderboards."""
    boards, token = home_boards()
    return HomeSection(latest_profiles(), boards, token)
