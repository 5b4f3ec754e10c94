"""Personal data under Thailand's PDPA: a volunteer's own data, erasure and the audit log."""
