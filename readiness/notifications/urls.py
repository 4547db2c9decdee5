from django.urls import path

from readiness.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read/", views.read_all, name="read-all"),
    path("<int:notification_id>/read/", views.read_one, name="read"),
    path("preferences/", views.preferences, name="preferences"),
]
