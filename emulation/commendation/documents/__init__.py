"""The commendation dossier as documents: tờ trình (Mẫu 01), báo cáo thành tích (Mẫu 02,
Mẫu 03), biên bản họp Hội đồng, and lists of nominees and vote results as spreadsheets.

The generators are pure: they turn the dataclasses of `inputs` into bytes and know nothing
of the database. `collective_report_for` fills a Mẫu 02 from what the system records.
"""

from emulation.commendation.documents.inputs import (
    AchievementGroup,
    Attendee,
    AwardGroup,
    CollectiveReport,
    IndividualReport,
    Initiative,
    Minutes,
    Nominee,
    NomineeList,
    NomineeRow,
    PastAward,
    Signature,
    Standing,
    Submission,
    TargetResult,
    VoteRow,
)
from emulation.commendation.documents.minutes import minutes_docx
from emulation.commendation.documents.reports import collective_report_docx, individual_report_docx
from emulation.commendation.documents.sheets import nominees_xlsx, results_xlsx
from emulation.commendation.documents.sources import collective_report_for
from emulation.commendation.documents.submission import submission_docx
from emulation.commendation.documents.wording import long_date, place_date

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

__all__ = [
    "DOCX",
    "XLSX",
    "AchievementGroup",
    "Attendee",
    "AwardGroup",
    "CollectiveReport",
    "IndividualReport",
    "Initiative",
    "Minutes",
    "Nominee",
    "NomineeList",
    "NomineeRow",
    "PastAward",
    "Signature",
    "Standing",
    "Submission",
    "TargetResult",
    "VoteRow",
    "collective_report_docx",
    "collective_report_for",
    "individual_report_docx",
    "long_date",
    "minutes_docx",
    "nominees_xlsx",
    "place_date",
    "results_xlsx",
    "submission_docx",
]
