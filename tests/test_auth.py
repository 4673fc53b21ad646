from app import create_app
from emulation.accounts.models import Role, User
from emulation.core.extensions import db
from tests.factories import PASSWORD, make_user


def test_login_greets_user_and_shows_role_navigation(client):
    make_user("thuongtruc", Role.ADMIN, full_name="Nguyễn Thị Thu Hà")
    response = client.submit("/login", {"username": "thuongtruc", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Xin chào Nguyễn Thị Thu Hà!" in page
    assert 'href="/users/"' in page  # the standing office manages accounts
    assert db.session.scalar(db.select(User.last_login_at).where(User.username == "thuongtruc"))


def test_wrong_password_keeps_username_and_says_why(client):
    make_user("canbo")
    response = client.submit("/login", {"username": "canbo", "password": "sai-mat-khau"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in page
    assert 'value="canbo"' in page


def test_login_is_case_insensitive_on_username(client):
    make_user("canbo")
    assert client.submit("/login", {"username": "CanBo", "password": PASSWORD}).status_code == 302


def test_locked_account_cannot_sign_in(client):
    make_user("daxoa", active=False)
    response = client.submit("/login", {"username": "daxoa", "password": PASSWORD})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)


def test_login_never_redirects_to_another_site(client):
    make_user("canbo")
    response = client.submit(
        "/login?next=https://evil.example/x", {"username": "canbo", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/"


def test_logout_is_a_post_with_csrf(client):
    make_user("canbo")
    client.login("canbo")
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400  # no token
    assert client.submit("/logout").status_code == 302
    assert "Đăng nhập</a>" in client.get("/").get_data(as_text=True)


def test_login_is_rate_limited_with_a_vietnamese_429_page(database_url):
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url,
            "LOGIN_RATE_LIMIT": "3 per minute",
        }
    )
    from tests.conftest import Client

    app.test_client_class = Client
    client = app.test_client()
    with app.app_context():
        statuses = [
            client.submit("/login", {"username": "x", "password": "y"}).status_code
            for _ in range(4)
        ]
    assert statuses == [200, 200, 200, 429]
    with app.app_context():
        page = client.submit("/login", {"username": "x", "password": "y"}).get_data(as_text=True)
    assert "Quá nhiều yêu cầu" in page
    assert client.get("/login").status_code == 200  # reading the form is never limited


def test_change_password(client):
    make_user("canbo")
    client.login("canbo")
    response = client.submit(
        "/account/password", {"current": "wrong", "new": "matkhaumoi1", "confirm": "matkhaumoi1"}
    )
    assert "Mật khẩu hiện tại không đúng." in response.get_data(as_text=True)
    client.submit(
        "/account/password", {"current": PASSWORD, "new": "matkhaumoi1", "confirm": "matkhaumoi1"}
    )
    user = db.session.scalar(db.select(User).where(User.username == "canbo"))
    assert user.check_password("matkhaumoi1")
