"""The bulletin board: an append-only Merkle log per election, its signed heads and state."""
