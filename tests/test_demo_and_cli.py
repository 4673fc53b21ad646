from emulation.accounts.models import User
from emulation.core.extensions import db
from emulation.demo import loader as demo
from emulation.units.models import Cluster, Unit


def test_demo_load_is_idempotent_and_every_demo_login_works(app, client):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "mật khẩu: thidua2025" in first.output
    counts = [
        db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Unit, Cluster, User)
    ]
    second = runner.invoke(args=["demo", "load"])
    assert second.exit_code == 0
    assert [
        db.session.scalar(db.select(db.func.count()).select_from(m)) for m in (Unit, Cluster, User)
    ] == counts
    assert counts[0] >= 40 and counts[1] >= 4

    for username, *_rest in demo.demo_accounts():
        assert username in first.output
        client.login(username, demo.DEMO_PASSWORD)
        assert client.get("/").status_code == 200
        client.submit("/logout")


def test_demo_load_if_empty_skips_a_used_database(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "bỏ qua" in result.output


def test_demo_home_page_shows_this_years_clusters_with_leaders(app, client):
    app.test_cli_runner().invoke(args=["demo", "load"])
    page = client.get("/").get_data(as_text=True)
    assert "Khối thi đua các doanh nghiệp" in page
    assert "Cụm thi đua các xã, phường số 1" in page


def test_demo_cluster_leader_account_has_leader_rights(app, client):
    app.test_cli_runner().invoke(args=["demo", "load"])
    client.login("cumtruong", demo.DEMO_PASSWORD)
    assert "cụm trưởng" in client.get("/").get_data(as_text=True)


def test_users_create_command(app):
    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    result = runner.invoke(
        args=[
            "users",
            "create",
            "canbo.binhlu",
            "--role",
            "unit_officer",
            "--unit",
            "XA-03390",
            "--name",
            "Vàng A Dơ",
            "--password",
            "matkhau123",
        ]
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User).where(User.username == "canbo.binhlu"))
    assert user.unit.name == "Xã Bình Lư" and user.check_password("matkhau123")
    missing_unit = runner.invoke(
        args=["users", "create", "x", "--role", "unit_officer", "--password", "matkhau123"]
    )
    assert missing_unit.exit_code != 0
    assert "Cán bộ đơn vị phải thuộc một đơn vị." in missing_unit.output


def test_demo_2023_campaign_is_scored_published_and_its_audit_chain_verifies(app):
    from emulation.scoring.models import ScoreSheet

    runner = app.test_cli_runner()
    runner.invoke(args=["demo", "load"])
    published = db.session.scalars(
        db.select(ScoreSheet).where(ScoreSheet.stage == "published")
    ).all()
    assert len(published) >= 10
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0 and "nguyên vẹn" in result.output
