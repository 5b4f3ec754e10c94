"""Backups that restore: the database and the media store, with a manifest (`flask backup`)."""
