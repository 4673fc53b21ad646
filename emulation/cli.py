"""The application's command line: `flask users …`, `flask demo load`, `flask criteria …`,
`flask backup` and `flask restore`; `flask audit` and `flask archive` come from their areas."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from emulation.accounts.models import Role, User
from emulation.accounts.service import save_user
from emulation.archive.cli import archive_cli
from emulation.campaigns.models import Campaign
from emulation.campaigns.service import campaign_by_slug
from emulation.core import backup
from emulation.core.errors import DomainError
from emulation.core.extensions import db
from emulation.criteria.service import ensure_criteria_set
from emulation.criteria.tabular import export_criteria, import_criteria
from emulation.demo import loader as demo
from emulation.scoring.cli import audit_cli
from emulation.units.service import unit_by_code

users_cli = AppGroup("users", help="Tài khoản người dùng.")
demo_cli = AppGroup("demo", help="Dữ liệu trình diễn (tỉnh Lai Châu).")


@users_cli.command("create")
@click.argument("username")
@click.option("--role", type=click.Choice(Role.ALL), required=True)
@click.option("--unit", "unit_code", help="Mã đơn vị (bắt buộc với cán bộ đơn vị).")
@click.option("--name", "full_name", default="", help="Họ và tên.")
@click.option("--email", default="")
@click.password_option(help="Mật khẩu (hỏi nếu không ghi).")
def create_user(username, role, unit_code, full_name, email, password):
    """Tạo tài khoản: flask users create TEN --role unit_officer --unit SNV"""
    unit = None
    if unit_code:
        unit = unit_by_code(unit_code)
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã {unit_code}.")
    try:
        user = save_user(
            User(),
            username=username,
            full_name=full_name,
            role=role,
            unit=unit,
            email=email,
            password=password,
        )
    except DomainError as error:
        raise click.ClickException(error.message) from error
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({user.role_label}).")


@users_cli.command("list")
def list_users():
    """Liệt kê tài khoản."""
    for user in db.session.scalars(db.select(User).order_by(User.role, User.username)):
        unit = user.unit.code if user.unit else "-"
        state = "" if user.active else " (khóa)"
        click.echo(f"{user.username:20} {user.role:15} {unit:12} {user.full_name}{state}")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Chỉ nạp khi cơ sở dữ liệu chưa có đơn vị nào.")
def load_demo(if_empty):
    """Nạp dữ liệu trình diễn (chạy lại nhiều lần không tạo trùng)."""
    if if_empty and not demo.database_is_empty():
        click.echo("Cơ sở dữ liệu đã có dữ liệu; bỏ qua dữ liệu trình diễn.")
        return
    summary = demo.load()
    click.echo(
        f"Dữ liệu trình diễn {current_app.config['PROVINCE_NAME']}: "
        f"{summary.units} đơn vị, {summary.clusters} cụm/khối, {summary.users} tài khoản, "
        f"{summary.campaigns} phong trào."
    )
    click.echo(f"Tài khoản trình diễn (mật khẩu: {demo.DEMO_PASSWORD}):")
    for username, role, unit in summary.accounts:
        click.echo(f"  {username:14} {role}{' — ' + unit if unit else ''}")


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Sao lưu nhất quán cơ sở dữ liệu SQLite đang chạy vào PATH."""
    try:
        size = backup.backup_sqlite(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã sao lưu vào {path} ({size // 1024} KB).")


@click.command("restore")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
def restore_command(path, yes):
    """Khôi phục cơ sở dữ liệu SQLite từ bản sao lưu PATH (ghi đè dữ liệu hiện tại)."""
    if not yes:
        click.confirm("Dữ liệu hiện tại sẽ bị thay bằng bản sao lưu. Tiếp tục?", abort=True)
    try:
        backup.restore_sqlite(db.engine, path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Đã khôi phục từ {path}.")


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


def init_app(app: Flask) -> None:
    app.cli.add_command(users_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(criteria_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(archive_cli)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
