"""Rendering documents without a window (Qt's text layout and PDF writer, no widgets)."""
