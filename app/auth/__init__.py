"""Accounts, roles, logging in and out."""
