"""The Qt screens of 粤工惠地推工作站: thin widgets over the station/ services.

Every business rule lives in station/; the widgets here only gather input,
call the core (long work in background workers) and show what it says.
"""
