"""What runs outside a build: the breaking-change gate, ``generate`` and ``preview``."""
