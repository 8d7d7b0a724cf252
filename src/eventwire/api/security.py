"""What every response of the web application carries, and how little of the request it echoes.

`SecurityHeaders` wraps the whole application (error responses included) and adds the headers
below; `clipped` shortens the input values echoed in validation error bodies.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Pages load their script, style sheet and nothing else from their own origin; no inline
#: script or style attribute, no plugins, no framing, forms submit only to the application.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

#: The API docs page (/docs) also shows the images Swagger UI's style sheet carries as data: URLs.
DOCS_CONTENT_SECURITY_POLICY = f"{CONTENT_SECURITY_POLICY}; img-src 'self' data:"

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}

#: Longest echoed string in an error body (characters); longer ones are cut and end with "…".
MAX_ECHO = 200


class SecurityHeaders:
    """ASGI middleware: adds `SECURITY_HEADERS` to every HTTP response that does not set them itself
    (only the API docs page sets its own policy, `DOCS_CONTENT_SECURITY_POLICY`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def clipped(value: Any, limit: int = MAX_ECHO) -> Any:
    """`value` (JSON-ready) with every string longer than `limit` cut to `limit` characters plus "…"."""
    if isinstance(value, str):
        return value if len(value) <= limit else value[:limit] + "…"
    if isinstance(value, dict):
        return {key: clipped(item, limit) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [clipped(item, limit) for item in value]
    return value
