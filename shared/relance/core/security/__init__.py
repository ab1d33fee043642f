"""Proofs of origin: the shops' request signatures and the signed tokens of customer links."""
