"""Question banks, quiz attempts and their scoring."""
