from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SpanishFirstLocaleMiddleware(LocaleMiddleware):
    """Spanish unless the user chose another language with the switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and the
    centres' shared computers and phones are often set to English; staff expect
    the Spanish interface unless they picked English themselves (language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ContentSecurityPolicyMiddleware:
    """Sends ``settings.CONTENT_SECURITY_POLICY`` with every response that does not set its own.

    The policy allows scripts and styles only from our own files: no inline ``<script>``, no
    ``onclick=``, no ``style=`` (a test reads every template). Injected markup that slipped past
    escaping therefore cannot run. django-csp is not installed; this is all it would do here.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.policy = getattr(settings, "CONTENT_SECURITY_POLICY", "")

    def __call__(self, request):
        response = self.get_response(request)
        if self.policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.policy
        return response
