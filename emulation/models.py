"""Every table of the product in one place, for Alembic and `db.create_all`.

Each area keeps its tables in its own `models.py` and code imports them from there; this
module only makes sure all of them are mapped. Areas never import it (an import contract in
pyproject.toml says so); the application factory does.
"""

from emulation.accounts import models as accounts
from emulation.campaigns import models as campaigns
from emulation.commendation import models as commendation
from emulation.criteria import models as criteria
from emulation.progress import models as progress
from emulation.registrations import models as registrations
from emulation.scoring import models as scoring
from emulation.showcase import models as showcase
from emulation.surveys import models as surveys
from emulation.units import models as units
from emulation.wrapup import models as wrapup

AREAS = (
    accounts,
    campaigns,
    commendation,
    criteria,
    progress,
    registrations,
    scoring,
    showcase,
    surveys,
    units,
    wrapup,
)
