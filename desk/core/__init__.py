"""What the desk means: entities, rules and arithmetic, free of Qt, SQL and keyrings."""
