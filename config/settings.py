"""Osallistu settings: one module, every deployment value from the environment.

Development needs nothing set: SQLite under var/, a throwaway secret, DEBUG on.
Production sets DEBUG=0 and at least SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL;
a missing secret stops start-up with a clear message.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    return os.environ.get(name, str(default)).strip().lower() in ("1", "true", "yes", "on")


def envint(name, default):
    return int(os.environ.get(name, default))


def envlist(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "development-only-not-secret-" + "x" * 40

# Keyed digest of personal identity codes (henkilötunnus) checked in person.
# Separate from SECRET_KEY so that rotating one does not orphan the other.
IDENTITY_DIGEST_KEY = os.environ.get("IDENTITY_DIGEST_KEY", "")
if not IDENTITY_DIGEST_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("IDENTITY_DIGEST_KEY must be set when DEBUG is off.")
    IDENTITY_DIGEST_KEY = "development-only-identity-digest-key"

# With each round's random salt, derives the private key that opens the sealed ballots
# when voting closes (osallistu.budgeting.sealing). Kept out of the database, so that
# a copy of the database alone never opens a ballot.
BALLOT_SEAL_KEY = os.environ.get("BALLOT_SEAL_KEY", "")
if not BALLOT_SEAL_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("BALLOT_SEAL_KEY must be set when DEBUG is off.")
    BALLOT_SEAL_KEY = "development-only-ballot-seal-key"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
# The public address that e-mails link to. Empty: the address each request came to
# (the demo on any port); production sets it (osallistu/core/site.py).
SITE_URL = os.environ.get("SITE_URL", "")

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it comes before it.
    "modeltranslation",
    # Our apps before Django's, so that our templates and translations take precedence.
    "osallistu.core",
    "osallistu.areas",
    "osallistu.accounts",
    "osallistu.identity",
    "osallistu.budgeting",
    "osallistu.surveys",
    "osallistu.premises",
    "osallistu.initiatives",
    "osallistu.feedback",
    "osallistu.coaches",
    "osallistu.volunteering",
    "osallistu.monitoring",
    "osallistu.opendata",
    "osallistu.demo",
    # Django's admin with our site: our login, the second factor (osallistu/core/admin_site.py).
    "osallistu.core.admin_site.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    # The Helsinki profile's API tokens (django-helusers): its back-channel logout table
    # is read when a token is checked. Its admin pages are not offered (core.admin_site).
    "helusers.apps.HelusersConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # CORS, conditional answers and compression of the open data API (/api/ only).
    "osallistu.opendata.middleware.OpenDataMiddleware",
    "osallistu.core.site.RequestSiteMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "osallistu.core.middleware.PrivatePagesMiddleware",
    # Last, so that it sees the outcome of authentication for its lockouts.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "osallistu.core.context_processors.site",
            ],
        },
    },
]

FORM_RENDERER = "osallistu.core.forms.FormRenderer"


def database_from_url(url):
    """Django's database settings from ``url``, with the options given in its query
    string (``?sslmode=require``) kept over our defaults."""
    database = dj_database_url.parse(
        url,
        # Connections stay open between requests; checking one before its first use in a
        # request costs a round trip and spares an error after a database restart.
        conn_max_age=envint("DB_CONN_MAX_AGE", 60),
        conn_health_checks=envbool("DB_CONN_HEALTH_CHECKS", True),
    )
    if database["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets readers go on while one writer holds the lock; IMMEDIATE takes the
        # write lock at BEGIN so two writers queue instead of deadlocking.
        database["CONN_MAX_AGE"] = 0
        database["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            **database.get("OPTIONS", {}),
        }
    return database


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out address is refused before any password check.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "core:home"

# ASVS 5.0 level 2: length, not composition; refuse common and context passwords.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "osallistu.accounts.validators.PasswordLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.ScryptPasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]

# Brute-force protection: five failures per address and account lock for 30 minutes.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLED = envbool("AXES_ENABLED", True)
# Every spelling of an address that logs in to an account counts against that account.
AXES_USERNAME_CALLABLE = "osallistu.accounts.lockout.username"
# The client's address as PROXY_COUNT says (osallistu/core/clients.py). Behind a proxy
# without it every client would have the proxy's address, and five wrong passwords from
# anyone would lock the account out for everyone.
AXES_CLIENT_IP_CALLABLE = "osallistu.core.clients.client_address"
# Proxies in front that append the client's address to X-Forwarded-For. A TLS-terminating
# load balancer (BEHIND_TLS_PROXY) is one unless told otherwise.
PROXY_COUNT = envint("PROXY_COUNT", 1 if envbool("BEHIND_TLS_PROXY", False) else 0)
# Lockouts are lifted with `manage.py axes_reset_username`; the attempts, which carry
# addresses typed by anyone, stay out of the admin (the audit log has every failure).
AXES_ENABLE_ADMIN = False

LANGUAGE_CODE = "fi"
LANGUAGES = [("fi", _("Finnish")), ("sv", _("Swedish")), ("en", _("English"))]
MODELTRANSLATION_DEFAULT_LANGUAGE = "fi"
MODELTRANSLATION_FALLBACK_LANGUAGES = {"default": ("fi", "en", "sv")}
TIME_ZONE = "Europe/Helsinki"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# Uploads are served by the web server or object storage in production; the app serves
# them in development and in the demo (scripts/demo.env).
SERVE_MEDIA = envbool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Bounded request sizes: an oversized form is refused with 400, never processed.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# One process's memory is not shared: production sets a cache every process sees.
CACHES = {
    "default": {
        "BACKEND": os.environ.get(
            "CACHE_BACKEND",
            "django.core.cache.backends.locmem.LocMemCache"
            if DEBUG
            else "django.core.cache.backends.db.DatabaseCache",
        ),
        "LOCATION": os.environ.get("CACHE_LOCATION", "osallistu_cache"),
    }
}

# Sessions in the database so any number of app processes share them.
SESSION_ENGINE = "osallistu.core.sessions"
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 8 * 3600)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

SECURE = not DEBUG and envbool("SECURE", True)
SESSION_COOKIE_SECURE = SECURE
CSRF_COOKIE_SECURE = SECURE
LANGUAGE_COOKIE_SECURE = SECURE
SECURE_SSL_REDIRECT = SECURE and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if SECURE else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE
SECURE_HSTS_PRELOAD = SECURE and envbool("SECURE_HSTS_PRELOAD", True)
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if envbool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"

# Tiles under the drawn maps of surveys and hearings, for example
# https://tiles.example.fi/{z}/{x}/{y}.png (Web Mercator); empty: no tiles are loaded.
MAP_TILES_URL = os.environ.get("MAP_TILES_URL", "")
MAP_TILES_ATTRIBUTION = os.environ.get("MAP_TILES_ATTRIBUTION", "© OpenStreetMap contributors")
MAP_TILES_ORIGIN = "/".join(MAP_TILES_URL.split("/")[:3]) if MAP_TILES_URL else ""

# Everything is served from our own origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:", *([MAP_TILES_ORIGIN] if MAP_TILES_ORIGIN else [])],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "form-action": ["'self'", *envlist("OIDC_FORM_ACTION_ORIGINS")],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
# A stalled mail server must not hold a web worker for ever.
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Osallistu <osallistu@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Volunteering. Residents' talkoot follow the rules of the city's park clean-up service:
# proposed 6 to 90 days ahead, at most 7 days long, at most 3 a day in one district.
VOLUNTEERING_TALKOOT_MIN_DAYS_AHEAD = envint("VOLUNTEERING_TALKOOT_MIN_DAYS_AHEAD", 6)
VOLUNTEERING_TALKOOT_MAX_DAYS_AHEAD = envint("VOLUNTEERING_TALKOOT_MAX_DAYS_AHEAD", 90)
VOLUNTEERING_TALKOOT_MAX_DAYS = envint("VOLUNTEERING_TALKOOT_MAX_DAYS", 7)
VOLUNTEERING_TALKOOT_PER_DISTRICT_PER_DAY = envint("VOLUNTEERING_TALKOOT_PER_DISTRICT_PER_DAY", 3)
# How long a place is held for an under-18 volunteer's guardian to consent.
VOLUNTEERING_CONSENT_HOURS = envint("VOLUNTEERING_CONSENT_HOURS", 72)

# The city this deployment serves; residence is checked against its municipality code.
CITY_MUNICIPALITY_CODE = os.environ.get("CITY_MUNICIPALITY_CODE", "091")
# The registry's own address, told of new initiatives and crossed thresholds beside the
# registry staff of the initiative's area; empty: only the staff.
INITIATIVES_REGISTRY_EMAIL = os.environ.get("INITIATIVES_REGISTRY_EMAIL", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 100,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    # Requests a minute from one client address without an account (the open data API).
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "600/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Osallistu API",
    # Title and description in the client's language: osallistu.opendata.schema.
    "DESCRIPTION": "Open data of the city's participation.",
    "VERSION": "1",
    "LICENSE": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": "/api/v1/",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per set of choices that several fields share.
    "ENUM_NAME_OVERRIDES": {
        "LanguageEnum": LANGUAGES,
        "CountingRuleEnum": "osallistu.budgeting.models.CountingRule",
        "PlanStatusEnum": "osallistu.budgeting.models.PlanStatus",
        "ProposalStatusEnum": "osallistu.budgeting.models.ProposalStatus",
        "InitiativeStateEnum": "osallistu.initiatives.models.State",
        "ParticipationPolicyEnum": "osallistu.surveys.models.CommentingPolicy",
        "FeedbackStatusEnum": "osallistu.feedback.models.Status",
        "FeedbackEventKindEnum": "osallistu.feedback.models.EventKind",
        "CoachKindEnum": "osallistu.coaches.models.CoachKind",
        "CoachPlaceKindEnum": "osallistu.coaches.models.PlaceKind",
        "CoachEventKindEnum": "osallistu.coaches.models.EventKind",
        "OrganiserKindEnum": "osallistu.volunteering.models.Organiser.Kind",
        "OpportunityKindEnum": "osallistu.volunteering.models.Opportunity.Kind",
        "ShiftStatusEnum": "osallistu.volunteering.models.Shift.Status",
    },
}
# Bulk downloads of the open data, rebuilt nightly (osallistu.opendata.export); served
# as static files under OPEN_DATA_URL by the web server (or by the app in development).
OPEN_DATA_ROOT = Path(os.environ.get("OPEN_DATA_ROOT", BASE_DIR / "var" / "opendata"))
OPEN_DATA_URL = "/open-data/files/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Authentication events and refused authorisations (ASVS V7).
        "osallistu.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

# The admin asks staff for a TOTP code; only the test suite turns this off.
ADMIN_REQUIRES_OTP = envbool("ADMIN_REQUIRES_OTP", True)
OTP_TOTP_ISSUER = "Osallistu"

# --- Strong electronic identification over OpenID Connect (osallistu.identity) ---
# Off until OIDC_ISSUER is set. Register one redirect URI at the provider:
# SITE_URL + /fi/identity/electronic/callback/. For local development run the mock
# provider, `.venv/bin/python -m oidc_provider_mock --port 9400`, and set
# OIDC_ISSUER=http://localhost:9400.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_DISCOVERY_URL = os.environ.get(
    "OIDC_DISCOVERY_URL", f"{OIDC_ISSUER}/.well-known/openid-configuration"
)
OIDC_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "osallistu-development" if DEBUG else "")
OIDC_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
if OIDC_ISSUER and not (OIDC_CLIENT_ID and OIDC_CLIENT_SECRET):
    if not DEBUG:
        raise ImproperlyConfigured(
            "OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set when OIDC_ISSUER is set."
        )
    OIDC_CLIENT_SECRET = OIDC_CLIENT_SECRET or "development-only-oidc-client-secret"
OIDC_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile")
OIDC_SIGNING_ALGORITHM = os.environ.get("OIDC_SIGNING_ALGORITHM", "RS256")
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
# Claim names differ between brokers; Suomi.fi brokers give the municipality as "091".
OIDC_BIRTHDATE_CLAIM = os.environ.get("OIDC_BIRTHDATE_CLAIM", "birthdate")
OIDC_MUNICIPALITY_CLAIM = os.environ.get("OIDC_MUNICIPALITY_CLAIM", "municipality_code")
OIDC_PERSON_CODE_CLAIM = os.environ.get("OIDC_PERSON_CODE_CLAIM", "national_id")

# The Helsinki profile's GDPR API (helsinki-profile-gdpr-api), for installations whose
# residents log in through the Helsinki profile: the profile asks for a resident's data
# (GET) and deletes it (DELETE, with ?dry_run=true) at /gdpr-api/v1/profiles/<id>,
# with tokens of the profile's identity provider. Off unless HELSINKI_PROFILE_GDPR_API.
HELSINKI_PROFILE_GDPR_API = envbool("HELSINKI_PROFILE_GDPR_API", False)
GDPR_API_MODEL = "accounts.HelsinkiProfile"
GDPR_API_MODEL_LOOKUP = "profile_id"
GDPR_API_QUERY_SCOPE = os.environ.get("GDPR_API_QUERY_SCOPE", "osallistu.gdprquery")
GDPR_API_DELETE_SCOPE = os.environ.get("GDPR_API_DELETE_SCOPE", "osallistu.gdprdelete")
GDPR_API_DELETER = "osallistu.accounts.helsinki_profile.delete_data"
OIDC_API_TOKEN_AUTH = {
    "AUDIENCE": os.environ.get("HELSINKI_PROFILE_AUDIENCE", "osallistu"),
    "ISSUER": os.environ.get(
        "HELSINKI_PROFILE_ISSUER", "https://tunnistus.hel.fi/auth/realms/helsinki-tunnistus"
    ),
    "API_SCOPE_PREFIX": os.environ.get("HELSINKI_PROFILE_API_SCOPE_PREFIX", "osallistu"),
    "REQUIRE_API_SCOPE_FOR_AUTHENTICATION": True,
    "API_AUTHORIZATION_FIELD": os.environ.get(
        "HELSINKI_PROFILE_AUTHORIZATION_FIELD", "authorization.permissions.scopes"
    ),
    # The token's subject is the resident's Helsinki profile user, linked to an account
    # when they log in; nobody unknown is created.
    "USER_RESOLVER": "osallistu.accounts.helsinki_profile.resolve_user",
}
