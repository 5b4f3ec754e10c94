"""Clips and infographics: trainers' uploads (probed, poster, low-data variant; image variants)
and the media folder's file format (files.py), loaded (loading.py) and exported (export.py)."""
