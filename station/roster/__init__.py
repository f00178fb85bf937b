"""The union's member roster: reading tabular files, finding the header and mapping columns, checking rows,
writing members, the import report, search and counts.
"""
