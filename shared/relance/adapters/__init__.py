"""Small AWS adapters. Each maps the services' modelled exceptions to the project's own and
enforces the AWS limits that moto does not check (see docs/architecture.md)."""
