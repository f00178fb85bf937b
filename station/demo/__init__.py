"""The demo data set: a believable town roster and a booth at work (`station demo`).
"""
