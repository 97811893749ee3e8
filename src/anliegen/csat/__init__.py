"""Customer satisfaction: one question after a case is solved, and a follow-up when the answer is poor."""
