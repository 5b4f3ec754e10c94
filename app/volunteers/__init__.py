"""Volunteers: signing up with a village and a volunteer type."""
