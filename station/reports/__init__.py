"""What the organizer reads: the day report and its PDF, charts, the enterprise table and planner, and
exports of personal data.
"""
