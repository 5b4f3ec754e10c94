"""Trainers' uploads: clips (probed, poster, low-data variant) and infographics (variants)."""
