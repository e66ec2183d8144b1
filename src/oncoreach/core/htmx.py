from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for requests made by htmx (they want a partial, not the whole page)."""
    return request.headers.get("HX-Request") == "true"
