"""When and whether to email: the shop's policy, the customer's record, and the pure
``decide``."""
