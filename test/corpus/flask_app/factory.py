"""Application factory and production configuration."""
import os

from flask import Flask
from flask_cors import CORS
from sqlalchemy import create_engine
from werkzeug.debug import DebuggedApplication
from werkzeug.serving import run_simple

DEBUG = False
SECRET_KEY = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"  # expect: hardcoded-password
DATABASE_URL = "postgresql://shop:Sup3rS3cretPw@db.internal:5432/shop"  # expect: database-url-credentials
REPLICA_URL = "postgresql://readonly@replica.internal:5432/shop"  # safe: database-url-credentials
ADMIN_DB_URL = "postgresql://postgres:pg-admin-2024@db.internal/shop"  # expect: database-superuser-account, database-url-credentials


def create_app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]  # safe: hardcoded-password
    app.config["SESSION_COOKIE_SECURE"] = False  # expect: insecure-cookie
    app.config["SESSION_COOKIE_HTTPONLY"] = True  # safe: insecure-cookie
    app.config["DEBUG"] = os.environ.get("FLASK_DEBUG") == "1"  # safe: flask-debug-enabled
    CORS(app, resources={r"/api/*": {"origins": ["https://app.example.com"]}})  # safe: cors-permissive
    CORS(app, origins="*", supports_credentials=True)  # expect: cors-permissive
    app.engine = create_engine(os.environ["DATABASE_URL"])  # safe: database-url-credentials
    if DEBUG:
        app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)  # safe: werkzeug-debugger-enabled, flask-debug-enabled
    return app


def debug_server():
    app = create_app()
    app.wsgi_app = DebuggedApplication(app.wsgi_app, evalex=True)  # expect: flask-debug-enabled # safe: werkzeug-debugger-enabled
    run_simple("127.0.0.1", 5000, app, use_debugger=True, use_reloader=True)  # expect: flask-debug-enabled # safe: werkzeug-debugger-enabled


def serve():
    app = create_app()
    run_simple("127.0.0.1", 8000, app, use_debugger=False)  # safe: werkzeug-debugger-enabled, flask-debug-enabled
    app.run(host="0.0.0.0", port=8000, debug=True)  # expect: flask-debug-enabled, bind-all-interfaces
