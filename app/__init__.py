"""Oversight Desk: case tracking for parliamentary oversight of security assistance."""
