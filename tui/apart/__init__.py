"""A session apart: two terminals, one conversation, through magic-wormhole.

`wire` (the messages and how strictly they are read) and `mirror` (the guest's
replica of the host's session) need neither Textual nor Twisted; `link` holds
the wormhole and is imported only when a session apart is asked for;
`screens` and `run` put it on screen.
"""
