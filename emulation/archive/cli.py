"""`flask archive export SLUG PATH` and `flask archive import PATH`: a whole campaign as one
ZIP file (JSON plus files) that re-imports into another installation (emulation.archive.service)."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click
from flask.cli import AppGroup

from emulation.archive import service as archive
from emulation.campaigns.service import campaign_by_slug
from emulation.core.numbers import format_decimal

archive_cli = AppGroup("archive", help="Lưu trữ trọn một phong trào (dữ liệu và tệp) để nhập lại.")


@archive_cli.command("export")
@click.argument("slug")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
def export_command(slug: str, path: Path):
    """Xuất phong trào SLUG ra tệp lưu trữ PATH (.zip)."""
    campaign = campaign_by_slug(slug)
    if campaign is None:
        raise click.ClickException(f"Không có phong trào với mã đường dẫn {slug}.")
    started = time.perf_counter()
    partial = path.with_name(path.name + ".part")
    try:
        with open(partial, "wb") as out:
            summary = archive.export_campaign(campaign, out)
        os.replace(partial, path)
    except archive.ArchiveError as error:
        raise click.ClickException(error.message) from error
    finally:
        partial.unlink(missing_ok=True)
    rows = sum(summary.rows.values())
    click.echo(
        f"Đã xuất {campaign.name} vào {path}: {rows} dòng dữ liệu, {summary.files} tệp, "
        f"{format_decimal(path.stat().st_size // 1024, 'vi')} KB, "
        f"{format_decimal(time.perf_counter() - started, 'vi', 1)} giây."
    )
    for member in summary.missing_files:
        click.echo(
            f"Cảnh báo: không tìm thấy tệp {member} trên máy chủ; bản lưu trữ thiếu tệp này."
        )


@archive_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--slug",
    default=None,
    help="Nhập thành phong trào với mã đường dẫn này (khi đã có phong trào cùng mã).",
)
def import_command(path: Path, slug: str | None):
    """Nhập tệp lưu trữ PATH thành một phong trào mới."""
    started = time.perf_counter()
    try:
        with open(path, "rb") as source:
            report = archive.import_with_report(source, slug=slug)
    except archive.ArchiveError as error:
        raise click.ClickException(error.message) from error
    campaign = report.campaign
    click.echo(
        f"Đã nhập phong trào {campaign.name} ({campaign.slug}): "
        f"{sum(report.inserted.values())} dòng mới, {sum(report.reused.values())} dòng dùng lại "
        f"(đơn vị, cụm, tài khoản… đã có), {report.files_written} tệp, "
        f"{format_decimal(time.perf_counter() - started, 'vi', 1)} giây."
    )
    if report.new_users:
        click.echo(
            f"{len(report.new_users)} tài khoản mới ({', '.join(report.new_users)}) đang bị khóa "
            "và chưa có mật khẩu: Thường trực Hội đồng đặt mật khẩu và mở khóa ở trang Tài khoản "
            "(nếu chưa ai đăng nhập được: flask users create TEN --role admin)."
        )
