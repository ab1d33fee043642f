"""Small AWS adapters. Each maps ``ClientError`` codes to the project's own exceptions and
enforces the AWS limits that moto does not check (see docs/architecture.md)."""
