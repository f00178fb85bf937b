"""Booth sign-up: booth sessions, the consent text, the form rules and the durable registration, and the
paper fallback.
"""
