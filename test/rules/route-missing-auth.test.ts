import rule from '../../src/rules/access-control/route-missing-auth.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK_HEADER = `
  from flask import Blueprint
  from flask_login import login_required
  bp = Blueprint("posts", __name__)
  @bp.route("/posts", methods=["POST"])
  @login_required
  def create_post(): ...
  @bp.route("/posts/<int:id>", methods=["PUT"])
  @login_required
  def update_post(id): ...
`;

ruleTester(rule, {
  valid: [
    {
      name: 'every route guarded',
      code: `${FLASK_HEADER}
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  @login_required
  def delete_post(id): ...
      `,
    },
    {
      name: 'unguarded GET route',
      code: `${FLASK_HEADER}
  @bp.route("/posts")
  def list_posts(): ...
      `,
    },
    {
      name: 'public-looking handlers',
      code: `${FLASK_HEADER}
  @bp.route("/login", methods=["POST"])
  def login(): ...
  @bp.post("/register")
  def create_account(): ...
  @bp.route("/webhooks/stripe", methods=["POST"])
  def stripe(): ...
  @bp.route("/password/reset", methods=["POST"])
  def do_reset(): ...
      `,
    },
    {
      name: 'only one guarded neighbour',
      code: `
        from flask import Flask
        from flask_login import login_required
        app = Flask(__name__)
        @app.route("/a", methods=["POST"])
        @login_required
        def a(): ...
        @app.route("/b", methods=["POST"])
        def b(): ...
      `,
    },
    {
      name: 'no majority',
      code: `${FLASK_HEADER}
  @bp.route("/x", methods=["POST"])
  def x(): ...
  @bp.route("/y", methods=["POST"])
  def y(): ...
      `,
    },
    {
      name: 'blueprint-wide before_request guard',
      code: `${FLASK_HEADER}
  @bp.before_request
  def check():
      if not current_user.is_authenticated:
          abort(401)
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  def delete_post(id): ...
      `,
    },
    {
      name: 'check in the handler body',
      code: `${FLASK_HEADER}
  from flask import abort
  from flask_login import current_user
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  def delete_post(id):
      if not current_user.is_authenticated:
          return redirect("/")
  @bp.route("/posts/<int:id>/pin", methods=["POST"])
  def pin_post(id):
      if post.author != current_user:
          abort(403)
      `,
    },
    {
      name: 'unknown project decorator not used by the neighbours',
      code: `${FLASK_HEADER}
  from .decorators import owner_only
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  @owner_only
  def delete_post(id): ...
      `,
    },
    {
      name: 'class-based views and methods are left alone',
      code: `${FLASK_HEADER}
  class PostAPI(MethodView):
      def delete(self, id): ...
      `,
    },
    {
      name: 'look-alike route decorators on other objects',
      code: `
        from flask_login import login_required
        import click
        cli = click.Group()
        @cli.command()
        @login_required
        def a(): ...
        @cli.command()
        @login_required
        def b(): ...
        @cli.command()
        def delete_all(): ...
      `,
    },
    {
      name: 'fastapi router with dependencies',
      code: `
        from fastapi import APIRouter, Depends
        router = APIRouter(dependencies=[Depends(get_current_user)])
        @router.post("/items")
        def create_item(user=Depends(get_current_user)): ...
        @router.put("/items/{id}")
        def update_item(id: int, user=Depends(get_current_user)): ...
        @router.delete("/items/{id}")
        def delete_item(id: int): ...
      `,
    },
    {
      name: 'fastapi neighbours only depend on the database',
      code: `
        from fastapi import APIRouter, Depends
        router = APIRouter()
        @router.post("/items")
        def create_item(db=Depends(get_db)): ...
        @router.put("/items/{id}")
        def update_item(id: int, db=Depends(get_db)): ...
        @router.delete("/items/{id}")
        def delete_item(id: int, db=Depends(get_db)): ...
      `,
    },
    {
      name: 'api sign-up through POST /users',
      code: `
        from flask import request
        from app.api import bp
        from app.api.auth import token_auth
        @bp.route("/users/<int:id>", methods=["GET"])
        @token_auth.login_required
        def get_user(id): ...
        @bp.route("/users", methods=["GET"])
        @token_auth.login_required
        def get_users(): ...
        @bp.route("/users", methods=["POST"])
        def create_user(): ...
        @bp.route("/users/<int:id>", methods=["PUT"])
        @token_auth.login_required
        def update_user(id): ...
      `,
    },
    {
      name: 'test module',
      path: 'tests/test_views.py',
      code: `${FLASK_HEADER}
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  def delete_post(id): ...
      `,
    },
    {
      name: 'django helper and GET views',
      path: 'shop/views.py',
      code: `
        from django.contrib.auth.decorators import login_required
        @login_required
        def cart(request): ...
        @login_required
        def checkout(request):
            if request.method == "POST": ...
        def product_list(request): ...
        def product_detail(request, pk): ...
      `,
    },
  ],
  invalid: [
    {
      name: 'flask blueprint DELETE without the guard',
      code: `${FLASK_HEADER}
  @bp.route("/posts/<int:id>", methods=["DELETE"])
  def delete_post(id): ...
      `,
      errors: [{ line: 12, column: 5, messageId: 'missing', severity: 'high' }],
      output: null,
    },
    {
      name: 'flask method shortcut, imported blueprint, aliased guard',
      code: `
        import flask
        from flask_login import login_required as auth_needed
        from . import bp
        @bp.post("/a")
        @auth_needed
        def a(): ...
        @bp.post("/b")
        @auth_needed
        def b(): ...
        @bp.get("/c")
        @auth_needed
        def c(): ...
        @bp.patch("/d")
        def d(): ...
        @bp.get("/users/<id>")
        def remove_user(id): ...
      `,
      errors: [
        { line: 14, messageId: 'missing' },
        { line: 16, messageId: 'missing' },
      ],
    },
    {
      name: 'flask app with jwt_required() and a neutral decorator',
      code: `
        from flask import Flask
        from flask_jwt_extended import jwt_required
        app = Flask(__name__)
        @app.route("/a", methods=["GET", "POST"])
        @jwt_required()
        @limiter.limit("5/minute")
        def a(): ...
        @app.route("/b", methods=["POST"])
        @jwt_required()
        @limiter.limit("5/minute")
        def b(): ...
        @app.route("/c", methods=["POST"])
        @limiter.limit("5/minute")
        def c(): ...
      `,
      errors: [{ line: 14, messageId: 'missing' }],
    },
    {
      name: 'flask-httpauth object guard inside an app factory',
      code: `
        from flask import Flask
        from flask_httpauth import HTTPBasicAuth
        auth = HTTPBasicAuth()
        def create_app():
            app = Flask(__name__)
            @app.post("/x")
            @auth.login_required
            def x(): ...
            @app.post("/y")
            @auth.login_required
            def y(): ...
            @app.post("/z")
            def z(): ...
            return app
      `,
      errors: [{ line: 13, messageId: 'missing' }],
    },
    {
      name: 'user creation in an admin module',
      path: 'app/admin/routes.py',
      code: `
        from flask import Blueprint
        from flask_login import login_required
        bp = Blueprint("staff", __name__)
        @bp.get("/users")
        @login_required
        def list_users(): ...
        @bp.put("/users/<id>")
        @login_required
        def update_user(id): ...
        @bp.post("/users")
        def create_user(): ...
      `,
      errors: [{ line: 11, messageId: 'missing' }],
    },
    {
      name: 'local admin_required decorator',
      code: `
        from functools import wraps
        from flask import Blueprint
        admin = Blueprint("admin", __name__)
        def admin_required(f):
            @wraps(f)
            def inner(*a, **k):
                return f(*a, **k)
            return inner
        @admin.route("/users/<id>/ban", methods=["POST"])
        @admin_required
        def ban_user(id): ...
        @admin.route("/users/<id>/promote", methods=["POST"])
        @admin_required
        def promote(id): ...
        @admin.route("/users/<id>", methods=["DELETE"])
        def delete_user(id): ...
      `,
      errors: [{ line: 16, messageId: 'missing' }],
    },
    {
      name: 'fastapi Depends parameters and route dependencies',
      code: `
        from typing import Annotated
        from fastapi import APIRouter, Depends, Security
        router = APIRouter()
        CurrentUser = Annotated[User, Depends(get_current_user)]
        @router.post("/items")
        def create_item(user: CurrentUser, db=Depends(get_db)): ...
        @router.put("/items/{id}")
        def update_item(id: int, user: User = Security(get_current_user), db=Depends(get_db)): ...
        @router.patch("/items/{id}", dependencies=[Depends(get_current_user)])
        def patch_item(id: int, db=Depends(get_db)): ...
        @router.delete("/items/{id}")
        def delete_item(id: int, db=Depends(get_db)): ...
        @router.get("/items")
        def list_items(db=Depends(get_db)): ...
      `,
      errors: [{ line: 12, messageId: 'missing' }],
    },
    {
      name: 'fastapi GET handing out an api key',
      code: `
        from fastapi import APIRouter, Depends
        from .auth import current_user, require_admin
        router = APIRouter(prefix="/accounts")
        @router.get("/me")
        def me(user=Depends(current_user)): ...
        @router.post("/me/api-key")
        def rotate_key(user=Depends(current_user)): ...
        @router.delete("/{account_id}")
        def delete_account(account_id: int, admin=Depends(require_admin)): ...
        @router.get("/{account_id}/api-key")
        def api_key(account_id: int): ...
        @router.get("/{account_id}/profile")
        def profile(account_id: int): ...
      `,
      errors: [{ line: 11, messageId: 'missing' }],
    },
    {
      name: 'django views',
      path: 'blog/views.py',
      code: `
        from django.contrib.auth.decorators import login_required, permission_required
        from django.views.decorators.http import require_POST
        @login_required
        def new_post(request):
            if request.method == "POST": ...
        @login_required
        def edit_post(request, pk): ...
        @permission_required("blog.change_post")
        def archive(request, pk): ...
        @login_required
        def drafts(request): ...
        @login_required
        def profile(request): ...
        @require_POST
        def publish(request, pk): ...
        def comment(request, pk):
            form = CommentForm(request.POST)
        def delete_post(request, pk): ...
        def post_list(request): ...
      `,
      errors: [
        { line: 15, messageId: 'missing' },
        { line: 16, messageId: 'missing' },
        { line: 18, messageId: 'missing' },
      ],
    },
  ],
});
