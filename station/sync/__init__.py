"""The station's side of the sync contract (docs/sync-protocol.md): the push queue, the pull, the client,
its report, the offline bundle and the station reset.
"""
