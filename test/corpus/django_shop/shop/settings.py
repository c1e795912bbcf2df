"""Django settings for the shop project (production)."""
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]  # safe: hardcoded-password
DEBUG = True  # expect: django-debug-enabled
ALLOWED_HOSTS = ["shop.example.com"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "corsheaders",
    "debug_toolbar",  # expect: debug-toolbar-enabled
    "orders",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "debug_toolbar.middleware.DebugToolbarMiddleware",
]

ROOT_URLCONF = "shop.urls"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "postgres",  # expect: database-superuser-account
        "PASSWORD": "pg-Pr0d-2024!",  # expect: hardcoded-password
        "HOST": "db.internal",
    },
    "analytics": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "analytics",
        "USER": "shop_reader",  # safe: database-superuser-account
        "PASSWORD": os.environ.get("ANALYTICS_DB_PASSWORD", ""),  # safe: hardcoded-password
        "HOST": "analytics.internal",
    },
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.MD5PasswordHasher",  # expect: weak-password-hasher
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",  # safe: weak-password-hasher
]

CORS_ALLOW_ALL_ORIGINS = True  # expect: cors-permissive
CORS_ALLOW_CREDENTIALS = True

SESSION_COOKIE_SECURE = False  # expect: insecure-cookie
CSRF_COOKIE_SECURE = True  # safe: insecure-cookie
SESSION_COOKIE_HTTPONLY = True  # safe: insecure-cookie

REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],  # safe: drf-permission-disabled
}

LOGGING = {
    "version": 1,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "INFO"},
}

EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD")  # safe: hardcoded-password
STRIPE_API_KEY = "sk_live_51Mz8QeLq3Vt7Rb2Wx9Kp4Hd6Jf1Ng5Ys0Uc"  # expect: hardcoded-secret
