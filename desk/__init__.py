"""Desk: the console for a police force's 24/7 social media digital desk."""

__version__ = "0.1.0"
