"""Operators and their secrets, key slots, field encryption and blind indexes, masking, the audit log,
retention and settings (docs/security.md).
"""
