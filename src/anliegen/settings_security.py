"""Sign-in and security settings: passwords, sessions and cookies, HTTPS and HSTS, the content security policy,
sign-in throttling, single sign-on (OIDC) and two-factor sign-in. settings.py reads them all."""

import os
from datetime import timedelta

from anliegen.environ import env_bool

# Passwords an operator chooses (`anliegen setup`, `agent add`, the admin) are checked like Django's defaults.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]
LOGIN_URL = "desk:login"
LOGIN_REDIRECT_URL = "desk:inbox"
LOGOUT_REDIRECT_URL = "desk:login"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
# Served over HTTPS (directly or behind a proxy that terminates TLS): HSTS, redirect to HTTPS, Secure cookies.
HTTPS = env_bool("ANLIEGEN_HTTPS", False)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("ANLIEGEN_HSTS_SECONDS", "31536000")) if HTTPS else 0
# The installation usually has a host of its own (support.example.net): its subdomains are HTTPS too. Preload
# only means something once the domain is submitted to the browsers' list (hstspreload.org): the operator's call.
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS and env_bool("ANLIEGEN_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = HTTPS and env_bool("ANLIEGEN_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
# Only behind a proxy that always sets X-Forwarded-Proto itself (a client could send it too otherwise).
if env_bool("ANLIEGEN_TRUSTED_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# No script or style but our own files: an injected <script> or onclick= is never run (templates have none).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # remote images in customer mail are not fetched (tracking pixels)
        "connect-src": ["'self'"],  # htmx and the desk's websocket
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    }
}
# Sign-in throttling (django-axes) on /desk/login/ and /admin/login/: after AXES_FAILURE_LIMIT wrong passwords
# for one user name from one address, that pair waits AXES_COOLOFF_TIME. Per pair, so nobody can lock a
# colleague out from elsewhere by guessing at their name.
AXES_ENABLED = env_bool("ANLIEGEN_LOGIN_THROTTLE", True)
AXES_FAILURE_LIMIT = int(os.environ.get("ANLIEGEN_LOGIN_FAILURES", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ANLIEGEN_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True  # failures are kept; successful sign-ins need no table of their own
AXES_CLIENT_IP_CALLABLE = "anliegen.base.ratelimit.peer_address"
AXES_LOCKOUT_CALLABLE = "anliegen.desk.views.account.locked_out"  # desk/login_locked.html with Retry-After
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "anliegen.desk.signin.oidc.AgentBackend",  # single sign-on, when configured below
]
# Single sign-on through OpenID Connect (docs/security.md): the identity provider's issuer URL (its endpoints and
# keys come from its discovery document) and this installation's client there. All three, or none.
OIDC_ISSUER = os.environ.get("ANLIEGEN_OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("ANLIEGEN_OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("ANLIEGEN_OIDC_CLIENT_SECRET", "")
OIDC_PROVIDER_NAME = os.environ.get("ANLIEGEN_OIDC_NAME", "single sign-on")
OIDC_RP_SIGN_ALGO = os.environ.get("ANLIEGEN_OIDC_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = "openid email profile"
OIDC_USE_PKCE = True
OIDC_CREATE_USER = False  # a person the provider knows is not yet an agent: an admin adds them
OIDC_TIMEOUT = float(os.environ.get("ANLIEGEN_OIDC_TIMEOUT", "10"))
OIDC_AUTHENTICATION_CALLBACK_URL = "desk:sso_callback"
# Two-factor sign-in (django-otp, docs/security.md): optional per agent; required for every agent when this is
# set, or for the agents of a brand that asks for it (Brand.require_two_factor).
TWO_FACTOR_REQUIRED = env_bool("ANLIEGEN_REQUIRE_2FA", False)
OTP_TOTP_ISSUER = os.environ.get("ANLIEGEN_2FA_ISSUER", "Anliegen")
# The admin lists and deletes devices but never shows a secret, a QR code or a recovery code (not even to staff).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
# Between the password and the code: how long the half-finished sign-in waits for the code.
TWO_FACTOR_PENDING_SECONDS = int(os.environ.get("ANLIEGEN_2FA_PENDING_SECONDS", "300"))
