"""Persistence: the only place that knows DynamoDB (PynamoDB models and the repository)."""
