"""A per-user secret calendar address with due dates and hearings."""
