"""Configuration read from the environment, with overrides for tests."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The app cannot start with this configuration."""


def normalize_database_url(url: str) -> str:
    """Point plain PostgreSQL URLs at the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _flag(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret(instance_path: Path) -> str:
    """A development key kept in instance/ so sessions survive a restart."""
    path = instance_path / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Everything the app needs to know, from the environment and `overrides`."""
    overrides = dict(overrides or {})
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)

    env = overrides.pop("APP_ENV", None) or os.environ.get("APP_ENV", "production")
    if overrides.get("TESTING"):
        env = "testing"
    if env not in ENVIRONMENTS:
        raise ConfigError(f"APP_ENV must be one of {', '.join(ENVIRONMENTS)}, not {env!r}")

    redis_url = os.environ.get("REDIS_URL") or None
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'thidua.db'}"

    config = {
        "APP_ENV": env,
        "TESTING": env == "testing",
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "SQLALCHEMY_DATABASE_URI": normalize_database_url(database_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "REDIS_URL": redis_url,
        # Sessions: HttpOnly and SameSite=Lax always; Secure when served over HTTPS.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        # werkzeug's default (scrypt) in use; the test settings take a cheap one, as the suite
        # creates and signs in thousands of accounts.
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000" if env == "testing" else "scrypt",
        "WTF_CSRF_TIME_LIMIT": None,  # a commune officer may keep a form open all afternoon
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        # Evidence files (minh chứng) live outside static/ and are served only to those allowed.
        "EVIDENCE_DIR": os.environ.get("EVIDENCE_DIR") or str(instance / "evidence"),
        "EVIDENCE_MAX_MB": int(os.environ.get("EVIDENCE_MAX_MB", "10")),
        # Showcase photos (điển hình tiên tiến): outside static/, served by a route once published.
        "SHOWCASE_DIR": os.environ.get("SHOWCASE_DIR") or str(instance / "showcase"),
        "SHOWCASE_MAX_MB": int(os.environ.get("SHOWCASE_MAX_MB", "10")),
        # Front end: htmx from the CDN with SRI, or the vendored copy for offline intranets.
        "HTMX_SOURCE": os.environ.get("HTMX_SOURCE", "cdn"),
        # Languages: Vietnamese first.
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": {"vi": "Tiếng Việt", "en": "English"},
        # Rate limits (Flask-Limiter); shared through Redis when REDIS_URL is set.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        # Comments on a publicly posted list of nominees, per client address.
        "POSTING_COMMENT_RATE_LIMIT": os.environ.get("POSTING_COMMENT_RATE_LIMIT", "5 per hour"),
        # Surveys: answers through the open link, failed token look-ups, per-field checks.
        "SURVEY_RATE_LIMIT": os.environ.get("SURVEY_RATE_LIMIT", "20 per hour"),
        "SURVEY_TOKEN_RATE_LIMIT": os.environ.get("SURVEY_TOKEN_RATE_LIMIT", "30 per hour"),
        "SURVEY_FIELD_RATE_LIMIT": os.environ.get("SURVEY_FIELD_RATE_LIMIT", "600 per hour"),
        # Cache (Flask-Caching); shared through Redis when REDIS_URL is set.
        "CACHE_TYPE": "RedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "thidua:",
        "CACHE_DEFAULT_TIMEOUT": 300,
        # How long a standings version token may be served from the cache. Writes delete it
        # on commit; only a per-process cache (no Redis) needs the short bound, since another
        # worker's deletion cannot reach it.
        "STANDINGS_TOKEN_TTL": int(os.environ.get("STANDINGS_TOKEN_TTL", 3600 if redis_url else 2)),
        "STANDINGS_BOARD_TTL": 3600,
        # How often an open leaderboard asks whether anything changed (seconds).
        "STANDINGS_POLL_SECONDS": int(os.environ.get("STANDINGS_POLL_SECONDS", 5)),
        # How long the public display shows one cluster before the next (seconds).
        "DISPLAY_ROTATE_SECONDS": int(os.environ.get("DISPLAY_ROTATE_SECONDS", 15)),
        "PROVINCE_NAME": os.environ.get("PROVINCE_NAME", "Lai Châu"),
    }
    if env == "testing":
        config["HTMX_SOURCE"] = "local"
    config.update(overrides)

    if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # The busy timeout lets writers queue instead of failing while another commits.
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": {"timeout": 15}}

    if not config["SECRET_KEY"]:
        if env == "production":
            raise ConfigError(
                "SECRET_KEY is not set. Set it in the environment before starting the server "
                "(for example: export SECRET_KEY=$(python3 -c 'import secrets; "
                "print(secrets.token_hex(32))'))."
            )
        config["SECRET_KEY"] = "testing-secret" if env == "testing" else _instance_secret(instance)
    return config
