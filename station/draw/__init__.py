"""The booth prize draw: prizes, fair draws that can be re-checked, voids and redraws.
"""
