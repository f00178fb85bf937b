"""Messages about roster."""

MESSAGES: dict[str, tuple[str, str]] = {
}
