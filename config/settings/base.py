"""Every setting, read from the environment (12-factor). dev/test/prod change little."""

import warnings
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.admin",
    # UI kit: dsfr before django.forms so its form templates win.
    "dsfr",
    "django.forms",
    "widget_tweaks",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    # Domain apps (see ARCHITECTURE.md for what each owns and may import).
    "trajectoire.core",
    "trajectoire.audit",
    "trajectoire.accounts",
    "trajectoire.directory",
    "trajectoire.patients",
    "trajectoire.dossiers",
    "trajectoire.demandes",
    "trajectoire.notifications",
    "trajectoire.proauth",
    "trajectoire.usagers",
    "trajectoire.observatoire",
    "trajectoire.api",  # FHIR R4 API (docs/api.md): above the domain apps, calls their services
    "trajectoire.volume",  # volume: generate_volume (national-scale data for benchmarks)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "trajectoire.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "trajectoire.proauth.middleware.SessionPolicyMiddleware",  # proauth: 30 min idle, 12 h max
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

if env.bool("BENCH_CPU_TIMING", default=False):  # bench/http_load.py only: CPU time per request in a header
    MIDDLEWARE.insert(0, "trajectoire.core.middleware.CpuTimeMiddleware")

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "trajectoire" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "trajectoire.core.context_processors.site",
                "trajectoire.notifications.context_processors.unread_count",
            ],
            # Same {% url %} and |date, faster in lists (core/templatetags/rendering.py, docs/performance.md).
            "builtins": ["trajectoire.core.templatetags.rendering"],
        },
    },
    {
        # Fragments only (rows of long lists, `<app>/jinja2/`), rendered by `{% jinja %}` from Django templates:
        # core/jinja2.py, docs/performance.md.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "APP_DIRS": True,
        "OPTIONS": {
            "environment": "trajectoire.core.jinja2.environment",
            "filters": {
                "statut_badge": "trajectoire.demandes.templatetags.demandes_tags.statut_badge",
                "attente_badge": "trajectoire.demandes.templatetags.demandes_tags.attente_badge",
            },
        },
    },
]
# Selects and inputs without a template per option (core/forms_renderer.py; same markup as Django's templates).
FORM_RENDERER = "trajectoire.core.forms_renderer.FastTemplatesSetting"
DSFR_MARK_OPTIONAL_FIELDS = True  # the State's forms mark optional fields, not required ones
# django-dsfr warns on every form render that this transitional setting will go (its next major version makes
# it the default): a deliberate choice, not a problem to report in the server's console.
warnings.filterwarnings("ignore", message="Transitional Django setting DSFR_MARK_OPTIONAL_FIELDS", category=UserWarning)

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'var' / 'trajectoire.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + a busy timeout: the web server and the task worker share one file.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "/connexion/"
LOGIN_REDIRECT_URL = "/tableau-de-bord/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "trajectoire.proauth.validators.NotNationalIdentifierValidator"},
    {"NAME": "trajectoire.proauth.validators.OfflineBreachedPasswordValidator"},
]

# Cache (rate-limit counters, throttles): shared between app servers, never per process.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "trajectoire.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "trajectoire_cache",
        }
    }

# Sessions in the database: any app server can serve any request. With Redis (production), read through the
# cache first (`cached_db`: written to both, the database stays the record), which spares a query per request;
# sessions are ended through the store (proauth.sessions.end_sessions), so the cached copy goes too.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db" if REDIS_URL else "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 3600)  # hard limit: 12 h
SESSION_INACTIVITY_TIMEOUT = env.int("SESSION_INACTIVITY_TIMEOUT", default=30 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", "Français")]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=str(BASE_DIR / "var" / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "trajectoire.core.staticfiles.StaticFilesStorage"},  # DSFR files unchanged (SRI)
}
MEDIA_ROOT = BASE_DIR / "var" / "media"

# E-mail (standard Django names).
EMAIL_BACKEND = env("EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_USE_SSL = env.bool("EMAIL_USE_SSL", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Trajectoire <ne-pas-repondre@trajectoire.localhost>")
# MSSanté relay for professionals' e-mails (notifications, login codes): SMTP + TLS + client certificate.
MSSANTE_HOST = env("MSSANTE_HOST", default="")
MSSANTE_PORT = env.int("MSSANTE_PORT", default=587)
MSSANTE_USE_SSL = env.bool("MSSANTE_USE_SSL", default=False)  # implicit TLS (465) instead of STARTTLS
MSSANTE_CERT = env("MSSANTE_CERT", default="")  # PEM certificate of the platform (IGC-Santé, ORG/APP mailbox)
MSSANTE_KEY = env("MSSANTE_KEY", default="")
MSSANTE_CA = env("MSSANTE_CA", default="")  # authorities of the relay's certificate (else the system's)
MSSANTE_FROM = env("MSSANTE_FROM", default="")  # the platform's MSSanté mailbox (else DEFAULT_FROM_EMAIL)

# Background tasks: django-tasks, database backend, `manage.py db_worker`.
TASKS = {"default": {"BACKEND": env("TASKS_BACKEND", default="django_tasks_db.DatabaseBackend")}}

# Security headers. Production values; dev.py relaxes what plain http on localhost needs.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = ["security.W008"] if not SECURE_SSL_REDIRECT else []
# The DSFR needs nothing more than this: its scripts only set styles through the CSSOM (`element.style.x = …`),
# which CSP does not govern, and load from 'self' with the nonce django-dsfr's `dsfr_js` tag puts on them. The
# one `<style>` element a page used to insert came from htmx (its indicator styles), switched off in base.html
# (`htmx-config`, https://htmx.org/reference/#config) and moved to trajectoire.css: no 'unsafe-inline' anywhere.
# NONCE is django-csp's constant: the header then carries 'nonce-<random per response>'
# (https://django-csp.readthedocs.io/en/latest/nonce.html).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # 'report-sample': a blocked style shows its first characters in the violation report (no weakening).
        "style-src": [SELF, "'report-sample'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Instance identity and help (SPEC §2.6), defaults from the seed guides.
SITE_TITLE = env("SITE_TITLE", default="Trajectoire")
SITE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
SITE_TAGLINE = env("SITE_TAGLINE", default="Orientation des patients vers les structures sanitaires et médico-sociales")
SUPPORT_HOURS = env("SUPPORT_HOURS", default="du lundi au vendredi, de 8h30 à 18h30")
SUPPORT_PHONE = env("SUPPORT_PHONE", default="0 820 250 035")
SUPPORT_EMAIL = env("SUPPORT_EMAIL", default="assistance@esante-occitanie.fr")
SUPPORT_CONTACT_EMAIL = env("SUPPORT_CONTACT_EMAIL", default="viatrajectoire@esante-occitanie.fr")

# Reference data shipped beside the repository (FINESS, communes, CNSA…).
REFERENCE_DATA_DIR = Path(env("REFERENCE_DATA_DIR", default=str(BASE_DIR.parent / "shared" / "data")))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "trajectoire.core.logging.RequestIdFilter"}},
    "formatters": {"json": {"()": "trajectoire.core.logging.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["request_id"]},
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Django logs request lines with the full path (query strings may hold names): keep warnings only.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
    },
}

# Addresses of the reverse proxies whose X-Forwarded-For / client-certificate headers are believed.
TRUSTED_PROXIES = env.list("TRUSTED_PROXIES", default=["127.0.0.1/32", "::1/128"])

# Panels of /tableau-de-bord/, contributed by the apps (function(request) -> core.panels.Panel | None).
DASHBOARD_PANELS: list[str] = []
DASHBOARD_PANELS.append("trajectoire.dossiers.panels.mes_dossiers")  # dossiers: recent dossiers, « Nouveau dossier »
DASHBOARD_PANELS.append("trajectoire.proauth.panels.securite")  # proauth: sessions, password
DASHBOARD_PANELS.append("trajectoire.demandes.panels.demandes")  # demandes: to act on, inbox, référent
# Panels of a dossier's page (function(request, dossier) -> Panel | None).
DOSSIER_PANELS: list[str] = ["trajectoire.demandes.panels.demandes_du_dossier"]

# Demandes: target delay of a structure's first answer, per domain and urgency (hours). These are this
# instance's own choices, not national rules (non vérifié: no official text sets them); the Django
# administrator can override each in « Délais cibles de réponse » (demandes.DelaiCible). The task worker
# reminds the unit's admissions staff at the target and the référent structure at twice the target.
DELAIS_CIBLES_HEURES = {
    "sanitaire": env.int("DELAI_CIBLE_SANITAIRE_HEURES", default=48),
    "sanitaire:urgente": env.int("DELAI_CIBLE_SANITAIRE_URGENTE_HEURES", default=24),
    "grand_age": env.int("DELAI_CIBLE_GRAND_AGE_HEURES", default=7 * 24),
    "grand_age:urgente": env.int("DELAI_CIBLE_GRAND_AGE_URGENTE_HEURES", default=2 * 24),
    "tnd": env.int("DELAI_CIBLE_TND_HEURES", default=15 * 24),
    "tnd:urgente": env.int("DELAI_CIBLE_TND_URGENTE_HEURES", default=7 * 24),
}
# Usual delay of a structure in the search results: median of its first answers over this many days,
# shown only above this many answers.
DELAI_HABITUEL_JOURS = env.int("DELAI_HABITUEL_JOURS", default=90)
DELAI_HABITUEL_MIN_REPONSES = env.int("DELAI_HABITUEL_MIN_REPONSES", default=5)
DELAI_HABITUEL_CACHE_SECONDS = env.int("DELAI_HABITUEL_CACHE_SECONDS", default=3600)  # per structure; 0: not kept
# The header's label under the user's name (accounts.User.role_summary), kept per user; display only, dropped
# when a membership or the user is written. Target delays (demandes.delais.cibles): dropped when one is written.
ROLE_SUMMARY_CACHE_SECONDS = env.int("ROLE_SUMMARY_CACHE_SECONDS", default=300)
DELAIS_CIBLES_CACHE_SECONDS = env.int("DELAIS_CIBLES_CACHE_SECONDS", default=300)
PERIODIC_TASKS = [
    ("trajectoire.demandes.tasks.relancer_demandes", 15 * 60),
    ("trajectoire.demandes.tasks.traiter_dossiers_inactifs", 6 * 3600),
    ("trajectoire.notifications.tasks.retry_pending_emails", 10 * 60),
]

# proauth: professionals' login (see docs/auth.md). Lock-out per account, rate limit per IP (cache).
PROAUTH_LOCKOUT_THRESHOLD = env.int("PROAUTH_LOCKOUT_THRESHOLD", default=10)
PROAUTH_LOCKOUT_SECONDS = env.int("PROAUTH_LOCKOUT_SECONDS", default=15 * 60)
PROAUTH_IP_MAX_ATTEMPTS = env.int("PROAUTH_IP_MAX_ATTEMPTS", default=30)
PROAUTH_OTP_HOURLY_CAP = env.int("PROAUTH_OTP_HOURLY_CAP", default=5)  # codes e-mailed per account and hour
PWNED_PASSWORDS_FILE = env("PWNED_PASSWORDS_FILE", default="")  # local copy only, never a network call
# CPx card behind nginx: the CA bundle the app re-checks the certificate against (IGC-Santé roots + ACs).
CARD_TRUST_BUNDLE = env("CARD_TRUST_BUNDLE", default="")
# Proof that a request went through our TLS-terminating nginx: it adds `X-Card-Proxy-Secret: <secret>`
# (docs/auth.md). Without it card headers are ignored (and the attempt audited) and X-Forwarded-For is not
# believed. Empty: no card login at all (the prod profile refuses to start with a trust bundle and no secret).
CARD_PROXY_SECRET = env("CARD_PROXY_SECRET", default="")
CARD_HOST = env("CARD_HOST", default="")  # e.g. carte.trajectoire.example.fr: certificates read only there
CARD_LOGIN_URL = env("CARD_LOGIN_URL", default="/connexion/carte/")  # on the card host name in production
CARD_LOGIN_RETURN_BASE = env("CARD_LOGIN_RETURN_BASE", default="")  # main site URL, if the card host differs
CARD_HELP_LINKS = {
    "middleware": env(
        "CARD_HELP_MIDDLEWARE_URL", default="https://industriels.esante.gouv.fr/produits-et-services/cryptolib-cps"
    ),
    "assistance": env("CARD_HELP_ASSISTANCE_URL", default="https://esante.gouv.fr/offres-services/assistance"),
    "ecps_test": env("CARD_HELP_ECPS_TEST_URL", default="https://wallet.esw.esante.gouv.fr"),
}
# e-CPS through Pro Santé Connect: endpoints set explicitly (production and sandbox values in docs/auth.md).
PSC_AUTHORIZATION_ENDPOINT = env("PSC_AUTHORIZATION_ENDPOINT", default="")
PSC_TOKEN_ENDPOINT = env("PSC_TOKEN_ENDPOINT", default="")
PSC_USERINFO_ENDPOINT = env("PSC_USERINFO_ENDPOINT", default="")
PSC_JWKS_URI = env("PSC_JWKS_URI", default="")
PSC_END_SESSION_ENDPOINT = env("PSC_END_SESSION_ENDPOINT", default="")
PSC_ISSUER = env("PSC_ISSUER", default="")
PSC_CLIENT_ID = env("PSC_CLIENT_ID", default="")
PSC_CLIENT_SECRET = env("PSC_CLIENT_SECRET", default="")
PSC_CLIENT_CERT = env("PSC_CLIENT_CERT", default="")  # mTLS on the token call (PEM paths)
PSC_CLIENT_KEY = env("PSC_CLIENT_KEY", default="")
PSC_CA_BUNDLE = env("PSC_CA_BUNDLE", default="")  # CAs for PSC's servers (default: the system's)
PSC_REDIRECT_URI = env("PSC_REDIRECT_URI", default="")
PSC_POST_LOGOUT_REDIRECT_URI = env("PSC_POST_LOGOUT_REDIRECT_URI", default="")
PSC_SCOPE = env("PSC_SCOPE", default="openid scope_all")
PSC_ACR_VALUES = env("PSC_ACR_VALUES", default="eidas1")
PSC_ACCEPTED_ACR = env.list("PSC_ACCEPTED_ACR", default=["eidas1"])
PSC_TIMEOUT = env.float("PSC_TIMEOUT", default=10.0)

# usagers: the family space (e-mail + password accounts). Lock-out per account and rate limit per IP (cache);
# password reset link valid 24 h (Django's PasswordResetTokenGenerator, used only for usager accounts).
PASSWORD_RESET_TIMEOUT = 24 * 3600
USAGERS_LOCKOUT_THRESHOLD = env.int("USAGERS_LOCKOUT_THRESHOLD", default=10)
USAGERS_LOCKOUT_SECONDS = env.int("USAGERS_LOCKOUT_SECONDS", default=15 * 60)
USAGERS_IP_MAX_ATTEMPTS = env.int("USAGERS_IP_MAX_ATTEMPTS", default=30)
USAGERS_INVITATIONS_PER_DAY = env.int("USAGERS_INVITATIONS_PER_DAY", default=5)  # aidant shares per inviter
# « Désigner mon médecin traitant »: designations per family account and window (each one notifies a doctor).
DESIGNATION_RATE_MAX_REQUESTS = env.int("DESIGNATION_RATE_MAX_REQUESTS", default=5)
DESIGNATION_RATE_WINDOW_SECONDS = env.int("DESIGNATION_RATE_WINDOW_SECONDS", default=24 * 3600)
# Public open aggregates (/observatoire/donnees/…): each cut computed at most once per period; per IP, at most
# this many computations (cache misses) per window.
OPEN_DATA_CACHE_SECONDS = env.int("OPEN_DATA_CACHE_SECONDS", default=3600)
OPEN_DATA_IP_MAX_ATTEMPTS = env.int("OPEN_DATA_IP_MAX_ATTEMPTS", default=30)
OPEN_DATA_IP_WINDOW_SECONDS = env.int("OPEN_DATA_IP_WINDOW_SECONDS", default=60)
DASHBOARD_PANELS.append("trajectoire.observatoire.panels.observatoire")  # observatoire: link to the statistics
# Statistical secrecy of the observatoire: counts below this are published « < N » (SNDS-style rules use 11).
OBSERVATOIRE_SECRET_BELOW = env.int("OBSERVATOIRE_SECRET_BELOW", default=5)
# directory: free places declared longer ago than this are shown and ranked as unknown (an instance's choice).
FREE_PLACES_MAX_AGE_DAYS = env.int("FREE_PLACES_MAX_AGE_DAYS", default=7)
# directory: run after each Annuaire Santé import (accounts takes the professions of its users from it).
ANNUAIRE_HOOKS = ["trajectoire.accounts.annuaire.sync_professions"]
# Its aggregates are kept this long per filter in the shared cache (seconds; 0: computed on every view).
OBSERVATOIRE_CACHE_SECONDS = env.int("OBSERVATOIRE_CACHE_SECONDS", default=900)
# Its list of structures past their response-time target, kept this long per filter (the page gives its time).
OBSERVATOIRE_RETARD_CACHE_SECONDS = env.int("OBSERVATOIRE_RETARD_CACHE_SECONDS", default=300)
DASHBOARD_PANELS.append("trajectoire.usagers.panels.espace_famille")  # usagers: my dossiers, my space
DASHBOARD_PANELS.append("trajectoire.api.panels.logiciels")  # api: the référent registers the structure's software
PERIODIC_TASKS.append(("trajectoire.usagers.tasks.traiter_comptes_non_confirmes", 3600))  # reminder 3 d, cancel 4 d
# Read replica (docs/production.md): annuaire reads of GET requests on these paths go to DATABASE_REPLICA_URL.
DATABASE_ROUTERS = ["trajectoire.core.db_router.ReplicaRouter"]
MIDDLEWARE.append("trajectoire.core.db_router.ReplicaReadMiddleware")
REPLICA_READ_PATHS = env.list("REPLICA_READ_PATHS", default=["/annuaire/"])
# Public annuaire: a result list is reused this long for the same criteria, unless the directory changed
# (directory/annuaire_cache.py); 0 turns it off.
ANNUAIRE_CACHE_SECONDS = env.int("ANNUAIRE_CACHE_SECONDS", default=60)
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {**env.db("DATABASE_REPLICA_URL"), "TEST": {"MIRROR": "default"}}
    DATABASES["replica"].setdefault("CONN_MAX_AGE", DATABASES["default"]["CONN_MAX_AGE"])

# FHIR API (docs/api.md): short-lived bearer tokens, a rate limit per client, rest-hook retries.
API_TOKEN_LIFETIME_SECONDS = env.int("API_TOKEN_LIFETIME_SECONDS", default=300)
API_RATE_MAX_REQUESTS = env.int("API_RATE_MAX_REQUESTS", default=600)
API_RATE_WINDOW_SECONDS = env.int("API_RATE_WINDOW_SECONDS", default=60)
API_IP_MAX_ATTEMPTS = env.int("API_IP_MAX_ATTEMPTS", default=60)  # failed token requests per IP and window
API_PAGE_SIZE_MAX = env.int("API_PAGE_SIZE_MAX", default=100)
API_SUBSCRIPTION_MAX_ATTEMPTS = env.int("API_SUBSCRIPTION_MAX_ATTEMPTS", default=6)
API_SUBSCRIPTION_MAX_PER_CLIENT = env.int("API_SUBSCRIPTION_MAX_PER_CLIENT", default=10)  # not « off »
API_TOKEN_RATE_MAX_REQUESTS = env.int("API_TOKEN_RATE_MAX_REQUESTS", default=30)  # tokens per client and window
API_TOKEN_RATE_WINDOW_SECONDS = env.int("API_TOKEN_RATE_WINDOW_SECONDS", default=300)
# Rest-hook endpoints must be https, unless this is set (dev and test deliver to loopback over http).
API_SUBSCRIPTION_ALLOW_HTTP = env.bool("API_SUBSCRIPTION_ALLOW_HTTP", default=False)
# Rest-hooks never go to the platform itself nor to loopback/private/link-local addresses (SSRF), except these
# hosts (trajectoire/api/endpoints.py).
API_SUBSCRIPTION_ALLOWED_HOSTS = env.list("API_SUBSCRIPTION_ALLOWED_HOSTS", default=[])
