"""The landing page: what is overdue, due, answered and coming up, and how ministries answer."""
