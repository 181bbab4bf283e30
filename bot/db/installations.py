"""slack_sdk's installation and OAuth state tables, exactly as slack_sdk defines them, on the project's metadata.

The stores (``SQLAlchemyInstallationStore``, ``SQLAlchemyOAuthStateStore``) build their own copies of these
tables to query them; migration 0008 creates them. Building them here as well puts them in the schema
comparison test, so a slack_sdk upgrade that changes them shows up as drift against the migration
instead of failing at the first install.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore

from bot.db.base import Base

INSTALLATIONS = SQLAlchemyInstallationStore.build_installations_table(
    Base.metadata, SQLAlchemyInstallationStore.default_installations_table_name
)
BOTS = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, SQLAlchemyInstallationStore.default_bots_table_name)
OAUTH_STATES = SQLAlchemyOAuthStateStore.build_oauth_states_table(
    Base.metadata, SQLAlchemyOAuthStateStore.default_table_name
)
