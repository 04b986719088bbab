"""Reports over a tenant's cases: pure figures (sla_report), their EMF metrics (report_metrics)."""
