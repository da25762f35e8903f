"""What can be wrong with a schema: problems with their JSON pointer, and the error that
carries them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SchemaProblem:
    """One reason a schema is not usable (or, as a warning, one thing it silently drops), with
    the JSON pointer into the schema."""

    pointer: str
    message: str

    def to_dict(self) -> dict[str, str]:
        """Return ``{"pointer": …, "message": …}``."""
        return {"pointer": self.pointer, "message": self.message}


class InvalidSchema(ValueError):
    """The schema cannot be registered or used: ``problems`` lists every reason."""

    def __init__(self, problems: list[SchemaProblem]) -> None:
        first = problems[0].message if problems else "invalid schema"
        super().__init__(f"the schema is not a valid JSON Schema: {first}")
        self.problems = problems
