"""Use cases: what a signed-in person can do, each one unit of work with its audit entry."""
