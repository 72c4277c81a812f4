"""Python clients of the saylau server (no Django): the voter's `VotingClient`."""

from saylau.client.voting import (
    CastReceipt,
    Challenge,
    ClientError,
    ElectionInfo,
    LocalError,
    ReceiptInvalid,
    VotingClient,
)

__all__ = [
    "CastReceipt",
    "Challenge",
    "ClientError",
    "ElectionInfo",
    "LocalError",
    "ReceiptInvalid",
    "VotingClient",
]
