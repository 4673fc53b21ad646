"""The showcase of typical examples: the public gallery and profile pages, photos served once
published, the home page's live boards, and the standing office's editing."""

from __future__ import annotations

import os

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.campaigns.service import list_campaigns
from emulation.commendation.models import Award
from emulation.core.extensions import db
from emulation.showcase import service as domain
from emulation.showcase.models import (
    FIELDS,
    ProfileKind,
    Replication,
    ShowcasePhoto,
    ShowcaseProfile,
)
from emulation.showcase.service import Filters
from emulation.units.models import Unit
from emulation.units.service import search_units
from emulation.web.actions import act
from emulation.web.common import is_htmx, role_required
from forms import choices
from forms.showcase import CaptionForm, PhotoForm, ProfileForm, ReplicationForm

bp = Blueprint("showcase", __name__, url_prefix="/showcase")

HOME_POLL_SECONDS = 30
BLANK_FIGURE_ROWS = 3


@bp.context_processor
def _helpers():
    return {
        "photo_accept": domain.ACCEPT,
        "photo_max_mb": domain.max_megabytes(),
        "can_manage_showcase": domain.can_manage(current_user),
    }


@bp.app_context_processor
def _home_poll():
    """The home page (another blueprint) polls the boards fragment at this pace."""
    return {"showcase_poll_seconds": HOME_POLL_SECONDS}


def _int(text) -> int | None:
    text = str(text or "").strip()
    return int(text) if text.isdigit() else None


def _visible_profile(slug: str) -> ShowcaseProfile:
    """The profile, or 404: drafts exist only for the standing office."""
    profile = domain.profile_by_slug(slug)
    if profile is None or not domain.is_visible(profile, current_user):
        abort(404)
    return profile


# --- public -----------------------------------------------------------------------------------


@bp.get("/")
def index():
    """The gallery; htmx asks for the results part alone as filters change."""
    filters = Filters.from_args(request.args)
    page = domain.search_profiles(filters, _int(request.args.get("page")) or 1)
    context = {"filters": filters, "page": page, "kinds": ProfileKind.LABELS, "fields": FIELDS}
    if is_htmx():
        response = make_response(render_template("showcase/_results.html", **context))
    else:
        options = domain.filter_options()
        response = make_response(render_template("showcase/index.html", options=options, **context))
    # The same URL answers a page or a fragment: caches must tell them apart.
    response.vary.add("HX-Request")
    return response


@bp.get("/<slug>")
def profile(slug: str):
    found = _visible_profile(slug)
    return render_template(
        "showcase/profile.html",
        profile=found,
        paragraphs=domain.story_paragraphs(found),
        figures=domain.figures(found),
        campaign=domain.public_campaign(found),
        official=domain.official_result(found),
    )


def _send_photo(photo_id: int, thumb: bool):
    photo = db.get_or_404(ShowcasePhoto, photo_id)
    if not domain.is_visible(photo.profile, current_user):
        abort(404)
    try:
        path = domain.photo_path(photo, thumb)
    except FileNotFoundError:
        abort(404)
    if not os.path.isfile(path):
        abort(404)
    response = send_file(path, mimetype=photo.content_type, etag=True, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = (
        "public, max-age=600" if photo.profile.published else "private, no-cache"
    )
    return response


@bp.get("/photos/<int:photo_id>")
def photo(photo_id: int):
    return _send_photo(photo_id, thumb=False)


@bp.get("/photos/<int:photo_id>/thumb")
def thumb(photo_id: int):
    return _send_photo(photo_id, thumb=True)


@bp.get("/home-boards")
def home_boards():
    """What the home page polls: 204 while no current board moved, else the boards."""
    if request.args.get("v") == domain.home_token():
        return Response(status=204)
    boards, token = domain.home_boards()
    response = make_response(
        render_template("showcase/_home_boards.html", boards=boards, token=token)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- the standing office: profiles ------------------------------------------------------------


@bp.get("/manage")
@role_required(Role.ADMIN)
def manage():
    return render_template("showcase/manage.html", profiles=domain.all_profiles())


def _unit_choices(blank: str) -> list:
    units = search_units(include_inactive=True)
    return choices([(0, blank)] + [(u.id, u.name) for u in units])


def _prepare(form: ProfileForm) -> None:
    form.unit_id.choices = _unit_choices(_("— Không có —"))
    campaigns = list_campaigns(include_drafts=False)
    form.campaign_id.choices = choices(
        [(0, _("— Không gắn với phong trào —"))] + [(c.id, c.name) for c in campaigns]
    )
    # Always a few empty rows for new figures; the typed rows stay as they were.
    while len(form.results.entries) < min(
        len([e for e in form.results.entries if _row_typed(e)]) + BLANK_FIGURE_ROWS,
        domain.MAX_FIGURES,
    ):
        form.results.append_entry()


def _row_typed(entry) -> bool:
    row = entry.form
    return any((f.raw_data or [""])[0].strip() or f.data for f in (row.label, row.value, row.unit))


def _form_for(profile: ShowcaseProfile) -> ProfileForm:
    form = ProfileForm(
        formdata=None,
        data={
            "kind": profile.kind,
            "unit_id": profile.unit_id or 0,
            "person_name": profile.person_name,
            "person_title": profile.person_title,
            "title": profile.title,
            "headline": profile.headline,
            "story": profile.story,
            "campaign_id": profile.campaign_id or 0,
            "year": str(profile.year),
            "field": profile.field,
            "award_text": profile.award_text,
            "slug": profile.slug,
            "results": [
                {"label": f.label, "value": f.value, "unit": f.unit}
                for f in domain.figures(profile)
            ],
        },
    )
    return form


def _save(profile: ShowcaseProfile, form: ProfileForm) -> None:
    year = (form.year.data or "").strip()
    domain.save_profile(
        profile,
        kind=form.kind.data,
        unit=db.session.get(Unit, form.unit_id.data) if form.unit_id.data else None,
        person_name=form.person_name.data or "",
        person_title=form.person_title.data or "",
        title=form.title.data or "",
        headline=form.headline.data or "",
        story=form.story.data or "",
        campaign=db.session.get(Campaign, form.campaign_id.data) if form.campaign_id.data else None,
        year=int(year) if year else None,
        field=form.field.data,
        award_text=form.award_text.data or "",
        results=[
            (e.form.label.data or "", e.form.value.data, e.form.unit.data or "")
            for e in form.results
        ],
        slug=form.slug.data or "",
    )


def _edit_page(profile: ShowcaseProfile | None, form: ProfileForm, **panels):
    _prepare(form)
    context = {"profile": profile, "form": form}
    if profile is not None:
        context.update(
            photo_form=panels.get("photo_form") or PhotoForm(formdata=None),
            replication_form=panels.get("replication_form") or _replication_form(profile),
        )
    return render_template("showcase/form.html", **context)


@bp.route("/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create():
    form = ProfileForm()
    _prepare(form)
    if form.validate_on_submit():
        profile = ShowcaseProfile()
        done = act(
            lambda: _save(profile, form),
            form=form,
            field="title",
            success=_(
                "Đã tạo hồ sơ điển hình (chưa công bố). Thêm ảnh, đơn vị nhân rộng rồi bấm “Công bố”."
            ),
        )
        if done:
            return done.redirect(url_for(".edit", slug=profile.slug))
    return _edit_page(None, form)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(slug: str):
    profile = _visible_profile(slug)
    form = ProfileForm() if request.method == "POST" else _form_for(profile)
    if request.method == "POST":
        _prepare(form)
        if form.validate_on_submit():
            done = act(
                lambda: _save(profile, form),
                form=form,
                field="title",
                success=_("Đã lưu hồ sơ điển hình."),
            )
            if done:
                return done.redirect(url_for(".edit", slug=profile.slug))
    return _edit_page(profile, form)


@bp.post("/from-award/<int:award_id>")
@role_required(Role.ADMIN)
def from_award(award_id: int):
    """A draft profile filled from a decided award (or the one it already has)."""
    award = db.get_or_404(Award, award_id)
    had = domain.profile_of_award(award)
    try:
        done = act(
            lambda: domain.profile_from_award(award),
            success=None
            if had
            else _(
                "Đã tạo hồ sơ điển hình từ quyết định khen thưởng (chưa công bố). Hãy viết câu chuyện, thêm ảnh rồi bấm “Công bố”."
            ),
        )
    except IntegrityError:  # a second click made it meanwhile: open that one
        return redirect(url_for(".edit", slug=domain.profile_of_award(award).slug))
    if not done:
        return done.redirect(url_for("units.detail", unit_id=award.unit_id))
    return done.redirect(url_for(".edit", slug=done.value.slug))


@bp.post("/<slug>/publish")
@role_required(Role.ADMIN)
def publish(slug: str):
    profile = _visible_profile(slug)
    done = act(
        lambda: domain.publish(profile), success=_("Đã công bố: mọi người xem được hồ sơ này.")
    )
    return done.redirect(url_for(".edit", slug=slug))


@bp.post("/<slug>/unpublish")
@role_required(Role.ADMIN)
def unpublish(slug: str):
    profile = _visible_profile(slug)
    domain.unpublish(profile)
    db.session.commit()
    flash(_("Đã thôi công bố: chỉ Thường trực Hội đồng xem được hồ sơ này."), "info")
    return redirect(url_for(".edit", slug=slug))


@bp.post("/<slug>/delete")
@role_required(Role.ADMIN)
def delete(slug: str):
    profile = _visible_profile(slug)
    name = profile.name
    done = act(lambda: domain.delete_profile(profile))
    if not done:
        return done.redirect(url_for(".edit", slug=slug))
    for stored_name in done.value:
        domain.remove_stored_files(stored_name)
    flash(_("Đã xóa hồ sơ %(name)s.", name=name), "info")
    return redirect(url_for(".manage"))


# --- the standing office: photos --------------------------------------------------------------


def _photos_panel(profile: ShowcaseProfile, message=None, category=None, form=None):
    return render_template(
        "showcase/_photos_admin.html",
        profile=profile,
        photo_form=form or PhotoForm(formdata=None),
        message=message,
        category=category,
    )


def _after_photo_change(profile_id: int, message: str, category: str, form=None):
    profile = db.session.get(ShowcaseProfile, profile_id)
    if is_htmx():
        return _photos_panel(profile, message, category, form)
    flash(message, category)
    return redirect(url_for(".edit", slug=profile.slug, _anchor="photos"))


@bp.post("/<slug>/photos")
@role_required(Role.ADMIN)
def upload_photo(slug: str):
    profile = _visible_profile(slug)
    form = PhotoForm()
    if not form.validate_on_submit():
        errors = form.file.errors or form.caption.errors or [_("Không nhận được ảnh; hãy thử lại.")]
        return _after_photo_change(profile.id, errors[0], "error", form)
    stored = []

    def store():
        form.file.data.stream.seek(0)  # a second run after a lost race reads the file again
        photo = domain.store_photo(
            profile, stream=form.file.data.stream, caption=form.caption.data or ""
        )
        stored.append(photo.stored_name)

    done = None
    try:
        done = act(store)
    finally:
        kept = stored[-1:] if done else []
        for stored_name in stored:  # written to disk, but its row was never committed
            if stored_name not in kept:
                domain.remove_stored_files(stored_name)
    if not done:
        return _after_photo_change(profile.id, done.error, "error", form)
    return _after_photo_change(profile.id, _("Đã thêm ảnh."), "success")


def _admin_photo(photo_id: int) -> ShowcasePhoto:
    return db.get_or_404(ShowcasePhoto, photo_id)


@bp.post("/photos/<int:photo_id>/move")
@role_required(Role.ADMIN)
def move_photo(photo_id: int):
    photo = _admin_photo(photo_id)
    profile_id = photo.profile_id
    offset = -1 if request.form.get("direction") == "up" else 1
    domain.move_photo(photo, offset)
    db.session.commit()
    return _after_photo_change(profile_id, _("Đã đổi thứ tự ảnh."), "info")


@bp.post("/photos/<int:photo_id>/caption")
@role_required(Role.ADMIN)
def caption(photo_id: int):
    photo = _admin_photo(photo_id)
    profile_id = photo.profile_id
    form = CaptionForm()
    if not form.validate_on_submit():
        return _after_photo_change(profile_id, form.caption.errors[0], "error")
    done = act(
        lambda: domain.set_caption(photo, form.caption.data or ""),
        success=_("Đã lưu chú thích ảnh."),
    )
    return _after_photo_change(profile_id, done.message or done.error, done.category)


@bp.post("/photos/<int:photo_id>/delete")
@role_required(Role.ADMIN)
def delete_photo(photo_id: int):
    photo = _admin_photo(photo_id)
    profile_id = photo.profile_id
    stored_name = domain.delete_photo(photo)
    db.session.commit()
    domain.remove_stored_files(stored_name)
    return _after_photo_change(profile_id, _("Đã xóa ảnh."), "info")


# --- the standing office: replications --------------------------------------------------------


def _replication_form(profile: ShowcaseProfile, submitted: bool = False) -> ReplicationForm:
    form = ReplicationForm() if submitted else ReplicationForm(formdata=None)
    taken = {r.unit_id for r in profile.replications} | {profile.unit_id}
    units = [u for u in search_units(include_inactive=True) if u.id not in taken]
    form.adopting_unit_id.choices = choices(
        [(0, _("— Chọn đơn vị —"))] + [(u.id, u.name) for u in units]
    )
    return form


def _replications_panel(profile: ShowcaseProfile, form=None, message=None, category=None):
    return render_template(
        "showcase/_replications_admin.html",
        profile=profile,
        replication_form=form or _replication_form(profile),
        message=message,
        category=category,
    )


@bp.post("/<slug>/replications")
@role_required(Role.ADMIN)
def add_replication(slug: str):
    profile = _visible_profile(slug)
    form = _replication_form(profile, submitted=True)
    if form.validate_on_submit():
        unit_id = form.adopting_unit_id.data
        unit = db.session.get(Unit, unit_id) if unit_id else None
        done = act(
            lambda: domain.add_replication(
                profile, unit, form.adopted_on.data, form.note.data or ""
            ),
            form=form,
            field="adopting_unit_id",
            success=lambda replication: _(
                "Đã thêm %(unit)s vào danh sách nhân rộng.", unit=replication.unit.name
            ),
        )
        if done:
            return done.answer(
                url_for(".edit", slug=slug, _anchor="replications"),
                lambda: _replications_panel(profile, message=done.message, category="success"),
            )
    if is_htmx():
        return _replications_panel(profile, form)
    return _edit_page(profile, _form_for(profile), replication_form=form)


@bp.post("/replications/<int:replication_id>/delete")
@role_required(Role.ADMIN)
def delete_replication(replication_id: int):
    replication = db.get_or_404(Replication, replication_id)
    profile, name = replication.profile, replication.unit.name
    domain.remove_replication(replication)
    db.session.commit()
    message = _("Đã bỏ %(unit)s khỏi danh sách nhân rộng.", unit=name)
    if is_htmx():
        return _replications_panel(profile, message=message, category="info")
    flash(message, "info")
    return redirect(url_for(".edit", slug=profile.slug, _anchor="replications"))
