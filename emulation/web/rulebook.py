"""The commendation rulebook: versions per province and date, and their award types.

The standing office edits; council members may read. A version a campaign has used is
shown read-only, with the way forward: a new version from a later date.
"""

from __future__ import annotations

from decimal import Decimal

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from emulation.accounts.models import Role
from emulation.campaigns.models import CampaignForm
from emulation.commendation import rulebook as domain
from emulation.commendation.models import AwardType, Rulebook
from emulation.core.clock import local_today
from emulation.core.extensions import db
from emulation.web.actions import Outcome, act
from emulation.web.common import role_required
from forms.awards import AwardTypeForm, NewVersionForm, RulebookForm

bp = Blueprint("rulebook", __name__, url_prefix="/rulebooks")


def _rulebook(rulebook_id: int) -> Rulebook:
    return db.get_or_404(Rulebook, rulebook_id)


@bp.get("/")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def index():
    province = current_app.config["PROVINCE_NAME"]
    return render_template(
        "rulebook/index.html",
        rulebooks=domain.rulebooks(),
        current=domain.current_rulebook(province, local_today()),
        province=province,
        in_use={b.id for b in domain.rulebooks() if domain.is_in_use(b)},
        can_manage=domain.can_manage(current_user),
    )


@bp.post("/defaults")
@role_required(Role.ADMIN)
def create_defaults():
    province = current_app.config["PROVINCE_NAME"]
    version = f"{local_today().year}"
    if any(b.version == version for b in domain.rulebooks(province)):
        flash(_("Phiên bản %(v)s đã có.", v=version), "error")
        return redirect(url_for("rulebook.index"))
    rulebook = domain.default_rulebook(
        province=province, effective_from=local_today().replace(month=1, day=1), version=version
    )
    db.session.commit()
    flash(_("Đã tạo quy định khen thưởng mặc định theo Luật và Nghị định."), "success")
    return redirect(url_for("rulebook.detail", rulebook_id=rulebook.id))


@bp.get("/<int:rulebook_id>")
@role_required(Role.ADMIN, Role.COUNCIL_MEMBER)
def detail(rulebook_id: int):
    rulebook = _rulebook(rulebook_id)
    return render_template(
        "rulebook/detail.html",
        rulebook=rulebook,
        in_use=domain.is_in_use(rulebook),
        can_manage=domain.can_manage(current_user),
        can_edit=domain.can_edit(current_user, rulebook),
        describe=domain.describe_eligibility,
        form_labels=CampaignForm.LABELS,
        holidays=domain.holidays_text(rulebook),
    )


@bp.route("/<int:rulebook_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit(rulebook_id: int):
    rulebook = _rulebook(rulebook_id)
    form = RulebookForm(obj=rulebook)
    if request.method == "GET":
        form.holidays.data = domain.holidays_text(rulebook)
    if form.validate_on_submit():
        done = act(
            lambda: domain.save_rulebook(
                rulebook,
                province=form.province.data,
                version=form.version.data,
                effective_from=form.effective_from.data,
                note=form.note.data or "",
                holidays=form.holidays.data or "",
            ),
            form=form,
            field="version",
            success=_("Đã lưu quy định khen thưởng."),
        )
        if done:
            return done.redirect(url_for("rulebook.detail", rulebook_id=rulebook.id))
    return render_template("rulebook/form.html", form=form, rulebook=rulebook)


@bp.route("/<int:rulebook_id>/new-version", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_version(rulebook_id: int):
    source = _rulebook(rulebook_id)
    form = NewVersionForm()
    if form.validate_on_submit():
        done = act(
            lambda: domain.new_version(
                source,
                version=form.version.data,
                effective_from=form.effective_from.data,
                note=form.note.data or "",
            ),
            form=form,
            field="version",
            success=lambda copy: _(
                "Đã tạo phiên bản %(v)s từ phiên bản %(s)s.", v=copy.version, s=source.version
            ),
        )
        if done:
            return done.redirect(url_for("rulebook.detail", rulebook_id=done.value.id))
    return render_template("rulebook/new_version.html", form=form, source=source)


def _fill_type_form(form: AwardTypeForm, award_type: AwardType) -> None:
    data = award_type.eligibility or {}
    form.rule.data = data.get("rule", "manual")
    form.k.data = data.get("k")
    form.grade.data = data.get("min_grade") or data.get("grade") or ""
    form.or_grade.data = data.get("or_min_grade", "")
    form.unless.data = ", ".join(data.get("unless") or [])
    requires = data.get("requires") or {}
    form.requires_award.data = requires.get("award", "")
    form.requires_years.data = requires.get("years")
    form.threshold_pct.data = award_type.threshold_pct
    form.forms.data = list(award_type.forms or [])


def _save_type(rulebook: Rulebook, award_type: AwardType, form: AwardTypeForm) -> Outcome:
    def save():
        eligibility = domain.build_eligibility(
            form.rule.data,
            k=form.k.data,
            grade=form.grade.data or "",
            or_grade=form.or_grade.data or "",
            unless=form.unless.data or "",
            requires_award=form.requires_award.data or "",
            requires_years=form.requires_years.data,
        )
        return domain.save_award_type(
            award_type,
            rulebook,
            code=form.code.data,
            name=form.name.data,
            subject=form.subject.data,
            forms=form.forms.data or [],
            eligibility=eligibility,
            quota_per_cluster=form.quota_per_cluster.data,
            quota_total=form.quota_total.data,
            quorum=form.quorum.data,
            secret_ballot=form.secret_ballot.data,
            denominator=form.denominator.data,
            threshold_pct=form.threshold_pct.data,
            posting_days=form.posting_days.data or 0,
            counts_toward_higher=form.counts_toward_higher.data,
            note=form.note.data or "",
        )

    return act(save, form=form, field="code")


@bp.route("/<int:rulebook_id>/types/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def new_type(rulebook_id: int):
    rulebook = _rulebook(rulebook_id)
    form = AwardTypeForm()
    if request.method == "GET":
        form.forms.data = [CampaignForm.REGULAR]
        form.threshold_pct.data = Decimal(70)
    if form.validate_on_submit() and _save_type(rulebook, AwardType(), form):
        flash(_("Đã thêm hình thức khen thưởng."), "success")
        return redirect(url_for("rulebook.detail", rulebook_id=rulebook.id))
    return render_template(
        "rulebook/type_form.html",
        form=form,
        rulebook=rulebook,
        award_type=None,
        in_use=domain.is_in_use(rulebook),
    )


@bp.route("/<int:rulebook_id>/types/<int:type_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_type(rulebook_id: int, type_id: int):
    rulebook = _rulebook(rulebook_id)
    award_type = db.get_or_404(AwardType, type_id)
    if award_type.rulebook_id != rulebook.id:
        abort(404)
    form = AwardTypeForm(obj=award_type)
    if request.method == "GET":
        _fill_type_form(form, award_type)
    if form.validate_on_submit() and _save_type(rulebook, award_type, form):
        flash(_("Đã lưu %(name)s.", name=award_type.name), "success")
        return redirect(url_for("rulebook.detail", rulebook_id=rulebook.id))
    return render_template(
        "rulebook/type_form.html",
        form=form,
        rulebook=rulebook,
        award_type=award_type,
        in_use=domain.is_in_use(rulebook),
    )


@bp.post("/<int:rulebook_id>/types/<int:type_id>/delete")
@role_required(Role.ADMIN)
def delete_type(rulebook_id: int, type_id: int):
    rulebook = _rulebook(rulebook_id)
    award_type = db.get_or_404(AwardType, type_id)
    if award_type.rulebook_id != rulebook.id:
        abort(404)
    done = act(
        lambda: domain.delete_award_type(award_type),
        success=_("Đã xóa %(name)s.", name=award_type.name),
    )
    return done.redirect(url_for("rulebook.detail", rulebook_id=rulebook.id))
