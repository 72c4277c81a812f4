"""A trustee's tool, run on the trustee's own machine: the key file, the key ceremony and the
decryption, talking HTTP to the server (`saylau trustee …`). No Django."""

from saylau.trustee.decryption import Decrypted, check_board, decrypt
from saylau.trustee.key_ceremony import ceremony
from saylau.trustee.keyfile import BoardCheckFailed, KeyFile, TrusteeError, init_keyfile

__all__ = [
    "BoardCheckFailed",
    "Decrypted",
    "KeyFile",
    "TrusteeError",
    "ceremony",
    "check_board",
    "decrypt",
    "init_keyfile",
]
