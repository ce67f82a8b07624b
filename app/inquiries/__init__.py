"""Questions put to government, their deadlines, answers and assessments."""
