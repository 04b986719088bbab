"""omnicase: omnichannel customer-service intake, routing and SLA (the shared Lambda layer)."""
