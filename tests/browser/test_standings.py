"""The leaderboard in a real page: a publication elsewhere appears without a reload."""

from playwright.sync_api import expect

from emulation.accounts.models import Role
from emulation.core.extensions import db
from emulation.scoring import sheets
from tests.browser.conftest import sign_in
from tests.factories import PASSWORD, make_user
from tests.test_standings import score, setting


def test_a_publication_in_another_session_appears_on_an_open_leaderboard(
    app, browser, live_server, page
):
    admin = make_user("thuongtruc", Role.ADMIN)
    campaign, units, leaf = setting()
    score(campaign, units[1], leaf, "80")
    sheets.publish_approved(campaign, admin)
    score(campaign, units[0], leaf, "93")  # approved, waiting for publication
    db.session.commit()
    poll = app.config["STANDINGS_POLL_SECONDS"]

    statuses = []
    page.on(
        "response",
        lambda r: statuses.append(r.status) if "/standings/fragment" in r.url else None,
    )
    page.goto(f"/campaigns/{campaign.slug}/standings")
    page.evaluate("window.__sameDocument = true")
    board = page.locator("#board")
    expect(board).to_contain_text("Phường Tân Phong")
    expect(board).not_to_contain_text("Phường Đông Phong")
    page.wait_for_timeout(poll * 1000 + 500)
    assert statuses and set(statuses) == {204}  # nothing changed: polls swap nothing

    other = browser.new_context(base_url=live_server)
    council = other.new_page()
    sign_in(council, "thuongtruc", PASSWORD)
    council.goto(f"/campaigns/{campaign.slug}/scoring")
    council.get_by_role("button", name="Công bố kết quả các phiếu Hội đồng đã thông qua").click()
    expect(council.get_by_text("Đã công bố kết quả của 1 đơn vị.")).to_be_visible()
    other.close()

    first = board.locator("tbody tr").first
    expect(first).to_contain_text("Phường Đông Phong", timeout=(poll + 2) * 1000)
    expect(first).to_contain_text("93,00")
    expect(board.locator("tbody tr").nth(1)).to_contain_text("↓ 1")
    assert 200 in statuses
    assert page.evaluate("window.__sameDocument") is True  # no reload
