"""Storage: SQLAlchemy 2 models and repositories, Alembic migrations. SQLite by default, PostgreSQL at scale."""

from bot.db.base import Base, Database

__all__ = ["Base", "Database"]
