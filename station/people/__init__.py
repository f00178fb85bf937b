"""The pure rules about people: ID numbers, mobiles, names and text normalisation. No store, no Qt:
the station and the hub share them.
"""
