"""The HTTP API's routes, as Powertools routers the api function's handler includes."""
