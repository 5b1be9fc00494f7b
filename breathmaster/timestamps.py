"""How every app writes a day or an instant into JSON: ISO 8601, instants with their offset."""

from datetime import date, datetime


def iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value else None
