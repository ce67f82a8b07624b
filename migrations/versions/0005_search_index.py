"""The search index: one entry per searchable record with the highest classification of the
record and its ancestors; on SQLite an FTS5 table over the entries' stems (kept in step by
triggers), on PostgreSQL a tsvector column (German, English and simple) with a GIN index. Filled
from the records already stored.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 04:16:12.096640

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: Union[str, Sequence[str], None] = '0004'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None

INDEXED_COLUMNS = ('answer_id', 'classification', 'happened_on', 'inquiry_id', 'item_id',
                   'programme_id')

SQLITE_FTS = [
    # External content: the text lives once, in search_entry; FTS5 holds only the index.
    "CREATE VIRTUAL TABLE search_fts USING fts5(title_stems, body_stems, tags, "
    "content='search_entry', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER search_entry_fts_insert AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title_stems, body_stems, tags) "
    "VALUES (new.id, new.title_stems, new.body_stems, new.tags); END",
    "CREATE TRIGGER search_entry_fts_delete AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems, tags) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems, old.tags); END",
    "CREATE TRIGGER search_entry_fts_update AFTER UPDATE OF title_stems, body_stems, tags "
    "ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems, tags) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems, old.tags); "
    "INSERT INTO search_fts(rowid, title_stems, body_stems, tags) "
    "VALUES (new.id, new.title_stems, new.body_stems, new.tags); END",
]


def _vector(column: str, weight: str, limit: str = '') -> str:
    text = f"coalesce({column}, '')"
    if limit:
        # A tsvector holds at most 1 MB: the start of a very long attachment is indexed.
        text = f"left({text}, {limit})"
    # For `simple`, every run of letters and digits is a word: "20/4473" is found by "4473".
    words = f"regexp_replace({text}, '[^[:alnum:]]+', ' ', 'g')"
    return " || ".join(
        f"setweight(to_tsvector('{config}'::regconfig, {source}), '{weight}')"
        for config, source in (('simple', words), ('german', text), ('english', text)))


POSTGRESQL_FTS = [
    "ALTER TABLE search_entry ADD COLUMN document tsvector GENERATED ALWAYS AS ("
    f"{_vector('title', 'A')} || {_vector('body', 'D', '200000')}) STORED",
    "CREATE INDEX ix_search_entry_document ON search_entry USING gin (document)",
]


def upgrade() -> None:
    op.create_table('search_entry',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=True),
    sa.Column('inquiry_id', sa.Integer(), nullable=True),
    sa.Column('answer_id', sa.Integer(), nullable=True),
    sa.Column('item_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('title_stems', sa.Text(), nullable=False),
    sa.Column('body_stems', sa.Text(), nullable=False),
    sa.Column('tags', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('happened_on', sa.Date(), nullable=True),
    sa.Column('assessment', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
    sa.Column('inquiry_type', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_entry')),
    sa.UniqueConstraint('kind', 'record_id', name='uq_search_entry_record')
    )
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        for column in INDEXED_COLUMNS:
            batch_op.create_index(batch_op.f(f'ix_search_entry_{column}'), [column], unique=False)

    bind = op.get_bind()
    for statement in SQLITE_FTS if bind.dialect.name == 'sqlite' else POSTGRESQL_FTS:
        op.execute(statement)

    from app.search.indexer import rebuild
    rebuild(bind)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f"DROP TRIGGER search_entry_fts_{trigger}")
        op.execute("DROP TABLE search_fts")
    with op.batch_alter_table('search_entry', schema=None) as batch_op:
        for column in reversed(INDEXED_COLUMNS):
            batch_op.drop_index(batch_op.f(f'ix_search_entry_{column}'))
    op.drop_table('search_entry')
