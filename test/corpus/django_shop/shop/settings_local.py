"""Developer overrides: imported by manage.py when DJANGO_ENV=local."""
from .settings import *  # noqa: F401,F403

DEBUG = False
if DEBUG:
    INSTALLED_APPS += ["debug_toolbar"]  # safe: debug-toolbar-enabled

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # safe: weak-password-hasher
CORS_ALLOWED_ORIGINS = ["https://app.example.com", "https://admin.example.com"]  # safe: cors-permissive
CORS_ALLOW_ALL_ORIGINS = False  # safe: cors-permissive
