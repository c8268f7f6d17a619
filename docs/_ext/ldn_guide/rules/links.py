"""Sort the results of the external link check (``nox -s linkcheck``) into four classes.

ok (working, allowed redirect, ignored on purpose); blocked (401, 403, 429 after back-off, or a
domain in ``linkcheck_blocked_domains``, whose reason is shown: check by hand); unverifiable
(timeout, DNS failure, refused connection, TLS error, 503); broken (404, 410, other HTTP
errors, missing anchor, a redirect that ``linkcheck_allowed_redirects`` does not allow,
malformed URL). Only broken links fail the session.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

HEADINGS = {  # summary order; ok links are only counted
    "broken": "fix these links; they fail the build",
    "blocked": "the site refuses automated checks; open these in a browser",
    "unverifiable": "no answer; check again later or on a machine with network",
}
CLASSES = ("ok", *HEADINGS)
HTTP_ERROR = re.compile(r"(\d{3}) (?:Client|Server) Error: (.*?) for url")
BLOCKING = {401: "needs a login (401)", 403: "refuses automated clients (403)",
            429: "still rate-limited (429) after back-off"}
NO_ANSWER = (  # what requests says when no HTTP answer came back; first match wins
    ("timed out", "no answer in time (timeout)"),
    ("Failed to resolve", "host name not found (DNS; no network?)"),
    ("Connection refused", "connection refused"),
    ("SSL", "TLS/SSL error"),
    ("Connection aborted", "connection dropped"),
    ("Max retries exceeded", "network error"),
)
URL = re.compile(r"https?://[^\s'\")]+")


def classify(link: dict, domains: dict[str, str]) -> tuple[str, str]:
    """(class, reason) for one line of linkcheck's output.json."""
    status, info = link["status"], link["info"]
    for url in (link["uri"], *URL.findall(info)):  # the link, and where it redirected
        host = urlsplit(url).hostname or ""
        for domain, reason in domains.items():
            if host == domain or host.endswith(f".{domain}"):
                return "blocked", reason
    if status == "working":
        return "ok", ""
    if status == "ignored":
        if info == "service unavailable":  # Sphinx's word for a 503
            return "unverifiable", "service unavailable (503)"
        return "ok", info or "matches linkcheck_ignore"
    if status == "redirected":  # only redirects that linkcheck_allowed_redirects does not allow
        return "broken", f"redirects to {info}; update the link or allow the redirect"
    if status == "timeout":
        return "unverifiable", NO_ANSWER[0][1]
    # "broken": its `code` is always 0; an HTTP status appears only in `info`.
    if found := HTTP_ERROR.match(info):
        code = int(found[1])
        return ("blocked", BLOCKING[code]) if code in BLOCKING else ("broken", f"{code} {found[2]}")
    if info == "unauthorized":
        return "blocked", BLOCKING[401]
    for needle, reason in NO_ANSWER:
        if needle in info:
            return "unverifiable", reason
    return "broken", info or "not found"


def ignore_patterns(domains: dict[str, str]) -> list[str]:
    """linkcheck_ignore patterns for the blocked domains (subdomains included)."""
    return [rf"https?://([^/?#@]+\.)?{re.escape(d)}(:\d+)?([/?#]|$)" for d in domains]
