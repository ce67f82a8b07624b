"""Accounts, sign-in sessions and what each role may do."""
