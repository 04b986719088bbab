"""Application services for agents themselves (their availability), between the API's edge and the domain."""
