"""Messages about signup."""

MESSAGES: dict[str, tuple[str, str]] = {
}
