"""Lessons shared to LINE (short links, QR codes, link previews) and reminders to volunteers'
LINE groups through the Messaging API."""
