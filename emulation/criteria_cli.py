"""`flask criteria import FILE --campaign SLUG` and `flask criteria export --campaign SLUG FILE`."""

from flask.cli import AppGroup

criteria_cli = AppGroup("criteria", help="Bảng tiêu chí chấm điểm.")
