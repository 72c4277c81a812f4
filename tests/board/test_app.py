"""The board's tables belong to the board app, under the names they had in the voting app
(the PL/pgSQL procedures and existing data rely on them); no app's state holds them twice."""

from __future__ import annotations

from django.apps import apps

BOARD_TABLES = {"voting_boardstate", "voting_leaf", "voting_node", "voting_head"}


def test_the_board_tables_are_the_board_apps_under_their_old_names():
    board = {m._meta.db_table for m in apps.get_app_config("board").get_models()}
    assert board == BOARD_TABLES
    others = {
        m._meta.db_table
        for config in apps.get_app_configs()
        if config.label != "board"
        for m in config.get_models()
    }
    assert not others & BOARD_TABLES
