"""Indicators and their micro-lessons: text, clips, infographics, FAQ cards."""
