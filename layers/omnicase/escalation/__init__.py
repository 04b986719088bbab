"""The per-case escalation flow: who starts an execution, and the check it runs at every deadline."""
