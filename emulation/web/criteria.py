"""Criteria set editor, import and export (bảng tiêu chí).

Every change re-renders one partial, criteria/_tree.html, which the page also includes:
htmx swaps it in place; without JavaScript the same forms post and redirect back.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from emulation.accounts.models import Role
from emulation.campaigns.models import Campaign
from emulation.core.extensions import db
from emulation.core.i18n import format_plain
from emulation.criteria.models import CriteriaSet, Criterion
from emulation.criteria.service import (
    MAX_DEPTH,
    SANCTIONS,
    SCORING_TYPES,
    SECTIONS,
    InvalidCriteria,
    add_node,
    can_edit,
    delete_node,
    ensure_criteria_set,
    load_tree,
    move_node,
    save_settings,
    section_totals,
    set_problems,
    tie_break_choices,
    type_label,
    update_node,
    walk,
)
from emulation.criteria.tabular import COLUMNS, CRITERIA_SHEET, export_criteria, import_criteria
from emulation.web.actions import Outcome, act
from emulation.web.common import get_campaign, is_htmx, role_required
from forms import choices
from forms.criteria import (
    CriteriaImportForm,
    CriterionForm,
    SettingsForm,
    params_as_text,
    params_from_form,
)

bp = Blueprint("criteria", __name__, url_prefix="/campaigns/<slug>/criteria")

MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
FORM_FIELDS = (
    "code",
    "title",
    "section",
    "max_points",
    "scoring_type",
    "unit_of_measure",
    "sanction",
    "evidence",
    "evidence_required",
    "guidance",
)


@bp.context_processor
def criteria_helpers() -> dict:
    return {
        "points": format_plain,
        "type_label": type_label,
        "sections": SECTIONS,
        "sanctions": SANCTIONS,
        "scoring_types": SCORING_TYPES,
        "max_depth": MAX_DEPTH,
    }


def _campaign(slug: str) -> Campaign:
    """The campaign, or 404 (drafts exist only for the standing office)."""
    return get_campaign(slug)


def _criteria_set(campaign: Campaign) -> CriteriaSet:
    if campaign.criteria_set is None:
        act(lambda: ensure_criteria_set(campaign))
    return campaign.criteria_set


def _node(criteria_set: CriteriaSet, criterion_id: int | str | None) -> Criterion:
    criterion = db.session.get(Criterion, int(criterion_id)) if criterion_id else None
    if criterion is None or criterion.set_id != criteria_set.id:
        abort(404)
    return criterion


def _editor(campaign: Campaign) -> bool:
    return current_user.is_admin and can_edit(campaign)


# --- rendering ------------------------------------------------------------------------------


class RowForm:
    """The inline form row: adding under `parent` (None: a group) or editing `node`."""

    def __init__(
        self,
        form: CriterionForm,
        *,
        node: Criterion | None = None,
        parent: Criterion | None = None,
        params: dict | None = None,
        errors: dict | None = None,
    ):
        self.form, self.node = form, node
        self.parent = node.parent if node is not None else parent
        self.params = params or {}
        self.errors = errors or {}

    @property
    def adding(self) -> bool:
        return self.node is None

    @property
    def depth(self) -> int:
        return self.parent.depth + 1 if self.parent is not None else 1

    @property
    def is_group(self) -> bool:
        return self.parent is None

    @property
    def in_deduction(self) -> bool:
        return self.parent is not None and self.parent.root_section == "deduction"

    @property
    def general_errors(self) -> list[str]:
        return [
            m for name, msgs in self.errors.items() if not name.startswith("params") for m in msgs
        ]

    @property
    def insert_after(self) -> int | None:
        """The row after which a new item appears: the parent's last descendant."""
        if not self.adding or self.parent is None:
            return None
        return list(walk([self.parent]))[-1].id


def _tree_context(campaign: Campaign, row_form: RowForm | None = None) -> dict:
    criteria_set = campaign.criteria_set
    if criteria_set is not None:
        load_tree(criteria_set)
    rows = list(walk(criteria_set.roots)) if criteria_set is not None else []
    editor = _editor(campaign)
    return {
        "campaign": campaign,
        "criteria_set": criteria_set,
        "rows": rows,
        "totals": section_totals(criteria_set),
        "problems": set_problems(criteria_set),
        "editor": editor,
        "row_form": row_form if editor else None,
    }


def _settings_context(campaign: Campaign, form: SettingsForm | None = None) -> dict:
    criteria_set = campaign.criteria_set
    groups = [(root.code, root.title) for root in criteria_set.roots]
    options = tie_break_choices(groups)
    if form is None:
        form = SettingsForm(
            formdata=None,
            data={
                "rounding_step": format_plain(criteria_set.rounding_step),
                "bonus_cap": format_plain(criteria_set.bonus_cap),
                "deduction_cap": format_plain(criteria_set.deduction_cap),
                "grades": [
                    {
                        "name": grade.get("name", ""),
                        "min": format_plain(grade.get("min")),
                        "quota_pct": format_plain(grade.get("quota_pct")),
                    }
                    for grade in criteria_set.grades or []
                ],
                "tie_break": list(criteria_set.tie_break or []),
            },
        )
        for _extra in range(2):
            form.grades.append_entry()
        slots = min(len(options), max(3, len(form.tie_break) + 1))
        while len(form.tie_break) < slots:
            form.tie_break.append_entry()
    for entry in form.tie_break:
        entry.choices = choices([("", _("— Không dùng —")), *options])
    labels = dict(options)
    return {
        "settings_form": form,
        "tie_break_labels": [labels.get(key, key) for key in criteria_set.tie_break or []],
        "settings_errors": getattr(form, "domain_errors", {}),
    }


def _page(campaign: Campaign, *, row_form=None, settings_form=None, import_form=None, report=None):
    return render_template(
        "criteria/index.html",
        **_tree_context(campaign, row_form),
        **_settings_context(campaign, settings_form),
        import_form=import_form or CriteriaImportForm(formdata=None),
        report=report,
        columns=COLUMNS,
        sheet_name=CRITERIA_SHEET,
    )


def _tree(campaign: Campaign, row_form: RowForm | None = None):
    return render_template("criteria/_tree.html", **_tree_context(campaign, row_form))


def _after_change(campaign: Campaign, done: Outcome):
    """htmx gets the re-rendered tree, which shows the flashed outcome; a plain form goes
    back to the page."""
    done.flash()
    if is_htmx():
        return _tree(campaign)
    return redirect(url_for("criteria.index", slug=campaign.slug) + "#criteria-tree")


def _requested_row_form(campaign: Campaign) -> RowForm | None:
    """?edit=<id> or ?add=<parent id | 0>: which row shows a form (the editor only)."""
    if not _editor(campaign):
        return None
    criteria_set = campaign.criteria_set
    if request.args.get("edit"):
        node = _node(criteria_set, request.args["edit"])
        form = CriterionForm(formdata=None, obj=node)
        form.max_points.data = format_plain(node.max_points)
        form.section.data = node.section or "base"
        form.sanction.data = node.sanction or ""
        return RowForm(form, node=node, params=params_as_text(node.scoring_type, node.params))
    if "add" in request.args:
        parent_id = request.args.get("add", type=int) or None
        parent = _node(criteria_set, parent_id) if parent_id else None
        depth = parent.depth + 1 if parent else 1
        form = CriterionForm(
            formdata=None,
            parent_id=parent_id or "",
            scoring_type="sum" if depth < MAX_DEPTH else "boolean",
        )
        return RowForm(form, parent=parent, params=params_as_text(form.scoring_type.data, {}))
    return None


# --- reading --------------------------------------------------------------------------------


@bp.get("/")
@login_required
def index(slug: str):
    campaign = _campaign(slug)
    _criteria_set(campaign)
    return _page(campaign, row_form=_requested_row_form(campaign))


@bp.get("/tree")
@login_required
def tree(slug: str):
    """The tree alone, with an add or edit form row when asked (htmx fragment)."""
    campaign = _campaign(slug)
    _criteria_set(campaign)
    return _tree(campaign, _requested_row_form(campaign))


@bp.get("/params")
@role_required(Role.ADMIN)
def params_fields(slug: str):
    """The parameter inputs of the scoring type just chosen (htmx fragment)."""
    _campaign(slug)
    scoring_type = request.args.get("scoring_type", "sum")
    if scoring_type not in SCORING_TYPES:
        scoring_type = "sum"
    return render_template(
        "criteria/_params.html",
        scoring_type=scoring_type,
        values=params_as_text(scoring_type, {}),
        errors={},
    )


@bp.get("/export.<fmt>")
@login_required
def export(slug: str, fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    campaign = _campaign(slug)
    name = f"bang-tieu-chi-{campaign.slug}.{fmt}"
    return Response(
        export_criteria(_criteria_set(campaign), name),
        mimetype=MIMETYPES[fmt],
        headers={"Content-Disposition": f"attachment; filename={name}"},
    )


# --- changing the tree ----------------------------------------------------------------------


def _values(form: CriterionForm, *, is_group: bool, in_deduction: bool) -> dict:
    scoring_type = form.scoring_type.data or "sum"
    return {
        "code": form.code.data,
        "title": form.title.data,
        "section": form.section.data if is_group else None,
        "max_points": form.max_points.data,
        "scoring_type": scoring_type,
        "params": params_from_form(scoring_type, request.form),
        "guidance": form.guidance.data,
        "evidence": form.evidence.data,
        "evidence_required": form.evidence_required.data,
        "unit_of_measure": form.unit_of_measure.data,
        "sanction": form.sanction.data if in_deduction else None,
    }


def _invalid(campaign: Campaign, row_form: RowForm, error: InvalidCriteria):
    """Show the form again with each message next to its field, keeping what was typed."""
    general = {}
    for name, messages in error.errors.items():
        if name in FORM_FIELDS:
            row_form.form[name].errors = [*row_form.form[name].errors, *messages]
        else:
            general[name] = messages
    row_form.errors = general
    return _form_again(campaign, row_form)


def _form_again(campaign: Campaign, row_form: RowForm):
    # 200, not 422: htmx 2 does not swap error responses.
    if is_htmx():
        return _tree(campaign, row_form)
    return _page(campaign, row_form=row_form)


def _save_row(campaign: Campaign, row_form: RowForm, save):
    form = row_form.form
    row_form.params = params_from_form(form.scoring_type.data or "sum", request.form)
    if not form.validate_on_submit():
        return _form_again(campaign, row_form)
    values = _values(form, is_group=row_form.is_group, in_deduction=row_form.in_deduction)
    done = act(
        lambda: save(values),
        success=lambda node: _(
            "Đã lưu mục %(code)s – %(title)s.", code=node.code, title=node.title
        ),
    )
    if isinstance(done.refusal, InvalidCriteria):
        return _invalid(campaign, row_form, done.refusal)
    return _after_change(campaign, done)


@bp.post("/add")
@role_required(Role.ADMIN)
def add(slug: str):
    campaign = _campaign(slug)
    criteria_set = _criteria_set(campaign)
    form = CriterionForm()
    parent = _node(criteria_set, form.parent_id.data) if form.parent_id.data else None
    row_form = RowForm(form, parent=parent)
    return _save_row(campaign, row_form, lambda values: add_node(criteria_set, parent, values))


@bp.post("/<int:criterion_id>/edit")
@role_required(Role.ADMIN)
def edit(slug: str, criterion_id: int):
    campaign = _campaign(slug)
    node = _node(_criteria_set(campaign), criterion_id)
    row_form = RowForm(CriterionForm(), node=node)
    return _save_row(campaign, row_form, lambda values: update_node(node, values))


@bp.post("/<int:criterion_id>/delete")
@role_required(Role.ADMIN)
def delete(slug: str, criterion_id: int):
    campaign = _campaign(slug)
    node = _node(_criteria_set(campaign), criterion_id)
    label = f"{node.code} – {node.title}"
    done = act(lambda: delete_node(node))
    if done:  # told as information: what was removed
        flash(_("Đã xóa mục %(label)s cùng các mục con.", label=label), "info")
    return _after_change(campaign, done)


@bp.post("/<int:criterion_id>/move")
@role_required(Role.ADMIN)
def move(slug: str, criterion_id: int):
    campaign = _campaign(slug)
    node = _node(_criteria_set(campaign), criterion_id)
    offset = {"up": -1, "down": 1}.get(request.form.get("direction", ""))
    if offset is None:
        abort(400)
    return _after_change(campaign, act(lambda: move_node(node, offset)))


# --- settings and files ---------------------------------------------------------------------


@bp.post("/settings")
@role_required(Role.ADMIN)
def settings(slug: str):
    campaign = _campaign(slug)
    criteria_set = _criteria_set(campaign)
    form = SettingsForm()
    if form.validate_on_submit():
        values = {
            "rounding_step": form.rounding_step.data,
            "bonus_cap": form.bonus_cap.data,
            "deduction_cap": form.deduction_cap.data,
            "grades": [entry.data for entry in form.grades],
            "tie_break": [entry.data for entry in form.tie_break],
        }
        done = act(
            lambda: save_settings(criteria_set, values),
            success=_("Đã lưu thiết lập chấm điểm và xếp loại."),
        )
        if not isinstance(done.refusal, InvalidCriteria):
            done.flash()
            return _settings_response(campaign)
        form.domain_errors = done.refusal.errors
        for name in ("rounding_step", "bonus_cap", "deduction_cap"):
            form[name].errors = [*form[name].errors, *done.refusal.errors.get(name, [])]
    if is_htmx():
        return _settings_fragment(campaign, form)
    return _page(campaign, settings_form=form)


def _settings_fragment(campaign: Campaign, form: SettingsForm | None = None):
    """The settings section, and the tree out of band: its totals show the caps."""
    return render_template(
        "criteria/_settings.html",
        **_tree_context(campaign),
        **_settings_context(campaign, form),
        with_tree=True,
    )


def _settings_response(campaign: Campaign):
    if is_htmx():
        return _settings_fragment(campaign)
    return redirect(url_for("criteria.index", slug=campaign.slug) + "#criteria-settings")


@bp.post("/import")
@role_required(Role.ADMIN)
def import_file(slug: str):
    campaign = _campaign(slug)
    _criteria_set(campaign)
    form = CriteriaImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        data = upload.read()  # once: a second run, after a lost race, reads the same bytes
        # A file with wrong rows changes nothing (import_criteria's contract): the report
        # lists them all, and there is nothing to commit.
        done = act(
            lambda: import_criteria(campaign, upload.filename or "", data),
            form=form,
            field="file",
            success=lambda report: _(
                "Đã nhập bảng tiêu chí: %(n)s mục. Bảng cũ đã được thay thế.", n=report.imported
            ),
        )
        report = done.value
        if done and report.ok:
            return done.redirect(url_for("criteria.index", slug=campaign.slug))
    return _page(campaign, import_form=form, report=report)
