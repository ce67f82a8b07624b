"""Full-text search over the register and the question-and-answer record."""
