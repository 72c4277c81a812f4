"""Voting: sign-in (IIN + phone + one-time code, IP policy), the cast API, the bulletin board
(a Merkle log in the database), receipts and the public board pages.

Other apps call `saylau.voting.services`; the Python voting client is `saylau.client`.
"""
