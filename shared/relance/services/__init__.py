"""Use cases: each loads through the adapters, asks the pure core, writes back."""
