from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView

from readiness.accounts.forms import LoginForm
from readiness.api.main import api

# Error pages of the application's own, in the visitor's language.
handler400 = "readiness.core.views.bad_request"
handler403 = "readiness.core.views.permission_denied"
handler404 = "readiness.core.views.page_not_found"
handler500 = "readiness.core.views.server_error"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="assessments:list"), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("readiness.fieldwork.urls")),
    path("assessments/", include("readiness.actionplans.urls")),
    path("", include("readiness.reports.urls")),
    path("assessments/", include("readiness.catalogues.urls")),
    path("assessments/", include("readiness.assessments.urls")),
    path("", include("readiness.reviews.urls")),
    path("account/", include("readiness.accounts.urls")),
    path("frameworks/", include("readiness.frameworks.urls")),
    path("registry/", include("readiness.registry.urls")),
    path("notifications/", include("readiness.notifications.urls")),
    path("api/v1/", api.urls),
    path("", include("readiness.operations.urls")),
    path("admin/", admin.site.urls),
]
