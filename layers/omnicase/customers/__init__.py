"""What supervisors do to customers (application services; the API's routes parse, call one and map the answer)."""
