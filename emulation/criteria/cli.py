"""`flask criteria import FILE --campaign SLUG` and `flask criteria export --campaign SLUG FILE`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from emulation.campaigns.models import Campaign
from emulation.campaigns.service import campaign_by_slug
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.criteria.service import ensure_criteria_set
from emulation.criteria.tabular import export_criteria, import_criteria

criteria_cli = AppGroup("criteria", help="Bảng tiêu chí chấm điểm.")


def _campaign(slug: str) -> Campaign:
    campaign = campaign_by_slug(slug)
    if campaign is None:
        raise click.ClickException(f"Không có phong trào {slug}.")
    return campaign


@criteria_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--campaign", "slug", required=True, help="Mã đường dẫn của phong trào.")
def import_command(file: Path, slug: str):
    """Thay bảng tiêu chí của phong trào bằng tệp .xlsx hoặc .csv."""
    campaign = _campaign(slug)
    try:
        report = import_criteria(campaign, file.name, file.read_bytes())
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(error.message) from error
    if not report.ok:
        db.session.rollback()
        for error in report.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(
            f"Tệp có {len(report.errors)} lỗi — chưa nhập gì, bảng tiêu chí hiện tại giữ nguyên."
        )
    db.session.commit()
    click.echo(f"Đã nhập {report.imported} mục vào bảng tiêu chí của {campaign.name}.")


@criteria_cli.command("export")
@click.option("--campaign", "slug", required=True, help="Mã đường dẫn của phong trào.")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(slug: str, file: Path):
    """Xuất bảng tiêu chí ra tệp .xlsx hoặc .csv (theo đuôi tên tệp)."""
    campaign = _campaign(slug)
    criteria_set = ensure_criteria_set(campaign)
    try:
        data = export_criteria(criteria_set, file.name)
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()  # a campaign without a set has one now
    file.write_bytes(data)
    click.echo(f"Đã xuất {len(criteria_set.criteria)} mục ra {file}.")
