"""预警中心: one registry of alert rules (rules), their instances in the portal's store with
acknowledgement, handling, clearing and escalation (center), and the scheduled check
(`python -m portal.alerts check`)."""
