"""QR posters: templates, fonts, QR symbols, layout, rendering to PDF, proofing and the poster register.
"""
