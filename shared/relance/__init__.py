"""Relance: abandoned-cart recovery. Pure core in ``relance.core``, AWS adapters in
``relance.adapters``, use cases wiring the two in ``relance.adapters``."""
