"""Public posting of the nominees (công khai): a page anyone can read and comment on, and the
standing office's moderation of the comments."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from emulation.accounts.models import Role
from emulation.commendation import nominations
from emulation.commendation import posting as domain
from emulation.commendation.meetings import meeting_of
from emulation.commendation.models import PostingComment
from emulation.core.clock import local_today
from emulation.core.extensions import db, limiter
from emulation.web.actions import act
from emulation.web.common import get_campaign, is_htmx, role_required
from forms import choices
from forms.awards import CommentForm, HandleCommentForm, PostingStartForm

bp = Blueprint("posting", __name__)


def _comment_limit() -> str:
    return current_app.config["POSTING_COMMENT_RATE_LIMIT"]


def _comment_form(campaign, nominees, *, blank: bool = False) -> CommentForm:
    form = CommentForm(formdata=None) if blank else CommentForm()
    form.nomination_id.choices = choices(
        [(0, _("— Danh sách nói chung —"))]
        + [(n.id, f"{n.award_type.name}: {n.display_name}") for n in nominees]
    )
    return form


def _public_page(campaign, form=None, thanks=False):
    nominees = nominations.finalized(campaign)
    template = "posting/_comment_form.html" if is_htmx() else "posting/public.html"
    return render_template(
        template,
        campaign=campaign,
        groups=nominations.grouped(nominees),
        window=domain.window(campaign),
        today=local_today(),
        open=domain.accepts_comments(campaign),
        form=form or _comment_form(campaign, nominees, blank=thanks),
        comments=domain.public_comments(campaign),
        thanks=thanks,
    )


@bp.route("/campaigns/<slug>/cong-khai", methods=["GET", "POST"])
@limiter.limit(_comment_limit, methods=["POST"])
def public(slug: str):
    """The nominees as posted, and a form for comments (shown once handled)."""
    campaign = get_campaign(slug)
    form = _comment_form(campaign, nominations.finalized(campaign))
    if form.validate_on_submit():
        done = act(
            lambda: domain.submit_comment(
                campaign,
                content=form.content.data,
                author_name=form.author_name.data or "",
                contact=form.contact.data or "",
                nomination_id=form.nomination_id.data or None,
            ),
            form=form,
            field="content",
            success=_(
                "Cảm ơn bạn đã góp ý. Thường trực Hội đồng sẽ xem xét, trả lời trước khi Hội đồng họp."
            ),
        )
        if done:
            return done.answer(
                url_for("posting.public", slug=slug, _anchor="gop-y"),
                lambda: _public_page(campaign, thanks=True),
            )
    return _public_page(campaign, form)


# --- moderation -------------------------------------------------------------------------------


def _moderation_context(campaign, **extra) -> dict:
    found = nominations.nomination_list(campaign)
    start_form = PostingStartForm()
    if found is not None and found.posting_from:
        start_form.posting_from.data = start_form.posting_from.data or found.posting_from
    context = dict(
        campaign=campaign,
        final=nominations.is_final(campaign),
        window=domain.window(campaign),
        comments=domain.comments(campaign),
        blockers=domain.meeting_blockers(campaign),
        meeting=meeting_of(campaign),
        start_form=start_form,
        can_move_start=domain.can_move_start(current_user, campaign),
        forms={},
    )
    context.update(extra)
    return context


@bp.get("/campaigns/<slug>/awards/comments")
@role_required(Role.ADMIN)
def moderate(slug: str):
    return render_template("posting/moderate.html", **_moderation_context(get_campaign(slug)))


@bp.post("/campaigns/<slug>/awards/comments/<int:comment_id>")
@role_required(Role.ADMIN)
def handle(slug: str, comment_id: int):
    campaign = get_campaign(slug)
    comment = db.get_or_404(PostingComment, comment_id)
    if comment.campaign_id != campaign.id:
        abort(404)
    form = HandleCommentForm()
    if form.validate_on_submit():
        done = act(
            lambda: domain.handle_comment(
                comment,
                current_user,
                status=form.status.data,
                note=form.note.data,
                public=form.public.data,
            ),
            form=form,
            field="note",
            success=_("Đã xử lý ý kiến."),
        )
        if done:
            return done.answer(
                url_for("posting.moderate", slug=slug),
                lambda: render_template(
                    "posting/_comment.html", campaign=campaign, comment=comment, form=None
                ),
            )
    if is_htmx():
        return render_template(
            "posting/_comment.html", campaign=campaign, comment=comment, form=form
        )
    return render_template(
        "posting/moderate.html", **_moderation_context(campaign, forms={comment.id: form})
    )


@bp.post("/campaigns/<slug>/awards/posting-start")
@role_required(Role.ADMIN)
def set_start(slug: str):
    campaign = get_campaign(slug)
    form = PostingStartForm()
    if form.validate_on_submit():
        done = act(
            lambda: domain.set_start(campaign, current_user, form.posting_from.data),
            form=form,
            field="posting_from",
            success=_("Đã đổi ngày bắt đầu công khai."),
        )
        if done:
            return done.redirect(url_for("posting.moderate", slug=slug))
    return render_template(
        "posting/moderate.html", **_moderation_context(campaign, start_form=form)
    )
