from django.http import HttpResponse


def attachment(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    """A file for the browser to download under this name."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
