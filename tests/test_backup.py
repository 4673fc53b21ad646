import threading

import pytest

from app import create_app
from emulation.core.extensions import db
from emulation.units.models import Unit
from emulation.units.service import save_unit


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(
        {"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'live.db'}"}
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory="migrations")
        yield app
        db.engine.dispose()


def _add(code):
    save_unit(Unit(), code=code, name=f"Đơn vị {code}", type="co_quan", level="tinh")
    db.session.commit()


def test_backup_while_writing_then_restore(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    for i in range(50):
        _add(f"A{i}")

    def keep_writing():
        with sqlite_app.app_context():
            for i in range(50):
                _add(f"B{i}")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    result = runner.invoke(args=["backup", str(tmp_path / "copy.db")])
    writer.join()
    assert result.exit_code == 0, result.output
    assert "Đã sao lưu" in result.output

    db.session.execute(db.delete(Unit))
    db.session.commit()
    result = runner.invoke(args=["restore", str(tmp_path / "copy.db"), "--yes"])
    assert result.exit_code == 0, result.output
    db.session.remove()
    codes = set(db.session.scalars(db.select(Unit.code)))
    assert {f"A{i}" for i in range(50)} <= codes  # everything committed before the copy
    assert len(codes) >= 50


def test_restore_refuses_a_file_that_is_not_a_backup(sqlite_app, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"hello")
    result = sqlite_app.test_cli_runner().invoke(args=["restore", str(junk), "--yes"])
    assert result.exit_code != 0
    assert "không phải là bản sao lưu" in result.output


def test_backup_will_not_overwrite(sqlite_app, tmp_path):
    target = tmp_path / "exists.db"
    target.write_bytes(b"")
    result = sqlite_app.test_cli_runner().invoke(args=["backup", str(target)])
    assert result.exit_code != 0 and "đã tồn tại" in result.output
