"""Operating the service: backups and restores."""
