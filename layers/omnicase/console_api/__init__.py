"""What the agent console reads: inbox views, case lists, the changes feed, search, case details and audit trails,
customers, boards and reports.

Application services: each takes the caller's tenant (or principal) and the request's parameters, reads through
omnicase.persistence and answers the API's JSON; the Chalice routes only call them.
"""
