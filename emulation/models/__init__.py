"""All models, imported here so Alembic and `db.create_all` see every table."""

from emulation.models.accounts import Role, User
from emulation.models.campaigns import (
    Campaign,
    CampaignForm,
    CampaignStatus,
    Phase,
    PhaseKind,
)
from emulation.models.criteria import CriteriaSet, Criterion
from emulation.models.progress import Evidence, ProgressReport, ProgressValue, ReportStatus
from emulation.models.registrations import (
    AmendmentRequest,
    AmendmentStatus,
    ExemplaryEvaluation,
    ExemplaryRegistration,
    ExemplaryTask,
    ExemplaryTaskGroup,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
    RegistrationTarget,
)
from emulation.models.scoring import (
    Aggregation,
    ConflictDeclaration,
    CrossAssignment,
    Explanation,
    ScoreEntry,
    ScoreEvent,
    ScoreSheet,
    Stage,
)
from emulation.models.units import Cluster, ClusterMember, ClusterPosition, Unit

__all__ = [
    "Aggregation",
    "AmendmentRequest",
    "AmendmentStatus",
    "Campaign",
    "CampaignForm",
    "CampaignStatus",
    "ConflictDeclaration",
    "CrossAssignment",
    "Cluster",
    "ClusterMember",
    "ClusterPosition",
    "CriteriaSet",
    "Criterion",
    "Evidence",
    "Explanation",
    "ExemplaryEvaluation",
    "ExemplaryRegistration",
    "ExemplaryTask",
    "ExemplaryTaskGroup",
    "Phase",
    "PhaseKind",
    "ProgressReport",
    "ProgressValue",
    "Registration",
    "RegistrationEvent",
    "RegistrationStatus",
    "RegistrationTarget",
    "ReportStatus",
    "Role",
    "ScoreEntry",
    "ScoreEvent",
    "ScoreSheet",
    "Stage",
    "Unit",
    "User",
]
