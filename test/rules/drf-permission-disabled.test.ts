import rule from '../../src/rules/access-control/drf-permission-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'IsAuthenticated and friends',
      code: `
        from rest_framework import viewsets, permissions
        from rest_framework.permissions import IsAuthenticated
        class A(viewsets.ModelViewSet):
            permission_classes = [IsAuthenticated]
        class B(viewsets.ModelViewSet):
            permission_classes = (permissions.IsAdminUser,)
        class C(viewsets.ModelViewSet):
            permission_classes = [permissions.AllowAny, permissions.IsAuthenticated]
      `,
    },
    {
      name: 'AllowAny look-alike',
      code: `
        from myapp.permissions import AllowAny
        from rest_framework import generics
        class A(generics.CreateAPIView):
            permission_classes = [AllowAny]
      `,
    },
    {
      name: 'unresolved AllowAny',
      code: 'class A(ModelViewSet):\n    permission_classes = [AllowAny]',
    },
    {
      name: 'empty list outside DRF',
      code: 'class Plugin(Base):\n    permission_classes = []',
    },
    {
      name: 'public views by name',
      code: `
        from rest_framework import generics, views
        from rest_framework.permissions import AllowAny
        from rest_framework.decorators import api_view, permission_classes
        class LoginView(views.APIView):
            permission_classes = [AllowAny]
        class RegisterUserView(generics.CreateAPIView):
            permission_classes = (AllowAny,)
        class PasswordResetConfirm(views.APIView):
            permission_classes = [AllowAny]
        class HealthCheck(views.APIView):
            permission_classes = []
        class CustomTokenObtainPairView(views.APIView):
            permission_classes = [AllowAny]
        @api_view(["POST"])
        @permission_classes([AllowAny])
        def signup(request): ...
      `,
    },
    {
      name: 'permission_classes decorator with a real permission',
      code: `
        from rest_framework.decorators import api_view, permission_classes
        from rest_framework.permissions import IsAuthenticated
        @api_view(["POST"])
        @permission_classes([IsAuthenticated])
        def create_order(request): ...
      `,
    },
    {
      name: 'function local named permission_classes',
      code: 'from rest_framework.permissions import AllowAny\ndef f():\n    permission_classes = [AllowAny]\n    return permission_classes',
    },
    {
      name: 'settings with real defaults',
      path: 'proj/settings.py',
      code: `
        REST_FRAMEWORK = {
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
        }
      `,
    },
    {
      name: 'settings with AllowAny and another class',
      path: 'proj/settings.py',
      code: `
        REST_FRAMEWORK = {
            "DEFAULT_PERMISSION_CLASSES": (
                "rest_framework.permissions.AllowAny",
                "myapp.permissions.IsTenantMember",
            ),
        }
      `,
    },
    {
      name: 'test module',
      path: 'api/tests/test_views.py',
      code: 'from rest_framework.permissions import AllowAny\nfrom rest_framework import views\nclass V(views.APIView):\n    permission_classes = [AllowAny]',
    },
    {
      name: 'permission_classes look-alike decorator',
      code: 'from myapp.decorators import permission_classes\n@permission_classes([])\ndef delete_all(request): ...',
    },
  ],
  invalid: [
    {
      name: 'viewset with AllowAny',
      code: `
        from rest_framework import viewsets
        from rest_framework.permissions import AllowAny
        class OrderViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
            permission_classes = [AllowAny]
      `,
      errors: [{ line: 5, column: 5, messageId: 'allowAny', severity: 'high' }],
      output: null,
    },
    {
      name: 'module-qualified and aliased AllowAny, tuple',
      code: `
        from rest_framework import permissions, generics
        from rest_framework.permissions import AllowAny as Open
        class A(generics.UpdateAPIView):
            permission_classes = (permissions.AllowAny,)
        class B(generics.DestroyAPIView):
            permission_classes = [Open]
      `,
      errors: [
        { line: 4, messageId: 'allowAny' },
        { line: 6, messageId: 'allowAny' },
      ],
    },
    {
      name: 'empty permission_classes',
      code: `
        from rest_framework.views import APIView
        class ExportUsers(APIView):
            permission_classes = []
        class Other(MyBase):
            permission_classes = ()
      `,
      errors: [
        { line: 3, messageId: 'empty', severity: 'high' },
        { line: 5, messageId: 'empty', severity: 'high' },
      ],
    },
    {
      name: 'read-only views get medium severity',
      code: `
        from rest_framework import viewsets, generics, views
        from rest_framework.permissions import AllowAny
        class A(viewsets.ReadOnlyModelViewSet):
            permission_classes = [AllowAny]
        class B(generics.ListAPIView):
            permission_classes = [AllowAny]
        class C(views.APIView):
            http_method_names = ["get", "head"]
            permission_classes = [AllowAny]
      `,
      errors: [
        { line: 4, messageId: 'allowAny', severity: 'medium' },
        { line: 6, messageId: 'allowAny', severity: 'medium' },
        { line: 9, messageId: 'allowAny', severity: 'medium' },
      ],
    },
    {
      name: 'permission_classes decorator on function views',
      code: `
        from rest_framework.decorators import api_view, permission_classes
        from rest_framework.permissions import AllowAny
        @api_view(["POST", "DELETE"])
        @permission_classes([AllowAny])
        def delete_account(request): ...
        @api_view(["GET"])
        @permission_classes([])
        def list_users(request): ...
      `,
      errors: [
        { line: 4, column: 2, messageId: 'allowAny', severity: 'high' },
        { line: 7, column: 2, messageId: 'empty', severity: 'medium' },
      ],
    },
    {
      name: 'AllowAny through a module constant',
      code: `
        from rest_framework import viewsets
        from rest_framework.permissions import AllowAny
        OPEN = [AllowAny]
        class A(viewsets.ModelViewSet):
            permission_classes = OPEN
      `,
      errors: [{ line: 5, messageId: 'allowAny' }],
    },
    {
      name: 'settings defaults',
      path: 'proj/settings.py',
      code: `
        REST_FRAMEWORK = {
            "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
            "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
        }
        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ()}
      `,
      errors: [
        { line: 3, column: 5, messageId: 'settings' },
        { line: 5, messageId: 'settings' },
      ],
    },
  ],
});
