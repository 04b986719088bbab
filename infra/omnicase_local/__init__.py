"""The local runtime: the whole omnicase stack from template.yaml on embedded moto, no AWS account, no Docker."""
