"""The phone channel: Amazon Connect calls in (contact events), calls agents log, text replies by SMS."""
