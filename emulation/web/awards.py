"""Commendation at the wrap-up: proposals from the official results, the nomination list
(the standing office's, and each unit's own), discipline flags, decisions and past awards.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign, PhaseKind
from emulation.campaigns.service import participants, phase_is_open, windows_text
from emulation.commendation import awards as award_domain
from emulation.commendation import decisions as decision_domain
from emulation.commendation import nominations as domain
from emulation.commendation import posting
from emulation.commendation.meetings import meeting_of
from emulation.commendation.models import Award, AwardType, DisciplineFlag, Nomination
from emulation.core.extensions import db
from emulation.showcase import service as showcase
from emulation.units.models import Unit
from emulation.units.service import search_units
from emulation.web.actions import Outcome, act
from emulation.web.common import get_campaign, role_required
from forms import choices
from forms.awards import (
    DecisionForm,
    DisciplineForm,
    NominationEditForm,
    NominationForm,
    PastAwardForm,
    RemoveForm,
)

bp = Blueprint("awards", __name__)


@bp.app_context_processor
def award_helpers():
    """Helpers for pages other blueprints render: a unit's award history on the unit page,
    links to the posting and the ballot on the campaign's page."""
    return {
        "unit_award_history": award_domain.history_of_unit,
        "unit_people_awards": award_domain.people_awards_of_unit,
        "can_record_past_award": award_domain.can_record_past_award,
        "can_delete_past_award": award_domain.can_delete_past_award,
        "award_list_posted": domain.is_final,
        "award_meeting": meeting_of,
    }


def _nomination(campaign: Campaign, nomination_id: int) -> Nomination:
    nomination = db.get_or_404(Nomination, nomination_id)
    if nomination.campaign_id != campaign.id:
        abort(404)
    return nomination


# --- the standing office's page ---------------------------------------------------------------


def _hub_context(campaign: Campaign, **extra) -> dict:
    found = domain.nomination_list(campaign)
    active = domain.nominations_of(campaign)
    context = dict(
        campaign=campaign,
        listing=found,
        rulebook=domain.rulebook_for(campaign),
        groups=domain.grouped(active),
        count=len(active),
        removed=[
            n for n in domain.nominations_of(campaign, include_removed=True) if not n.is_active
        ],
        window=posting.window(campaign),
        unhandled=posting.unhandled_count(campaign),
        meeting=meeting_of(campaign),
        decisions=decision_domain.decisions(campaign),
        flagged={n.id: f for n, f in domain.flagged_nominees(campaign)},
        can_withdraw=domain.can_withdraw(current_user, campaign),
        remove_form=RemoveForm(),
    )
    context.update(extra)
    return context


@bp.get("/campaigns/<slug>/awards")
@role_required(Role.ADMIN)
def hub(slug: str):
    return render_template("awards/hub.html", **_hub_context(get_campaign(slug)))


def _list_response(campaign: Campaign, done: Outcome):
    """The list fragment for htmx (with the refusal, if any); otherwise back to the page."""
    return done.answer(
        url_for("awards.hub", slug=campaign.slug),
        lambda: render_template("awards/_list.html", **_hub_context(campaign, error=done.error)),
    )


@bp.get("/campaigns/<slug>/awards/proposals")
@role_required(Role.ADMIN)
def proposals(slug: str):
    campaign = get_campaign(slug)
    found = domain.propose(campaign)
    by_type: dict[int, tuple[AwardType, list]] = {}
    for proposal in found:
        by_type.setdefault(proposal.award_type.id, (proposal.award_type, []))[1].append(proposal)
    return render_template(
        "awards/proposals.html",
        campaign=campaign,
        rulebook=domain.rulebook_for(campaign),
        by_type=list(by_type.values()),
        eligible=sum(1 for p in found if p.eligible),
        final=domain.is_final(campaign),
    )


@bp.post("/campaigns/<slug>/awards/proposals")
@role_required(Role.ADMIN)
def apply_proposals(slug: str):
    campaign = get_campaign(slug)
    done = act(
        lambda: domain.apply_proposals(campaign, current_user),
        success=lambda added: _("Đã đưa %(n)s đề nghị vào danh sách.", n=added),
    )
    return done.redirect(url_for("awards.hub" if done else "awards.proposals", slug=slug))


@bp.post("/campaigns/<slug>/awards/finalize")
@role_required(Role.ADMIN)
def finalize(slug: str):
    campaign = get_campaign(slug)
    done = act(
        lambda: domain.finalize(campaign, current_user),
        success=_("Đã chốt danh sách. Danh sách được công khai từ hôm nay trên trang công khai."),
    )
    return done.redirect(url_for("awards.hub", slug=slug))


@bp.post("/campaigns/<slug>/awards/reopen")
@role_required(Role.ADMIN)
def reopen(slug: str):
    campaign = get_campaign(slug)
    done = act(
        lambda: domain.reopen(campaign, current_user),
        success=_("Đã mở lại danh sách để chỉnh sửa."),
    )
    return done.redirect(url_for("awards.hub", slug=slug))


@bp.post("/campaigns/<slug>/awards/nominations/<int:nomination_id>/remove")
@login_required
def remove(slug: str, nomination_id: int):
    campaign = get_campaign(slug)
    nomination = _nomination(campaign, nomination_id)
    form = RemoveForm()
    done = act(
        lambda: domain.remove_nomination(nomination, current_user, form.note.data or ""),
        success=None
        if current_user.is_admin
        else _("Đã xóa đề nghị %(name)s.", name=nomination.display_name),
    )
    if current_user.is_admin:  # from the standing office's list
        return _list_response(campaign, done)
    return done.redirect(url_for("awards.mine", slug=slug))


@bp.post("/campaigns/<slug>/awards/nominations/<int:nomination_id>/restore")
@role_required(Role.ADMIN)
def restore(slug: str, nomination_id: int):
    campaign = get_campaign(slug)
    nomination = _nomination(campaign, nomination_id)
    return _list_response(
        campaign, act(lambda: domain.restore_nomination(nomination, current_user))
    )


# --- adding and editing nominations -----------------------------------------------------------


def _type_choices(campaign: Campaign) -> list:
    """Every award type of the campaign's form, grouped in the label by subject."""
    rulebook = domain.rulebook_for(campaign)
    if rulebook is None:
        return []
    return choices(
        [(0, _("— Chọn —"))]
        + [
            (t.id, f"{t.name} ({t.subject_label.lower()})")
            for t in rulebook.award_types
            if campaign.form in (t.forms or [])
        ]
    )


def _save_new(campaign: Campaign, form: NominationForm, unit: Unit | None) -> Nomination | None:
    award_type = db.session.get(AwardType, form.award_type_id.data or 0)
    if unit is None:
        form.unit_id.errors = [*form.unit_id.errors, _("Hãy chọn đơn vị.")]
        return None
    done = act(
        lambda: domain.add_nomination(
            campaign,
            current_user,
            award_type=award_type,
            subject=form.subject.data,
            unit=unit,
            person_name=form.person_name.data or "",
            person_title=form.person_title.data or "",
            summary=form.summary.data or "",
        ),
        form=form,
        field="summary",
    )
    return done.value


@bp.route("/campaigns/<slug>/awards/nominations/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add(slug: str):
    """The standing office adds a nominee of any participating unit."""
    campaign = get_campaign(slug)
    form = NominationForm()
    form.award_type_id.choices = _type_choices(campaign)
    form.unit_id.choices = choices(
        [(0, _("— Chọn —"))] + [(u.id, u.name) for u in participants(campaign)]
    )
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data or 0)
        if _save_new(campaign, form, unit):
            flash(_("Đã thêm đề nghị khen thưởng."), "success")
            return redirect(url_for("awards.hub", slug=slug))
    return render_template(
        "awards/nomination_form.html", campaign=campaign, form=form, unit=None, office=True
    )


def _own_unit(campaign: Campaign) -> Unit:
    unit = current_user.unit
    if unit is None:
        abort(403)
    return unit


@bp.route("/campaigns/<slug>/nominations", methods=["GET", "POST"])
@role_required(Role.UNIT_OFFICER)
def mine(slug: str):
    """A unit's own nominations: what the results proposed and what the unit adds."""
    campaign = get_campaign(slug)
    unit = _own_unit(campaign)
    form = NominationForm()
    form.award_type_id.choices = _type_choices(campaign)
    if form.validate_on_submit() and _save_new(campaign, form, unit):
        flash(_("Đã gửi đề nghị khen thưởng."), "success")
        return redirect(url_for("awards.mine", slug=slug))
    return render_template(
        "awards/mine.html",
        campaign=campaign,
        unit=unit,
        form=form,
        nominations=domain.nominations_of_unit(campaign, unit.id),
        final=domain.is_final(campaign),
        open=phase_is_open(campaign, PhaseKind.WRAPUP),
        window=windows_text(campaign, PhaseKind.WRAPUP),
        can_edit=lambda n: domain.can_edit(n, current_user),
        remove_form=RemoveForm(),
    )


@bp.route("/campaigns/<slug>/awards/nominations/<int:nomination_id>", methods=["GET", "POST"])
@login_required
def edit(slug: str, nomination_id: int):
    campaign = get_campaign(slug)
    nomination = _nomination(campaign, nomination_id)
    if not (current_user.is_admin or current_user.unit_id == nomination.unit_id):
        abort(403)
    form = NominationEditForm(obj=nomination)
    back = (
        url_for("awards.hub", slug=slug)
        if current_user.is_admin
        else url_for("awards.mine", slug=slug)
    )
    if form.validate_on_submit():
        done = act(
            lambda: domain.update_nomination(
                nomination,
                current_user,
                summary=form.summary.data or "",
                reason=form.reason.data if domain.can_edit_reason(current_user) else None,
                person_name=form.person_name.data,
                person_title=form.person_title.data,
            ),
            form=form,
            field="summary",
            success=_("Đã lưu đề nghị."),
        )
        if done:
            return done.redirect(back)
    return render_template(
        "awards/nomination_edit.html",
        campaign=campaign,
        nomination=nomination,
        form=form,
        editable=domain.can_edit(nomination, current_user),
        can_edit_reason=domain.can_edit_reason(current_user),
        back=back,
    )


# --- discipline -------------------------------------------------------------------------------


@bp.route("/discipline", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def discipline():
    form = DisciplineForm()
    form.unit_id.choices = choices(
        [(0, _("— Chọn —"))] + [(u.id, u.name) for u in search_units(include_inactive=True)]
    )
    if form.validate_on_submit():
        unit = db.session.get(Unit, form.unit_id.data)
        done = act(
            lambda: domain.add_flag(
                current_user,
                unit=unit,
                person_name=form.person_name.data or "",
                reason=form.reason.data,
                until=form.until.data,
            ),
            form=form,
            field="reason",
            success=_("Đã ghi nhận."),
        )
        if done:
            return done.redirect(url_for("awards.discipline"))
    return render_template(
        "awards/discipline.html",
        form=form,
        flags=domain.flags(),
        active={f.id for f in domain.flags(active_only=True)},
    )


@bp.post("/discipline/<int:flag_id>/delete")
@role_required(Role.ADMIN)
def remove_flag(flag_id: int):
    flag = db.get_or_404(DisciplineFlag, flag_id)
    domain.remove_flag(current_user, flag)
    db.session.commit()
    flash(_("Đã gỡ."), "success")
    return redirect(url_for("awards.discipline"))


# --- decisions --------------------------------------------------------------------------------


@bp.route("/campaigns/<slug>/awards/decisions", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def decisions(slug: str):
    campaign = get_campaign(slug)
    passed = decision_domain.passed_by_type(campaign)
    decided = {d.award_type_id for d in decision_domain.decisions(campaign)}
    form = DecisionForm()
    form.award_type_id.choices = choices(
        [(0, _("— Chọn —"))]
        + [(t.id, f"{t.name} ({len(rows)})") for t, rows in passed if t.id not in decided]
    )
    if form.validate_on_submit():
        award_type = db.session.get(AwardType, form.award_type_id.data)
        if award_type is None:
            form.award_type_id.errors = [
                *form.award_type_id.errors,
                _("Hãy chọn hình thức khen thưởng."),
            ]
        else:
            done = act(
                lambda: decision_domain.create_decision(
                    campaign,
                    current_user,
                    award_type=award_type,
                    number=form.number.data,
                    signed_on=form.signed_on.data,
                    signer=form.signer.data,
                ),
                form=form,
                field="number",
                success=lambda decision: _(
                    "Đã ghi quyết định số %(n)s: %(count)s khen thưởng.",
                    n=decision.number,
                    count=len(decision.awards),
                ),
            )
            if done:
                return done.redirect(url_for("awards.decisions", slug=slug))
    recorded = decision_domain.decisions(campaign)
    return render_template(
        "awards/decisions.html",
        campaign=campaign,
        form=form,
        passed=passed,
        decided=decided,
        decisions=recorded,
        profiles=showcase.profile_slugs_of_awards(a.id for d in recorded for a in d.awards),
        meeting=meeting_of(campaign),
    )


# --- past awards (history) --------------------------------------------------------------------


@bp.route("/units/<int:unit_id>/awards/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def add_past_award(unit_id: int):
    unit = db.get_or_404(Unit, unit_id)
    form = PastAwardForm()
    if form.validate_on_submit():
        done = act(
            lambda: award_domain.record_past_award(
                current_user,
                unit=unit,
                award_code=form.award_code.data,
                award_name=form.award_name.data,
                year=form.year.data,
                person_name=form.person_name.data or "",
                person_title=form.person_title.data or "",
                decision_number=form.decision_number.data or "",
                decision_date=form.decision_date.data,
                counts_toward_higher=form.counts_toward_higher.data,
            ),
            form=form,
            field="award_code",
            success=_("Đã ghi nhận khen thưởng."),
        )
        if done:
            return done.redirect(url_for("units.detail", unit_id=unit.id))
    return render_template("awards/past_award.html", unit=unit, form=form)


@bp.post("/units/<int:unit_id>/awards/<int:award_id>/delete")
@role_required(Role.ADMIN)
def delete_past_award(unit_id: int, award_id: int):
    award = db.get_or_404(Award, award_id)
    if award.unit_id != unit_id:
        abort(404)
    done = act(lambda: award_domain.delete_past_award(current_user, award), success=_("Đã xóa."))
    return done.redirect(url_for("units.detail", unit_id=unit_id))
