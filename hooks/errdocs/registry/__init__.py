"""What the registry is: its model, and reading ``registry.yaml`` into it."""
