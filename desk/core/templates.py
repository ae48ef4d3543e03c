"""Reply templates: kinds, review status, and filling ``{variables}`` from a case.

A template's text names variables in braces (``Hi {author}, ...``); ``{{`` and ``}}`` stand
for a literal brace. Only the variables in ``VARIABLES`` exist. A template that names an
unknown variable cannot be saved or used, and one whose value is missing for a case cannot
be used for that case: the message names the variable either way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from desk.core.errors import InvalidInput


class TemplateKind(StrEnum):
    """What a template is for."""

    PUBLIC_REPLY = "public_reply"
    PRIVATE_REPLY = "private_reply"
    HIDE_NOTICE = "hide_notice"
    DELETION_NOTICE = "deletion_notice"
    BLOCK_NOTICE = "block_notice"
    REDIRECT = "redirect"
    APPEAL_ACKNOWLEDGEMENT = "appeal_acknowledgement"
    COMPLAINT_SIGNPOSTING = "complaint_signposting"
    HOLDING_STATEMENT = "holding_statement"  # posted by hand when Desk or a platform is down


class TemplateStatus(StrEnum):
    """Where a template version is in review: only approved versions are offered."""

    DRAFT = "draft"
    APPROVED = "approved"
    RETIRED = "retired"


LANGUAGES = ("en", "cy")
"""The languages a template is written in, side by side."""

VARIABLES: dict[str, str] = {
    "author": "the author's handle or name",
    "force": "the force's name (the force_name setting: no value until an administrator sets it)",
    "rule": "the community guideline the template names: its code and short title",
    "reference": "the case reference, such as DD-000123",
    "area": "the area the case is about (from its escalation to a neighbourhood team)",
    "account": "the official account the item arrived on",
    "platform": "the platform the item arrived on",
}
"""Every variable a template may name, with where its value comes from."""

DESK_WIDE: dict[str, str] = {
    "force": "the force's name is not set ({force}): an administrator sets it "
    "(desk-admin settings set force_name NAME)",
}
"""Variables whose value is a desk setting, not the case's, with what to do when it is unset."""

KEY_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_FIELD = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|\{|\}")


def check_key(key: str) -> str:
    """Return ``key`` if it can name a template (lower-case letters, digits, hyphens)."""
    if not KEY_PATTERN.match(key):
        raise InvalidInput(
            f"Template key {key!r} is not usable: use 1 to 64 lower-case letters, digits and "
            "hyphens, starting with a letter or digit (such as 'hide-abuse')."
        )
    return key


def parse_kind(text: str) -> TemplateKind:
    """Turn a typed kind into a ``TemplateKind``, or say which kinds exist."""
    try:
        return TemplateKind(text.strip().lower().replace("-", "_"))
    except ValueError:
        kinds = ", ".join(k.value for k in TemplateKind)
        raise InvalidInput(f"Unknown template kind {text!r}: use one of {kinds}.") from None


def parse_status(text: str) -> TemplateStatus:
    """Turn a typed status into a ``TemplateStatus``, or say which exist."""
    try:
        return TemplateStatus(text.strip().lower())
    except ValueError:
        names = ", ".join(s.value for s in TemplateStatus)
        raise InvalidInput(f"Unknown template status {text!r}: use one of {names}.") from None


def variables_in(text: str) -> tuple[str, ...]:
    """Return the variables ``text`` names, in order of first use.

    Raises ``InvalidInput`` for a lone brace or an empty ``{}`` (with where it is).
    """
    names: list[str] = []
    for found in _FIELD.finditer(text):
        piece = found.group(0)
        if piece in ("{{", "}}"):
            continue
        name = found.group(1)
        if name is None or not name.strip():
            raise InvalidInput(
                f"A lone {piece!r} at character {found.start() + 1}: write '{{{{' or '}}}}' "
                "for a brace, or name a variable such as {author}."
                if name is None
                else f"An empty '{{}}' at character {found.start() + 1}: name a variable."
            )
        if name not in names:
            names.append(name)
    return tuple(names)


def unknown_variables(text: str) -> tuple[str, ...]:
    """Return the variables ``text`` names that Desk does not know."""
    return tuple(n for n in variables_in(text) if n not in VARIABLES)


def check_text(text: str, where: str) -> tuple[str, ...]:
    """Return the variables of a template text, refusing unknown ones (naming ``where``)."""
    unknown = unknown_variables(text)
    if unknown:
        known = ", ".join("{" + v + "}" for v in VARIABLES)
        names = ", ".join("{" + v + "}" for v in unknown)
        raise InvalidInput(
            f"{where} names unknown variable{'s' if len(unknown) > 1 else ''} {names}: "
            f"the variables are {known}."
        )
    return variables_in(text)


@dataclass(frozen=True)
class Rendering:
    """A template text filled for a case: the text, or why it cannot be used."""

    template_text: str
    text: str
    unknown: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()

    @property
    def usable(self) -> bool:
        """Tell whether every variable is known and has a value."""
        return not self.unknown and not self.missing

    @property
    def problem(self) -> str:
        """Say why the template cannot be used ('' when it can)."""
        parts = []
        if self.unknown:
            parts.append("unknown variable " + ", ".join("{" + v + "}" for v in self.unknown))
        case_missing = [v for v in self.missing if v not in DESK_WIDE]
        if case_missing:
            parts.append(
                "no value for " + ", ".join("{" + v + "}" for v in case_missing) + " on this case"
            )
        parts.extend(DESK_WIDE[v] for v in self.missing if v in DESK_WIDE)
        return "; ".join(parts)


def render(text: str, values: Mapping[str, str]) -> Rendering:
    """Fill ``text``'s variables from ``values``; unknown or empty ones are left as written.

    ``{{`` and ``}}`` become single braces. The result says which variables were unknown
    and which had no value, so that the template is refused with their names.
    """
    unknown: list[str] = []
    missing: list[str] = []
    out: list[str] = []
    at = 0
    for found in _FIELD.finditer(text):
        out.append(text[at : found.start()])
        at = found.end()
        piece = found.group(0)
        name = found.group(1)
        if piece == "{{":
            out.append("{")
        elif piece == "}}":
            out.append("}")
        elif name is None or not name.strip() or name not in VARIABLES:
            if name is not None and name.strip() and name not in unknown:
                unknown.append(name)
            elif (name is None or not name.strip()) and piece not in unknown:
                unknown.append(piece)
            out.append(piece)
        elif not values.get(name, "").strip():
            if name not in missing:
                missing.append(name)
            out.append(piece)
        else:
            out.append(values[name].strip())
    out.append(text[at:])
    return Rendering(text, "".join(out), tuple(unknown), tuple(missing))


def case_reference(case_id: int) -> str:
    """Return the reference the public is given for a case: DD-000123."""
    return f"DD-{case_id:06d}"


def require_usable(rendering: Rendering, key: str, version: int, language: str) -> str:
    """Return the filled text, or raise ``InvalidInput`` naming what is unknown or missing."""
    if not rendering.usable:
        raise InvalidInput(
            f"Template {key!r} v{version} ({language}) cannot be used: {rendering.problem}."
        )
    return rendering.text
