"""Every error answer under /api/ is JSON in one shape, {"message", "errors"},
whoever gives it: our services, ninja's parsing, or Django outside ninja; and
a service refusal has the same status on the web and in the API."""

import json
from typing import Any

import pytest
from django.test import Client

from readiness.assessments.models import Evidence
from tests.api.test_api import BASE, basic, post_json, put_json
from tests.conftest import PASSWORD, client_for

pytestmark = pytest.mark.django_db

EVIDENCE = {
    "framework": "dgra",
    "question": "1.1",
    "sign": "+",
    "text": "Resolution 52 sets a national digital vision.",
    "source_kind": "document",
}


def error_body(response: Any, status: int) -> dict[str, Any]:
    """The response's body, after checking its status and the one shape."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].split(";")[0] == "application/json"
    body = json.loads(response.content)
    assert isinstance(body["message"], str) and body["message"]
    assert all(set(e) == {"path", "message"} for e in body["errors"])
    return body


@pytest.fixture
def api(assessor) -> Client:  # type: ignore[no-untyped-def]
    return Client(**basic("assessor", PASSWORD))


def test_an_unknown_address_gets_a_json_404(api: Client) -> None:
    body = error_body(api.get(f"{BASE}/nope"), 404)
    assert body == {"message": "There is nothing at this address.", "errors": []}


def test_an_unknown_address_is_answered_in_the_language_asked_for(api: Client) -> None:
    body = error_body(api.get(f"{BASE}/nope", HTTP_ACCEPT_LANGUAGE="vi"), 404)
    assert body["message"] == "Không có gì ở địa chỉ này."


def test_a_method_the_address_does_not_take_gets_a_json_405(api: Client) -> None:
    response = api.delete(f"{BASE}/frameworks")
    body = error_body(response, 405)
    assert body["message"] == "This address does not take the DELETE method."
    assert response["Allow"] == "GET"


def test_a_body_over_the_size_limit_gets_a_json_413_and_changes_nothing(
    api: Client, demo, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    payload = {**EVIDENCE, "text": "x" * 2000}
    body = error_body(post_json(api, f"{BASE}/assessments/vietnam-2019/evidence", payload), 413)
    assert body["message"] == "The request body is larger than the limit of 1000 bytes."
    assert not Evidence.objects.filter(text=payload["text"]).exists()


def test_a_json_body_sent_as_a_form_gets_a_json_415_and_changes_nothing(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    count = Evidence.objects.count()
    response = api.post(f"{BASE}/assessments/vietnam-2019/evidence", EVIDENCE)  # form-encoded
    body = error_body(response, 415)
    assert "application/json" in body["message"]
    assert Evidence.objects.count() == count


def test_malformed_json_gets_a_json_400_naming_the_place(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = api.put(
        f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.1",
        '{"level": "red",',
        content_type="application/json",
    )
    body = error_body(response, 400)
    assert "line 1, column 17" in body["message"]


def test_a_nul_character_in_the_address_gets_a_json_400(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    body = error_body(api.get(f"{BASE}/assessments/vietnam-2019/evidence?question=1%001"), 400)
    assert body["errors"] == []


def test_missing_credentials_get_a_json_401(anonymous_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    error_body(anonymous_client.get(f"{BASE}/assessments"), 401)
    error_body(Client(**basic("nobody", "wrong")).get(f"{BASE}/frameworks"), 401)


def test_a_field_the_schema_refuses_is_named_by_its_path_in_the_body(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    payload = {**EVIDENCE, "sign": "?"}
    body = error_body(post_json(api, f"{BASE}/assessments/vietnam-2019/evidence", payload), 422)
    assert [e["path"] for e in body["errors"]] == ["sign"]


def test_nested_fields_and_list_items_are_named_by_their_paths(api: Client) -> None:
    payload = {
        "slug": "vn-2026",
        "title": "Viet Nam 2026",
        "subject": {"kind": "planet", "code": "VN"},
        "frameworks": [{"key": "dgra"}],
    }
    body = error_body(post_json(api, f"{BASE}/assessments", payload), 422)
    assert sorted(e["path"] for e in body["errors"]) == ["frameworks[0].version", "subject.kind"]
    missing = next(e for e in body["errors"] if e["path"] == "frameworks[0].version")
    assert missing["message"] == "Version: required"


def test_a_path_parameter_the_schema_refuses_is_named(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = api.delete(f"{BASE}/assessments/vietnam-2019/evidence/0?version=1")
    body = error_body(response, 422)
    assert [e["path"] for e in body["errors"]] == ["evidence_id"]


def test_a_value_a_service_refuses_gets_422_with_its_field(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.1"
    body = error_body(put_json(api, url, {"level": "purple", "version": 1}), 422)
    assert [e["path"] for e in body["errors"]] == ["level"]


def test_an_unknown_assessment_gets_404_in_the_shape(api: Client) -> None:
    body = error_body(api.get(f"{BASE}/assessments/nowhere"), 404)
    assert body["errors"] == []


def test_a_step_the_role_does_not_allow_gets_403_in_the_shape(demo, counterpart) -> None:  # type: ignore[no-untyped-def]
    client = Client(**basic("counterpart", PASSWORD))
    response = post_json(client, f"{BASE}/assessments/vietnam-2019/evidence", EVIDENCE)
    assert error_body(response, 403)["errors"] == []


def test_a_stale_version_gets_409_with_the_current_value_in_the_shape(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.2"
    assert (
        put_json(api, url, {"level": "red", "rationale": "mine", "version": 1}).status_code == 200
    )
    body = error_body(put_json(api, url, {"level": "green", "version": 1}), 409)
    assert (body["current_version"], body["current"]["level"]) == (2, "red")
    assert body["errors"] == []


def test_the_web_and_the_api_answer_a_wrong_workflow_step_with_the_same_409(demo, lead) -> None:  # type: ignore[no-untyped-def]
    # A draft cannot be published without review: WrongState.
    message = "An assessment that is Draft cannot become Published."
    api_body = error_body(
        post_json(
            Client(**basic("lead", PASSWORD)),
            f"{BASE}/assessments/vietnam-2019/workflow",
            {"state": "published"},
        ),
        409,
    )
    assert api_body["message"] == message
    page = client_for(lead).post("/assessments/vietnam-2019/workflow/", {"state": "published"})
    assert page.status_code == 409
    assert message in page.content.decode()


def test_the_web_answers_a_value_a_service_refuses_with_422_as_the_api_does(demo, lead) -> None:  # type: ignore[no-untyped-def]
    page = client_for(lead).post("/assessments/vietnam-2019/workflow/", {"state": "nowhere"})
    assert page.status_code == 422
    api_response = post_json(
        Client(**basic("lead", PASSWORD)),
        f"{BASE}/assessments/vietnam-2019/workflow",
        {"state": "nowhere"},
    )
    assert error_body(api_response, 422)["errors"][0]["path"] == "state"


# --- in Vietnamese: every error the API gives, by Accept-Language ------------

VI = {"HTTP_ACCEPT_LANGUAGE": "vi"}


def test_missing_credentials_are_refused_in_vietnamese(anonymous_client: Client, demo) -> None:  # type: ignore[no-untyped-def]
    body = error_body(anonymous_client.get(f"{BASE}/assessments", **VI), 401)
    assert body["message"] == (
        "Cần xác thực: hãy gửi mã thông báo API, tên người dùng và mật khẩu, "
        "hoặc cookie phiên đăng nhập."
    )


def test_a_wrong_method_and_a_wrong_content_type_are_refused_in_vietnamese(
    api: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    assert error_body(api.delete(f"{BASE}/frameworks", **VI), 405)["message"] == (
        "Địa chỉ này không nhận phương thức DELETE."
    )
    response = api.post(f"{BASE}/assessments/vietnam-2019/evidence", EVIDENCE, **VI)
    assert error_body(response, 415)["message"] == (
        "Nội dung yêu cầu phải là JSON, gửi với Content-Type: application/json."
    )


def test_a_body_over_the_limit_is_refused_in_vietnamese(api: Client, demo, settings) -> None:  # type: ignore[no-untyped-def]
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.post(
        f"{BASE}/assessments/vietnam-2019/evidence",
        json.dumps({**EVIDENCE, "text": "x" * 2000}),
        content_type="application/json",
        **VI,
    )
    assert error_body(response, 413)["message"] == ("Nội dung yêu cầu vượt quá giới hạn 1000 byte.")


def test_an_unknown_assessment_is_not_found_in_vietnamese(api: Client) -> None:
    body = error_body(api.get(f"{BASE}/assessments/nowhere", **VI), 404)
    assert "nowhere" in body["message"] and "not" not in body["message"].split()


def test_schema_refusals_say_the_fields_label_and_the_reason_in_english(api: Client) -> None:
    payload = {
        "slug": "vn-2026",
        "title": "x" * 301,
        "subject": {"kind": "country", "code": "VN"},
        "frameworks": [{"key": "dgra"}],
    }
    body = error_body(post_json(api, f"{BASE}/assessments", payload), 422)
    messages = {e["path"]: e["message"] for e in body["errors"]}
    assert messages == {
        "title": "Title: must have at most 300 characters",
        "frameworks[0].version": "Version: required",
    }
    assert body["message"] == "Title: must have at most 300 characters\nVersion: required"


def test_schema_refusals_are_translated_by_their_kind(api: Client) -> None:
    payload = {
        "slug": "vn-2026",
        "title": "x" * 301,
        "subject": {"kind": "planet", "code": "VN"},
        "frameworks": [{"key": "dgra"}],
    }
    response = api.post(
        f"{BASE}/assessments", json.dumps(payload), content_type="application/json", **VI
    )
    messages = {e["path"]: e["message"] for e in error_body(response, 422)["errors"]}
    assert messages["title"] == "Tiêu đề: chỉ được có tối đa 300 ký tự"
    assert messages["frameworks[0].version"] == "Phiên bản: bắt buộc"
    assert messages["subject.kind"].startswith("Loại: phải là một trong các giá trị ")
    assert " or " not in messages["subject.kind"]


def test_a_number_out_of_range_and_text_for_a_number_are_refused_in_vietnamese(
    api: Client, demo
) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/evidence"
    text = error_body(api.get(f"{url}?limit=abc", **VI), 422)["errors"]
    assert [e["message"] for e in text] == ["Số mục: phải là số nguyên"]
    too_many = error_body(api.get(f"{url}?limit=100000", **VI), 422)["errors"]
    assert [e["message"] for e in too_many] == ["Số mục: không được lớn hơn 500"]
    too_few = error_body(api.get(f"{url}?limit=0", **VI), 422)["errors"]
    assert [e["message"] for e in too_few] == ["Số mục: không được nhỏ hơn 1"]


def test_one_message_per_field_even_when_pydantic_gives_several(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    url = f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.1"
    response = api.put(
        url, json.dumps({"level": 5, "version": "x"}), content_type="application/json"
    )
    paths = [e["path"] for e in error_body(response, 422)["errors"]]
    assert len(paths) == len(set(paths))


def test_malformed_json_is_refused_in_vietnamese(api: Client, demo) -> None:  # type: ignore[no-untyped-def]
    response = api.put(
        f"{BASE}/assessments/vietnam-2019/ratings/dgra/1.1",
        '{"level": "red",',
        content_type="application/json",
        **VI,
    )
    body = error_body(response, 400)
    assert "Cannot parse" not in body["message"] and "dòng 1" in body["message"]


def test_a_nul_character_in_a_web_address_gets_the_error_page_not_json(lead, demo) -> None:  # type: ignore[no-untyped-def]
    response = client_for(lead).get("/assessments/?q=a%00b", **VI)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Địa chỉ không được chứa ký tự điều khiển" in response.content.decode()
