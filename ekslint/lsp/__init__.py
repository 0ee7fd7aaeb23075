"""``ekslint lsp``: a Language Server Protocol server over stdio (:mod:`ekslint.lsp.server`).

It needs ``pygls`` and ``lsprotocol`` (``pip install 'ekslint[lsp]'``), imported only by the
modules of this package, never by the CLI before ``ekslint lsp`` runs: a scan does not pay for them.
"""
