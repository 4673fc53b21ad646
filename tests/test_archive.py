"""The campaign archive in a user's terms: the standing office downloads the 2023 campaign,
a new installation imports it, and its pages show the same standings, award, showcase photo
and evidence file; a second import, a tampered file or another schema are refused."""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
import uuid
import zipfile
from datetime import timedelta
from decimal import Decimal

import pytest
from flask_migrate import upgrade
from PIL import Image
from sqlalchemy import Column, ForeignKey, Integer, MetaData, Table, create_engine, func, select
from sqlalchemy import text as sql
from sqlalchemy.engine import make_url

from app import create_app
from emulation.accounts.models import Role, User
from emulation.accounts.service import user_by_username
from emulation.archive import service as archive
from emulation.campaigns.models import Campaign
from emulation.campaigns.service import campaign_by_slug
from emulation.commendation import decisions, meetings, nominations
from emulation.commendation.models import Award
from emulation.commendation.rulebook import current_rulebook
from emulation.core.clock import local_today, utcnow
from emulation.core.extensions import db
from emulation.demo import loader as demo
from emulation.demo.surveys import CAMPAIGN as SURVEY_CAMPAIGN
from emulation.progress import evidence
from emulation.progress.models import Evidence, ProgressReport
from emulation.registrations.models import Registration
from emulation.scoring import audit
from emulation.scoring.models import ScoreEvent
from emulation.showcase import service as showcase
from emulation.showcase.models import ShowcasePhoto
from emulation.surveys.models import Survey, SurveyDraft, SurveyToken
from emulation.units.models import Unit
from emulation.units.service import unit_by_code
from tests.conftest import Client
from tests.factories import add_criterion, make_campaign, make_unit, make_user

SLUG = "thi-dua-dac-biet-2023"
PASSWORD = demo.DEMO_PASSWORD
DECISION = "2468/QĐ-UBND"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --- the two installations --------------------------------------------------------------------


@pytest.fixture
def folders(app, tmp_path):
    app.config["EVIDENCE_DIR"] = str(tmp_path / "source" / "evidence")
    app.config["SHOWCASE_DIR"] = str(tmp_path / "source" / "showcase")


@pytest.fixture
def empty_database_url(database_url, tmp_path):
    """A database nobody uses: a file on SQLite, a throw-away database on PostgreSQL."""
    if not database_url.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'imported.db'}"
        return
    name = f"{make_url(database_url).database}_import_{uuid.uuid4().hex[:8]}"
    admin = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sql(f'CREATE DATABASE "{name}"'))
    yield make_url(database_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def installation(empty_database_url, tmp_path):
    """A second, empty installation: its own database built by the migrations, its own
    folders for evidence and photos."""
    other = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": empty_database_url,
            "EVIDENCE_DIR": str(tmp_path / "target" / "evidence"),
            "SHOWCASE_DIR": str(tmp_path / "target" / "showcase"),
        }
    )
    other.test_client_class = Client
    with other.app_context():
        upgrade(directory=os.path.join(other.root_path, "migrations"))
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


# --- the 2023 campaign, carried to its end ------------------------------------------------------


def _decide(campaign, admin) -> None:
    """Proposals, the final list, a council meeting where everyone agrees, the decision."""
    today = local_today()
    nominations.apply_proposals(campaign, admin)
    nominations.finalize(campaign, admin)
    nominations.nomination_list(campaign).posting_from = today - timedelta(days=30)
    meeting = meetings.create_meeting(
        campaign, admin, held_on=today, place="Phòng họp tầng 3", chair="Chủ tịch UBND tỉnh"
    )
    db.session.flush()
    for attendance in meetings.roll(meeting):
        meetings.set_attendance(meeting, admin, attendance.user_id, True)
    meetings.open_voting(meeting, admin)
    for member in meetings.council_members():
        for line in meetings.ballot(meeting, member):
            meetings.cast(meeting, member, line.nomination, "agree")
    meetings.close_voting(meeting, admin)
    decisions.create_decision(
        campaign,
        admin,
        award_type=current_rulebook("Lai Châu", today).type_by_code("GK_CD"),
        number=DECISION,
        signed_on=today,
        signer="Chủ tịch UBND tỉnh",
    )


def _add_evidence(campaign) -> Evidence:
    """A report of 2023 with its evidence file, as an upload of the time left it."""
    registration = db.session.scalar(
        select(Registration).where(
            Registration.campaign_id == campaign.id, Registration.status == "approved"
        )
    )
    report = ProgressReport(
        registration=registration,
        period_label="Sơ kết 3 tháng",
        period_end=campaign.end_date,
        status="submitted",
        submitted_at=utcnow(),
    )
    db.session.add(report)
    stored_name = f"{uuid.uuid4().hex}.pdf"
    os.makedirs(evidence.evidence_dir(), exist_ok=True)
    with open(os.path.join(evidence.evidence_dir(), stored_name), "wb") as out:
        out.write(PDF)
    report.evidence.append(
        Evidence(
            target=registration.targets[0],
            original_name="Báo cáo sơ kết.pdf",
            stored_name=stored_name,
            content_type="application/pdf",
            size=len(PDF),
            sha256=hashlib.sha256(PDF).hexdigest(),
        )
    )
    return report.evidence[0]


def _photo_bytes() -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 60)).save(buffer, "PNG")
    buffer.seek(0)
    return buffer


@pytest.fixture
def wrapped_up(app, folders):
    """The demo data; its 2023 campaign decided (Giấy khen), with an evidence file and a
    photo on its showcase profile."""
    demo.load()
    campaign = campaign_by_slug(SLUG)
    _decide(campaign, user_by_username("thuongtruc"))
    _add_evidence(campaign)
    profile = next(p for p in showcase.all_profiles() if p.campaign_id == campaign.id)
    showcase.store_photo(profile, stream=_photo_bytes(), caption="Phòng họp không giấy")
    db.session.commit()
    return campaign


# --- what a visitor reads ----------------------------------------------------------------------


def _board(page: str) -> list[str]:
    """The official board's groups as a visitor reads them (links and times aside)."""
    sections = re.findall(r'<section class="board-group">.*?</section>', page, re.S)
    return [re.sub(r'href="[^"]*"', "", section) for section in sections]


def _archive_of(client, slug: str = SLUG) -> bytes:
    client.login("thuongtruc", PASSWORD)
    response = client.get(f"/campaigns/{slug}/archive.zip")
    assert response.status_code == 200 and response.mimetype == "application/zip"
    assert f"{slug}-luu-tru.zip" in response.headers["Content-Disposition"]
    client.submit("/logout")
    return response.data


def _give_access(installation, username: str) -> None:
    """What the standing office of the new installation does: a first account from the
    command line, then the imported account opened again on the accounts page."""
    created = _run(
        installation, "users", "create", "quantri", "--role", "admin", "--password", "quantri2025"
    )
    assert created.exit_code == 0, created.output
    office = installation.test_client()
    office.login("quantri", "quantri2025")
    with installation.app_context():
        user = user_by_username(username)
        user_id, full_name, role = user.id, user.full_name, user.role
    saved = office.submit(
        f"/users/{user_id}/edit",
        {
            "username": username,
            "full_name": full_name,
            "role": role,
            "unit_id": "0",
            "password": PASSWORD,
            "active": "y",
        },
    )
    assert saved.status_code == 302


def _run(application, *args: str):
    """A `flask` command of that installation (the test's own app context is the source's)."""
    with application.app_context():
        return application.test_cli_runner().invoke(args=list(args))


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


# --- tests ------------------------------------------------------------------------------------


def test_the_2023_campaign_comes_back_whole_in_an_empty_installation(
    app, client, wrapped_up, installation
):
    today = local_today()
    official = _board(client.get(f"/campaigns/{SLUG}/standings").get_data(as_text=True))
    assert len(official) == 2 and "Huyện Phong Thổ" in "".join(official)
    award = db.session.scalar(select(Award).where(Award.decision_id.isnot(None)))
    awarded_code, awarded_name = award.unit.code, award.unit.name
    photo = db.session.scalar(select(ShowcasePhoto))
    profile_slug = photo.profile.slug
    photo_bytes = client.get(f"/showcase/photos/{photo.id}").data
    chain_length = audit.verify().count
    data = _archive_of(client)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        users = json.loads(package.read(archive.ARCHIVE_JSON))["tables"]["users"]
    assert "thuongtruc" in {u["username"] for u in users}
    assert not any("password_hash" in user for user in users)

    with installation.app_context():
        imported = archive.import_archive(io.BytesIO(data))
        assert imported.slug == SLUG
        checked = audit.verify()
        first = db.session.scalar(select(ScoreEvent).order_by(ScoreEvent.id))
        evidence_id = db.session.scalar(select(Evidence.id))
        awarded_id = unit_by_code(awarded_code).id
        thuongtruc = user_by_username("thuongtruc")
        assert thuongtruc.active is False and not thuongtruc.check_password(PASSWORD)
    # One hash chain: the import's own event, then every score event of the campaign.
    assert checked.ok and checked.count == chain_length + 1
    assert first.action == "archive_import"
    assert hashlib.sha256(data).hexdigest() in first.reason
    assert f"{chain_length} sự kiện" in first.reason

    visitor = installation.test_client()
    page = visitor.get(f"/campaigns/{SLUG}/standings").get_data(as_text=True)
    assert _board(page) == official
    profile = visitor.get(f"/showcase/{profile_slug}").get_data(as_text=True)
    assert "Phòng họp không giấy" in profile
    photo_url = re.search(r'<img src="(/showcase/photos/\d+)"', profile).group(1)
    assert visitor.get(photo_url).data == photo_bytes

    # Imported accounts wait, locked, until the office opens them again.
    refused = visitor.submit("/login", {"username": "thuongtruc", "password": PASSWORD})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in refused.get_data(as_text=True)
    _give_access(installation, "thuongtruc")
    visitor.login("thuongtruc", PASSWORD)
    unit_page = visitor.get(f"/units/{awarded_id}").get_data(as_text=True)
    history = unit_page.split('id="awards"', 1)[1]
    assert awarded_name in unit_page and "Giấy khen (theo chuyên đề)" in history
    assert f"{DECISION} ngày {today.strftime('%d/%m/%Y')}" in history
    assert visitor.get(f"/evidence/{evidence_id}").data == PDF

    # The same archive a second time: refused by its slug, nothing added.
    with installation.app_context():
        campaigns, events = _count(Campaign), _count(ScoreEvent)
        with pytest.raises(archive.ArchiveError) as again:
            archive.import_archive(io.BytesIO(data))
        assert f"Đã có phong trào với mã đường dẫn {SLUG}" in again.value.message
        assert (_count(Campaign), _count(ScoreEvent)) == (campaigns, events)


def test_a_tampered_file_is_refused_and_nothing_is_written(app, client, wrapped_up, installation):
    data = _archive_of(client)
    evidence_name = db.session.scalar(select(Evidence.stored_name))
    member = f"files/evidence/{evidence_name}"
    tampered = _rewrite(data, {member: PDF.replace(b"Catalog", b"Catalug")})

    with installation.app_context():
        with pytest.raises(archive.ArchiveError) as refused:
            archive.import_archive(io.BytesIO(tampered))
        assert refused.value.message == (
            f"Tệp {member} trong tệp lưu trữ đã bị sửa hoặc bị hỏng (mã sha256 không khớp); "
            "không nhập gì."
        )
        assert [_count(m) for m in (Campaign, Unit, User, ScoreEvent, Evidence)] == [0] * 5
        for setting in ("EVIDENCE_DIR", "SHOWCASE_DIR"):
            folder = installation.config[setting]
            assert not os.path.exists(folder) or os.listdir(folder) == []


def test_the_same_installation_takes_it_again_only_under_another_slug(app, client, wrapped_up):
    data = _archive_of(client)
    units, users, events = _count(Unit), _count(User), audit.verify().count
    with pytest.raises(archive.ArchiveError) as refused:
        archive.import_archive(io.BytesIO(data))
    assert refused.value.message == (
        f"Đã có phong trào với mã đường dẫn {SLUG}; không nhập lại. "
        "Muốn giữ cả hai, hãy nhập với mã đường dẫn khác."
    )
    assert _count(Campaign) == 3

    copy = archive.import_archive(io.BytesIO(data), slug="thi-dua-dac-biet-2023-ban-luu")
    # Units, clusters and accounts are the installation's own, found by code and name.
    assert (_count(Unit), _count(User)) == (units, users)
    assert {c.id for c in copy.clusters} == {c.id for c in wrapped_up.clusters}
    result = audit.verify()
    assert result.ok and result.count == 2 * events + 1
    original = client.get(f"/campaigns/{SLUG}/standings").get_data(as_text=True)
    again = client.get(f"/campaigns/{copy.slug}/standings").get_data(as_text=True)
    assert _board(again) == _board(original)
    # Its photo is a file of its own, with the same bytes.
    first, second = db.session.scalars(select(ShowcasePhoto).order_by(ShowcasePhoto.id))
    assert first.stored_name != second.stored_name
    with open(showcase.photo_path(first), "rb") as a, open(showcase.photo_path(second), "rb") as b:
        assert a.read() == b.read()
    assert second.profile.slug != first.profile.slug


# --- a small campaign: the command line and the other refusals -------------------------------------


@pytest.fixture
def small(app, folders):
    """A campaign of one department under the province, with a two-level criteria tree."""
    province = make_unit("UBND tỉnh Lai Châu", code="TINH")
    department = make_unit("Sở Nội vụ", code="SNV", parent=province)
    campaign = make_campaign(slug="phong-trao-nho", units=[department])
    group = add_criterion(campaign, "1", "Công tác chuyên môn", "40.5", section="base")
    add_criterion(campaign, "1.1", "Hoàn thành kế hoạch", "12.25", parent=group)
    make_user("thuongtruc", Role.ADMIN)
    return campaign


def test_the_command_line_exports_and_imports(app, small, installation, tmp_path):
    path = tmp_path / "phong-trao-nho.zip"
    start_date = small.start_date  # read here: inside the other app, it would query there
    exported = _run(app, "archive", "export", "phong-trao-nho", str(path))
    assert exported.exit_code == 0, exported.output
    assert f"Đã xuất Phong trào thi đua thử nghiệm vào {path}" in exported.output

    imported = _run(installation, "archive", "import", str(path))
    assert imported.exit_code == 0, imported.output
    assert "Đã nhập phong trào Phong trào thi đua thử nghiệm (phong-trao-nho)" in imported.output
    with installation.app_context():
        campaign = campaign_by_slug("phong-trao-nho")
        [department] = campaign.units
        assert (department.code, department.parent.code) == ("SNV", "TINH")
        tree = [
            (c.code, c.max_points, c.parent.code if c.parent else None)
            for c in campaign.criteria_set.criteria
        ]
        assert sorted(tree) == [("1", Decimal("40.500"), None), ("1.1", Decimal("12.250"), "1")]
        assert campaign.start_date == start_date

    again = _run(installation, "archive", "import", str(path))
    assert again.exit_code == 1
    assert "Đã có phong trào với mã đường dẫn phong-trao-nho" in again.output
    missing = _run(app, "archive", "export", "khong-co", str(path))
    assert "Không có phong trào với mã đường dẫn khong-co." in missing.output


def test_files_that_are_not_archives_are_refused(app, small):
    buffer = io.BytesIO()
    archive.export_campaign(small, buffer)
    data = buffer.getvalue()
    cases = {
        b"PK\x03\x04 but not really": "không đọc được dạng ZIP",
        _rewrite(data, {}, drop=archive.ARCHIVE_JSON): "không có archive.json",
        _rewrite(data, {}, drop=archive.MANIFEST): "không có bảng mã kiểm tra",
        _with_document(data, schema_revision="0000aaaa1111"): "phiên bản 0000aaaa1111, khác",
    }
    for content, message in cases.items():
        with pytest.raises(archive.ArchiveError) as refused:
            archive.import_archive(io.BytesIO(content), slug="phong-trao-khac")
        assert message in refused.value.message
    assert _count(Campaign) == 1


def test_the_office_alone_downloads_the_archive(app, client, small):
    url = "/campaigns/phong-trao-nho/archive.zip"
    assert client.get(url).status_code == 302  # to the sign-in page
    make_user("canbo", unit=small.units[0])
    make_user("hoidong", Role.COUNCIL_MEMBER)
    for username in ("canbo", "hoidong"):
        client.login(username)
        assert client.get(url).status_code == 403
        client.submit("/logout")
    client.login("thuongtruc")
    response = client.get(url)
    with zipfile.ZipFile(io.BytesIO(response.data)) as package:
        assert {archive.ARCHIVE_JSON, archive.MANIFEST} <= set(package.namelist())
        document = json.loads(package.read(archive.ARCHIVE_JSON))
    assert document["campaign"] == "phong-trao-nho"
    assert document["schema_revision"] == archive.schema_revision()
    # The department and, through its parent key, the province above it.
    assert {unit["code"] for unit in document["tables"]["units"]} == {"SNV", "TINH"}


def test_a_table_added_with_a_campaign_key_comes_along_by_itself():
    metadata = MetaData()
    for table in db.metadata.sorted_tables:
        table.to_metadata(metadata)
    Table(
        "campaign_notes",
        metadata,
        Column("id", Integer, primary_key=True),
        Column("campaign_id", ForeignKey("campaigns.id")),
        Column("author_id", ForeignKey("users.id")),
    )
    layout = archive.plan(metadata)
    owned = {t.name for t in layout.owned}
    assert {"campaign_notes", "phases", "score_entries", "evidence", "survey_responses"} <= owned
    assert {"votes", "votes_cast", "awards", "showcase_photos"} <= owned
    assert {t.name for t in layout.reference} == {
        "units",
        "clusters",
        "cluster_members",
        "users",
        "rulebooks",
        "award_types",
    }
    order = [t.name for t in layout.order]
    assert order.index("users") < order.index("campaign_notes")
    assert order.index("evidence") < order.index("explanations")  # evidence_ids


# --- helpers for doctored archives ---------------------------------------------------------------


def _rewrite(data: bytes, replace: dict[str, bytes], drop: str | None = None) -> bytes:
    """The archive with some members replaced (the manifest left as it was) or one dropped."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if name != drop:
                target.writestr(name, replace.get(name, source.read(name)))
    return out.getvalue()


def _with_document(data: bytes, **changes) -> bytes:
    """The archive with archive.json changed and the manifest updated to match."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        document = json.loads(source.read(archive.ARCHIVE_JSON))
        manifest = source.read(archive.MANIFEST).decode()
    document.update(changes)
    payload = json.dumps(document).encode()
    old = re.search(rf"^(\w+)  {archive.ARCHIVE_JSON}$", manifest, re.M).group(1)
    manifest = manifest.replace(old, hashlib.sha256(payload).hexdigest())
    return _rewrite(data, {archive.ARCHIVE_JSON: payload, archive.MANIFEST: manifest.encode()})


def test_what_would_still_open_a_survey_stays_behind(app, client, folders, installation):
    """Unused survey codes and respondents' drafts are secrets: the archive carries neither;
    the new installation issues new codes, so sheets printed for the old one open nothing."""
    demo.load()
    survey = db.session.scalar(
        select(Survey).join(Campaign).where(Campaign.slug == SURVEY_CAMPAIGN)
    )
    db.session.add(
        SurveyDraft(id="k" * 64, survey_id=survey.id, answers={"1": "5"}, updated_on=local_today())
    )
    db.session.commit()
    tokens = db.session.scalars(select(SurveyToken).where(SurveyToken.survey_id == survey.id))
    unused = {t.code for t in tokens if not t.used}
    assert unused

    data = _archive_of(client, SURVEY_CAMPAIGN)
    with zipfile.ZipFile(io.BytesIO(data)) as zipped:
        document = zipped.read("archive.json").decode()
    assert not any(code in document for code in unused)
    assert "survey_drafts" not in json.loads(document)["tables"] and "k" * 64 not in document

    with installation.app_context():
        archive.import_archive(io.BytesIO(data))
        db.session.commit()
        codes = list(db.session.scalars(select(SurveyToken.code)))
        assert len(codes) == len(set(codes)) >= len(unused)
        assert not unused & set(codes)
