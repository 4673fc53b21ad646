"""All models, imported here so Alembic and `db.create_all` see every table."""

from emulation.models.accounts import Role, User
from emulation.models.units import Cluster, ClusterMember, ClusterPosition, Unit

__all__ = ["Cluster", "ClusterMember", "ClusterPosition", "Role", "Unit", "User"]
