"""HTTP to a remote store: credentials, and errors in one line that keep the
server's own words and never show a password.

Credentials come from ``--user`` (or ``KG_STORE_USER``), the password from
``KG_STORE_PASSWORD`` or a netrc file (``~/.netrc`` or ``$NETRC``), or from a
``user:password@`` part of the URL, which is taken out of the URL before
anything is sent or printed. They are answered to the server's challenge,
HTTP basic or digest, whichever it asks for, and then sent with every later
request before it is asked for (:class:`RememberedAuth`), in an opener of
this store's own: no process-wide opener is installed.
"""
from __future__ import annotations

import base64
import netrc
import os
import re
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from kg.errors import StoreError

USER_VARIABLE, PASSWORD_VARIABLE = "KG_STORE_USER", "KG_STORE_PASSWORD"


@dataclass(frozen=True)
class Endpoint:
    url: str  # without credentials: what requests go to and messages name
    opener: urllib.request.OpenerDirector
    user: str | None


def endpoint(url: str, user: str | None = None) -> Endpoint:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"expected an http(s) URL with a host, got '{public_url(url)}'")
    clean = urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))
    user = parts.username or user or os.environ.get(USER_VARIABLE)
    password = parts.password or os.environ.get(PASSWORD_VARIABLE)
    if password is None:
        user, password = _from_netrc(parts.hostname, user)
    handlers = []
    if user and password is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, clean, user, password)
        handlers = [RememberedAuth(manager)]
    return Endpoint(clean, urllib.request.build_opener(*handlers), user)


class RememberedAuth(urllib.request.HTTPDigestAuthHandler):
    """HTTP digest or basic, whichever the server's first challenge asks
    for, then sent with each request before the server asks again: a large
    PUT is sent once, never cut off by a server that refuses it unread
    (which the client sees as "Broken pipe")."""

    def __init__(self, manager):
        super().__init__(manager)
        self.scheme, self.challenge = None, None

    def http_error_401(self, req, fp, code, msg, headers):
        offered = " ".join(headers.get_all("www-authenticate") or []).lower()
        if "digest" in offered:
            return super().http_error_401(req, fp, code, msg, headers)
        if "basic" in offered and not req.has_header("Authorization"):
            self.scheme = "basic"
            req.add_unredirected_header("Authorization", self._basic(req))
            return self.parent.open(req, timeout=req.timeout)
        return None

    def get_authorization(self, req, chal):
        self.scheme, self.challenge = "digest", chal
        return super().get_authorization(req, chal)

    def http_request(self, req):
        if req.has_header("Authorization") or self.scheme is None:
            return req
        if self.scheme == "basic":
            req.add_unredirected_header("Authorization", self._basic(req))
        else:
            answer = super().get_authorization(req, self.challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request

    def _basic(self, req) -> str:
        user, password = self.passwd.find_user_password(None, req.full_url)
        return "Basic " + base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")


def _from_netrc(host: str, user: str | None) -> tuple[str | None, str | None]:
    try:
        entry = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except (OSError, netrc.NetrcParseError):
        return user, None
    if entry is None or (user and entry[0] and entry[0] != user):
        return user, None
    return user or entry[0], entry[2]


def public_url(url: str) -> str:
    """The URL as a message may show it: without a user or password."""
    try:
        parts = urlsplit(url)
        return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[-1]))
    except ValueError:
        return "(a URL that does not parse)"


def send(point: Endpoint, request: urllib.request.Request, timeout: float):
    """The open response; StoreError in one line for anything else."""
    try:
        return point.opener.open(request, timeout=timeout)
    except urllib.error.HTTPError as err:
        raise http_error(point, err) from None
    except (socket.timeout, TimeoutError):
        raise StoreError(f"{point.url}: no answer within {timeout:g} s") from None
    except urllib.error.URLError as err:
        raise StoreError(f"{point.url}: {_reason(err.reason)}") from None
    except (OSError, ValueError) as err:
        raise StoreError(f"{point.url}: {_reason(err)}") from None


def http_error(point: Endpoint, err: urllib.error.HTTPError) -> StoreError:
    said = server_text(err)
    if err.code == 404:
        what = "404 Not Found: nothing at this URL (is it the store's endpoint?)"
    elif err.code == 401:
        who = f"user '{point.user}'" if point.user else "no user given"
        what = f"401 Unauthorized ({who}; give --user and {PASSWORD_VARIABLE} or a netrc entry)"
    else:
        what = f"{err.code} {err.reason}"
    error = StoreError(f"{point.url}: {what}{': ' + said if said else ''}")
    error.code, error.said = err.code, said
    return error


def server_text(err: urllib.error.HTTPError, limit: int = 300) -> str:
    """The first line of what the server said, as text, shortened."""
    try:
        body = err.read(4096).decode("utf-8", "replace")
    except OSError:
        return ""
    if "html" in (err.headers.get_content_type() if err.headers else ""):
        body = re.sub(r"<(head|style|script)[\s\S]*?</\1>|<[^>]*>", "\n", body, flags=re.IGNORECASE)
    lines = [" ".join(line.split()) for line in body.splitlines() if line.strip()]
    return lines[0][:limit] if lines else ""


def _reason(reason) -> str:
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__
