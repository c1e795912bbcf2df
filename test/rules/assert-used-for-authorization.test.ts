import rule from '../../src/rules/access-control/assert-used-for-authorization.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'type and length asserts', code: 'def f(user, items):\n    assert isinstance(user, User)\n    assert len(items) > 0\n    assert user is not None' },
    { name: 'internal invariants', code: 'def f(state):\n    assert state.ready\n    assert self_check(state), "bad state"\n    assert n >= 0' },
    { name: 'test file', path: 'tests/test_views.py', code: 'def test_admin(client, user):\n    assert user.is_admin\n    assert response.status_code == 403' },
    { name: 'conftest', path: 'conftest.py', code: 'def admin(user):\n    assert user.is_superuser\n    return user' },
    { name: 'test class and test function in a non-test path', code: 'class TestPerms(unittest.TestCase):\n    def runTest(self):\n        assert self.user.is_staff\n\ndef test_roles(user):\n    assert user.role == "admin"' },
    { name: 'client checking its own state', code: 'class Api:\n    def get(self):\n        assert self.is_authenticated, "call login() first"\n        assert self.has_token()' },
    { name: 'hasattr on a permission attribute', code: 'def f(user):\n    assert hasattr(user, "is_admin")' },
    { name: 'presence of a token', code: 'def f(token):\n    assert token\n    assert token is not None\n    assert len(token) == 32' },
    { name: 'password confirmation', code: 'def clean(password, confirm_password):\n    assert password == confirm_password' },
    { name: 'role value validated against a constant table', code: 'ROLES = ("admin", "user")\ndef f(role):\n    assert role in ROLES\n    assert role in ("admin", "user")' },
    { name: 'if statement is fine', code: 'def f(request):\n    if not request.user.is_superuser:\n        raise PermissionDenied()' },
    { name: 'look-alike names', code: 'def f(x, perms_count):\n    assert x.is_administrative_region\n    assert permissions_count == 3\n    assert x.has_permalink()' },
  ],
  invalid: [
    {
      name: 'django superuser check',
      code: 'def delete_user(request, user_id):\n    assert request.user.is_superuser, "admins only"\n    User.objects.filter(pk=user_id).delete()',
      errors: [{ line: 2, column: 5, messageId: 'assert' }],
      output: null,
    },
    {
      name: 'authentication flags',
      code: 'from flask_login import current_user\ndef f():\n    assert current_user.is_authenticated\n    assert not current_user.is_anonymous',
      errors: [
        { line: 3, messageId: 'assert' },
        { line: 4, messageId: 'assert' },
      ],
    },
    {
      name: 'permission predicates',
      code: 'def f(request, obj):\n    assert request.user.has_perm("app.delete_obj")\n    assert has_permission(request.user, obj)\n    assert can_edit(request.user, obj)',
      errors: [
        { line: 2, messageId: 'assert' },
        { line: 3, messageId: 'assert' },
        { line: 4, messageId: 'assert' },
      ],
    },
    {
      name: 'role checks',
      code: 'def f(current_user):\n    assert current_user.role == "admin"\n    assert "admin" in current_user.roles\n    assert "editors" in request.user.groups',
      errors: [
        { line: 2, messageId: 'assert' },
        { line: 3, messageId: 'assert' },
        { line: 4, messageId: 'assert' },
      ],
    },
    {
      name: 'token and api key comparisons',
      code: 'def f(request, token, expected):\n    assert token == expected\n    assert request.headers.get("X-Api-Key") == settings.API_KEY',
      errors: [
        { line: 2, messageId: 'assert' },
        { line: 3, messageId: 'assert' },
      ],
    },
    {
      name: 'ownership check',
      code: 'def edit(request, post):\n    assert post.author == request.user\n    assert post.owner.id == current_user.id',
      errors: [
        { line: 2, messageId: 'assert' },
        { line: 3, messageId: 'assert' },
      ],
    },
    {
      name: 'compare_digest and boolean combinations',
      code: 'import hmac\ndef hook(sig, body):\n    assert hmac.compare_digest(sig, sign(body))\n    assert user.is_staff or user.is_superuser',
      errors: [
        { line: 3, messageId: 'assert' },
        { line: 4, messageId: 'assert' },
      ],
    },
    {
      name: 'method style predicate',
      code: 'class View:\n    def post(self, request):\n        assert request.user.is_admin()\n        assert self.request.user.is_staff',
      errors: [
        { line: 3, messageId: 'assert' },
        { line: 4, messageId: 'assert' },
      ],
    },
  ],
});
