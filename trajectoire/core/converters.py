"""URL converters. `id`: a database id; a number the database cannot hold does not match (404, not 500)."""

from .parsing import ID_MAX


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= ID_MAX:
            raise ValueError("not a database id")  # the pattern does not match: 404
        return number

    def to_url(self, value) -> str:
        return str(value)
