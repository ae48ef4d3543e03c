"""``desk-admin``: the scriptable command line, over the same services as the window."""
