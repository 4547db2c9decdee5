from django.urls import path

from readiness.operations import views

urlpatterns = [path("healthz", views.healthz, name="healthz")]
