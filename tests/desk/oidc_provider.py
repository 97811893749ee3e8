"""A local OpenID Connect provider for the single sign-on tests: discovery, authorize, token (an RS256 id_token
signed with a key published in its JWKS), userinfo. Just the authorization code flow with PKCE, checked the way a
real provider checks it (client secret, redirect URI, code once, code verifier)."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

CLIENT_ID = "anliegen-desk"
CLIENT_SECRET = "s3cr3t-of-the-client"
KID = "key-2026"


@dataclass
class Provider:
    issuer: str = ""
    redirect_uri: str = "http://testserver/desk/login/sso/callback/"
    # Who signs in at the provider next, and how the provider misbehaves (for the refusal tests).
    person: dict[str, Any] = field(default_factory=dict)
    id_token_changes: dict[str, Any] = field(default_factory=dict)
    sign_with_other_key: bool = False
    userinfo_sub: str | None = None
    key: Any = field(default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048))
    codes: dict[str, dict] = field(default_factory=dict)
    tokens: dict[str, dict] = field(default_factory=dict)
    requests: list[str] = field(default_factory=list)

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "jwks_uri": f"{self.issuer}/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    def jwks(self) -> dict[str, Any]:
        public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [public | {"kid": KID, "alg": "RS256", "use": "sig"}]}

    def authorize(self, query: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        assert query["client_id"] == CLIENT_ID and query["response_type"] == "code"
        assert query["redirect_uri"] == self.redirect_uri, query["redirect_uri"]
        assert "openid" in query["scope"].split() and query["code_challenge_method"] == "S256"
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"nonce": query["nonce"], "challenge": query["code_challenge"], "person": dict(self.person)}
        location = f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query['state']})}"
        return 302, {"Location": location}, b""

    def token(self, form: dict[str, str]) -> tuple[int, dict[str, str], bytes]:
        grant = self.codes.pop(form.get("code", ""), None)  # a code works once
        if grant is None or form.get("client_secret") != CLIENT_SECRET or form.get("client_id") != CLIENT_ID:
            return _json(400, {"error": "invalid_grant"})
        verifier = form.get("code_verifier", "").encode()
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier).digest()).rstrip(b"=").decode()
        if challenge != grant["challenge"] or form.get("redirect_uri") != self.redirect_uri:
            return _json(400, {"error": "invalid_grant"})
        now = int(time.time())
        person = grant["person"]
        claims = {"iss": self.issuer, "sub": person["sub"], "aud": CLIENT_ID, "iat": now, "exp": now + 300}
        claims |= {"nonce": grant["nonce"], "email": person.get("email")} | self.id_token_changes
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048) if self.sign_with_other_key else self.key
        id_token = jwt.encode(claims, key, algorithm="RS256", headers={"kid": KID})
        access = secrets.token_urlsafe(16)
        self.tokens[access] = person
        return _json(200, {"access_token": access, "token_type": "Bearer", "expires_in": 300, "id_token": id_token})

    def userinfo(self, authorization: str) -> tuple[int, dict[str, str], bytes]:
        person = self.tokens.get(authorization.removeprefix("Bearer "))
        if person is None:
            return _json(401, {"error": "invalid_token"})
        info = dict(person)
        if self.userinfo_sub is not None:
            info["sub"] = self.userinfo_sub
        return _json(200, info)


def _json(status: int, body: dict) -> tuple[int, dict[str, str], bytes]:
    return status, {"Content-Type": "application/json"}, json.dumps(body).encode()


def serve(provider: Provider) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def _answer(self, status: int, headers: dict[str, str], body: bytes) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: N802 - http.server's name
            url = urlsplit(self.path)
            provider.requests.append(f"GET {url.path}")
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if url.path == "/.well-known/openid-configuration":
                self._answer(*_json(200, provider.discovery()))
            elif url.path == "/jwks":
                self._answer(*_json(200, provider.jwks()))
            elif url.path == "/authorize":
                self._answer(*provider.authorize(query))
            elif url.path == "/userinfo":
                self._answer(*provider.userinfo(self.headers.get("Authorization", "")))
            else:
                self._answer(404, {}, b"")

        def do_POST(self) -> None:  # noqa: N802
            provider.requests.append(f"POST {self.path}")
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            form = {k: v[0] for k, v in parse_qs(body).items()}
            self._answer(*(provider.token(form) if self.path == "/token" else (404, {}, b"")))

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    provider.issuer = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
