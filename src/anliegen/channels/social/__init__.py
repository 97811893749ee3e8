"""What the public and social channels (X, Facebook, Instagram) share: the brand's accounts and the transport.

The adapters themselves are channels/x/ and channels/meta/; this app holds their accounts (ids, secrets,
tokens), the outgoing request every sender builds and the backends that carry it (locmem, console, HTTP).
"""
