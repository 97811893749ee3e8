"""Just enough of a browser for process-level tests: cookies, CSRF token from the cookie, form posts."""

from __future__ import annotations

import http.cookiejar
import urllib.parse
import urllib.request


class Browser:
    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def cookie(self, name: str) -> str:
        return next(c.value for c in self.jar if c.name == name)

    def get(self, path: str) -> tuple[int, str]:
        with self.opener.open(self.base + path, timeout=20) as response:
            return response.status, response.read().decode()

    def post(self, path: str, data: dict[str, str]) -> tuple[int, str, str]:
        """GET the page (for the CSRF cookie), POST the form, follow redirects: (status, final URL, body)."""
        self.get(path)
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.cookie("csrftoken")}).encode()
        request = urllib.request.Request(self.base + path, data=body, headers={"Referer": self.base + path})
        with self.opener.open(request, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def login(self, username: str, password: str) -> str:
        """Sign in to the desk; returns the session cookie for a websocket."""
        status, url, _ = self.post("/desk/login/", {"username": username, "password": password})
        assert status == 200 and "/login/" not in url, f"desk login as {username} failed"
        return self.cookie("sessionid")
