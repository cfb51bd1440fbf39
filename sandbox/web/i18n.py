"""The language of a WebSocket connection, chosen as ``LocaleMiddleware`` chooses a page's.

The language cookie set by the page's switch (Django's ``set_language``) wins,
then the browser's Accept-Language, then the default; so the terminal's hints
follow the language the page is shown in.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import get_supported_language_variant
from django.utils.translation.trans_real import parse_accept_lang_header


def _supported(code: str) -> str | None:
    try:
        return str(get_supported_language_variant(code))
    except LookupError:
        return None


def language_of_scope(scope: dict[str, Any]) -> str:
    cookie = (scope.get("cookies") or {}).get(settings.LANGUAGE_COOKIE_NAME)
    if cookie and (found := _supported(cookie)):
        return found
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    for code, _quality in parse_accept_lang_header(accept):
        if code != "*" and (found := _supported(code)):
            return found
    return str(settings.LANGUAGE_CODE)
