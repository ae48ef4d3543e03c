"""Shared behaviour of input fields."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import QLineEdit

# Digits in any script (the domain folds look-alikes), spaces and dashes: "123 456".
CODE_PATTERN = r"^[\d \-]{0,9}$"


def code_validator(parent: QLineEdit) -> QRegularExpressionValidator:
    """Return a validator that lets a code field take only digits, spaces and dashes."""
    pattern = QRegularExpression(
        CODE_PATTERN, QRegularExpression.PatternOption.UseUnicodePropertiesOption
    )
    return QRegularExpressionValidator(pattern, parent)
