"""The trainers' studio: overview, wording, FAQ cards, questions, previews, item analysis."""
