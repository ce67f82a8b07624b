"""The safeguards scorecard: each programme rated against the committee's criteria."""
