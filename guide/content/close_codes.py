"""WebSocket close codes and their names, as the IANA registry lists them.

The registry (https://www.iana.org/assignments/websocket/websocket.xhtml) names 1000-1015;
RFC 6455 section 7.4.2 gives 3000-3999 to libraries, frameworks and applications (registered
with IANA) and 4000-4999 to private use. 1016-2999 are reserved and never used.
"""

from __future__ import annotations

CLOSE_CODES = {
    1000: "Normal Closure",
    1001: "Going Away",
    1002: "Protocol error",
    1003: "Unsupported Data",
    1004: "Reserved",
    1005: "No Status Rcvd",
    1006: "Abnormal Closure",
    1007: "Invalid frame payload data",
    1008: "Policy Violation",
    1009: "Message Too Big",
    1010: "Mandatory Ext.",
    1011: "Internal Error",
    1012: "Service Restart",
    1013: "Try Again Later",
    1014: "Bad Gateway",
    1015: "TLS handshake",
}


def close_code_name(code: int) -> str:
    """The registry's name for a code, or the range's use for 3000-4999."""
    if code in CLOSE_CODES:
        return CLOSE_CODES[code]
    if 3000 <= code <= 3999:
        return "registered for a library, framework or application"
    if 4000 <= code <= 4999:
        return "private use: the application's own meaning"
    return ""
