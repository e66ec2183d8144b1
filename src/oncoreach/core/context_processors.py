from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def society(request: HttpRequest) -> dict[str, object]:
    """Branding (settings.SOCIETY) and the link-based language switcher (no cookie needed)."""
    current = get_language()
    path = request.get_full_path()
    languages = [
        {"code": code, "name": name, "url": translate_url(path, code), "current": code == current}
        for code, name in settings.LANGUAGES
    ]
    return {"society": settings.SOCIETY, "language_links": languages}
