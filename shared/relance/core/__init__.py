"""The pure core: no AWS, no clock, no randomness. ``now`` is always a parameter."""
