"""The cart and the events that change it: what a shop posts, how a cart records its sequence,
which email an order is credited to."""
