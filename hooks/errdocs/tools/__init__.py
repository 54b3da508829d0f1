"""What runs outside a build: the CLI's commands (the breaking-change gate, ``generate``, ``preview``, ``new``)."""
