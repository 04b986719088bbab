"""The customer's side of surveys: the answer page and the flow behind it."""
