"""The application's own error pages and messages, in English and Vietnamese:
Django's defaults ("Not Found", "CSRF verification failed") never show."""

import io
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client, RequestFactory
from django.utils import translation

from readiness.core.views import server_error

pytestmark = pytest.mark.django_db


def demo_lead(language: str, **options: bool) -> Client:
    client = Client(**options)
    client.force_login(User.objects.get(username="demo"))
    client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize(
    "language, heading, message",
    [
        ("en", "Not found", "There is nothing at this address."),
        ("vi", "Không tìm thấy", "Không có gì ở địa chỉ này."),
    ],
)
def test_an_unknown_address_gets_the_applications_404_page(
    demo, language: str, heading: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    response = demo_lead(language).get("/nowhere/")
    page = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{heading}</h1>" in page and message in page
    assert "The requested resource was not found on this server" not in page


def test_a_views_own_not_found_message_survives(demo) -> None:  # type: ignore[no-untyped-def]
    page = demo_lead("vi").get("/assessments/vietnam-2019/dgra/99/").content.decode()
    assert "<h1>Không tìm thấy</h1>" in page
    assert "khía cạnh dgra 99 không thuộc cuộc đánh giá này" in page


@pytest.mark.parametrize(
    "language, message",
    [
        ("en", "The form had expired or came from another site, so nothing was saved."),
        ("vi", "Biểu mẫu đã hết hạn hoặc được gửi từ một trang khác nên không có gì được lưu."),
    ],
)
def test_a_failed_csrf_check_gets_the_applications_403_page(
    demo, language: str, message: str
) -> None:  # type: ignore[no-untyped-def]
    client = demo_lead(language, enforce_csrf_checks=True)
    response = client.post("/assessments/vietnam-2019/workflow/", {"state": "in_review"})
    assert response.status_code == 403
    assert message in response.content.decode()
    assert "CSRF verification failed" not in response.content.decode()


def test_a_server_error_page_is_translated_and_needs_no_session() -> None:
    request = RequestFactory().get("/assessments/")  # no session, no user
    with translation.override("vi"):
        response = server_error(request)
    assert response.status_code == 500
    assert "Đã xảy ra lỗi trên máy chủ." in response.content.decode()


def test_djangos_slug_message_is_in_vietnamese(demo) -> None:  # type: ignore[no-untyped-def]
    response = demo_lead("vi").post(
        "/assessments/new/", {"title": "Thử", "slug": "có dấu cách", "subject_kind": "country"}
    )
    assert "Hãy nhập một “tên rút gọn” hợp lệ" in response.content.decode()


def test_the_cli_validates_frameworks_in_vietnamese(tmp_path: Path) -> None:
    framework = tmp_path / "bad.yaml"
    framework.write_text("format: readiness-framework/1\nkey: x\n", encoding="utf-8")
    errors = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("frameworks", "validate", str(framework), "--lang", "vi", stderr=errors)
    assert str(refused.value) == (
        "Một số tệp không phải là bộ khung đánh giá hợp lệ; không nạp gì từ các tệp đó."
    )
    assert f"{framework}: version: bắt buộc" in errors.getvalue()
