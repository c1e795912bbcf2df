"""REST API for orders (Django REST framework)."""
import logging

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from rest_framework import generics, serializers, viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny, IsAdminUser, IsAuthenticated
from rest_framework.response import Response

from .models import Order, Profile

logger = logging.getLogger(__name__)


class OrderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Order
        fields = ["id", "status", "total", "created"]
        read_only_fields = ["id", "created"]


class OrderViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    permission_classes = [IsAuthenticated]  # safe: drf-permission-disabled

    def get_queryset(self):
        return Order.objects.filter(owner=self.request.user)


class RefundViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    permission_classes = [AllowAny]  # expect: drf-permission-disabled
    queryset = Order.objects.all()


class ReportView(generics.ListAPIView):
    serializer_class = OrderSerializer
    permission_classes = []  # expect: drf-permission-disabled
    queryset = Order.objects.filter(status="paid")


class AdminOrderView(generics.RetrieveUpdateDestroyAPIView):
    serializer_class = OrderSerializer
    permission_classes = (IsAuthenticated, IsAdminUser)  # safe: drf-permission-disabled
    queryset = Order.objects.all()


@api_view(["POST"])
@permission_classes([AllowAny])  # expect: drf-permission-disabled
def cancel_order(request, pk):
    Order.objects.filter(pk=pk).update(status="cancelled")
    return Response(status=204)


@api_view(["POST"])
@permission_classes([IsAuthenticated])  # safe: drf-permission-disabled
def update_profile(request):
    profile = Profile.objects.get(user=request.user)
    for field, value in request.data.items():
        setattr(profile, field, value)  # expect: mass-assignment
    profile.save()
    return Response({"ok": True})


@api_view(["POST"])
@permission_classes([IsAuthenticated])  # safe: drf-permission-disabled
def update_bio(request):
    profile = Profile.objects.get(user=request.user)
    profile.bio = request.data.get("bio", "")[:500]  # safe: mass-assignment
    profile.save(update_fields=["bio"])
    return Response({"ok": True})


@api_view(["POST"])
@permission_classes([IsAdminUser])  # safe: drf-permission-disabled
def create_customer(request):
    user = User.objects.create(**request.data.dict())  # expect: mass-assignment
    return Response({"id": user.id}, status=201)


@api_view(["POST"])
@permission_classes([IsAdminUser])  # safe: drf-permission-disabled
def create_staff(request):
    data = request.data
    password = data["password"]
    user = User.objects.create(username=data["username"], email=data["email"], password=make_password(password))  # safe: mass-assignment, plaintext-password-stored
    logger.info("created staff account %s", user.pk)  # safe: log-injection, secret-logged
    return Response({"id": user.id}, status=201)


@api_view(["POST"])
@permission_classes([IsAdminUser])  # safe: drf-permission-disabled
def import_legacy_user(request):
    data = request.data
    Profile.objects.create(user=request.user, legacy_password=data["password"])  # expect: plaintext-password-stored
    logger.info("imported legacy password %s", data["password"])  # expect: secret-logged, log-injection
    return Response(status=201)


@api_view(["GET"])
@permission_classes([IsAuthenticated])  # safe: drf-permission-disabled
def order_summary(request, pk):
    order = Order.objects.get(pk=pk)
    assert order.owner_id == request.user.id  # expect: assert-used-for-authorization
    return Response(OrderSerializer(order).data)
