"""`flask audit verify`: check the hash chain of score changes end to end."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from emulation.scoring import audit

audit_cli = AppGroup("audit", help="Nhật ký chấm điểm (chuỗi mã băm chống sửa).")


@audit_cli.command("verify")
def verify_command():
    """Kiểm tra toàn bộ chuỗi nhật ký chấm điểm; mã thoát 1 nếu chuỗi bị sửa."""
    result = audit.verify()
    if not result.ok:
        raise click.ClickException(result.message)
    click.echo(f"Chuỗi nhật ký chấm điểm nguyên vẹn: {result.count} sự kiện.")
