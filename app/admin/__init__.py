"""Administration: accounts and the audit trail."""
