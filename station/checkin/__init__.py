"""E-card checks at the door: the e-card format, events, the admission rules, the trust store, frame
sources and the decoder, the scan loop and its sounds.
"""
