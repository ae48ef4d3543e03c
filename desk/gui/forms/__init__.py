"""Python modules generated from ui/*.ui (see packaging/build_forms.py)."""
