"""Extension objects, created here and initialised by the app factory."""

from __future__ import annotations

from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_talisman import Talisman
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

db = SQLAlchemy(metadata=MetaData(naming_convention=NAMING))
migrate = Migrate(render_as_batch=True)
csrf = CSRFProtect()
babel = Babel()
login_manager = LoginManager()
mail = Mail()
# Storage: RATELIMIT_STORAGE_URI, else Redis when it answers, else memory (visa/rate_limit_setup.py).
# One per process, holding the state of one app: its storage, and whether that storage was found dead (then it
# counts in memory until the storage answers again). The site builds one app per process (wsgi.py, once per
# gunicorn worker); a test that makes a storage die runs its app in a process of its own
# (tests/test_rate_limit_setup.py), so later apps of the test process are not taken for dead.
limiter = Limiter(key_func=get_remote_address)
talisman = Talisman()
