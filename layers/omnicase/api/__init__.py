"""The HTTP edge's shared pieces: authentication, error mapping and JSON views (routes live in functions/)."""
