"""Programme register: instruments, programmes, kinds, funding lines and sources.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 20:18:40.337934

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0001'
down_revision: Union[str, Sequence[str], None] = None
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


INSTRUMENTS = [
    ("EPF", "European Peace Facility (assistance measures)", "European Union",
     "Council of the EU (Political and Security Committee); Service for Foreign Policy "
     "Instruments (administrator for assistance measures); EEAS",
     "Off-budget fund financed by Member State contributions, established by Council Decision "
     "(CFSP) 2021/509 of 22 March 2021."),
    ("E2I", "Enable & Enhance Initiative (Ertüchtigungsinitiative der Bundesregierung)", "Germany",
     "Federal Ministry of Defence (BMVg, Referat Politik II 3); Federal Foreign Office "
     "(Auswärtiges Amt, Referat S 03)",
     "Budget line Einzelplan 60, Kapitel 6002, Titel 687 03, managed jointly by both ministries; "
     "framework agreement in force since 18 November 2015."),
    ("US_333", "US Section 333 (10 U.S.C. § 333) train and equip", "United States",
     "Department of Defense with the concurrence of the Secretary of State; DSCA",
     "Authority to build the capacity of foreign national security forces, enacted by "
     "section 1241 of the NDAA for FY2017 (P.L. 114-328)."),
    ("FMF", "US Foreign Military Financing", "United States",
     "Department of State (Bureau of Political-Military Affairs); DSCA",
     "Grants under section 23 of the Arms Export Control Act to buy US defence articles, "
     "services and training."),
    ("IMET", "US International Military Education and Training", "United States",
     "Department of State; Department of Defense (DSCA)",
     "Grant-funded military education and training under section 541 of the Foreign "
     "Assistance Act of 1961."),
    ("UK_CSSF", "UK Conflict, Stability and Security Fund", "United Kingdom",
     "National Security Council; National Security Adviser (Senior Responsible Officer)",
     "Launched 1 April 2015, replacing the Conflict Pool; replaced by the UK Integrated "
     "Security Fund from 1 April 2024."),
    ("OTHER", "Other bilateral or mixed instruments", "Various", "", ""),
]


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('instrument',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('donor', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('responsible_bodies', sa.Text(), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_instrument')),
    sa.UniqueConstraint('code', name=op.f('uq_instrument_code'))
    )
    op.create_table('programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference_code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('instrument_id', sa.Integer(), nullable=False),
    sa.Column('recipient_country', sqlmodel.sql.sqltypes.AutoString(length=2), nullable=False),
    sa.Column('recipient_units', sa.Text(), nullable=False),
    sa.Column('legal_basis', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('implementing_bodies', sa.Text(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.Column('status', sa.Enum('planned', 'active', 'suspended', 'completed', name='programmestatus', native_enum=False, length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['instrument_id'], ['instrument.id'], name=op.f('fk_programme_instrument_id_instrument'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programme')),
    sa.UniqueConstraint('reference_code', name=op.f('uq_programme_reference_code'))
    )
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_instrument_id'), ['instrument_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_recipient_country'), ['recipient_country'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_start_date'), ['start_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_programme_title'), ['title'], unique=False)

    op.create_table('funding_line',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('commitment', 'disbursement', name='fundingkind', native_enum=False, length=32), nullable=False),
    sa.Column('amount_cents', sa.BigInteger(), nullable=False),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
    sa.CheckConstraint('amount_cents >= 0', name=op.f('ck_funding_line_amount_not_negative')),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_funding_line_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_funding_line'))
    )
    with op.batch_alter_table('funding_line', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_funding_line_programme_id'), ['programme_id'], unique=False)

    op.create_table('programme_kind',
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('training', 'non_lethal_equipment', 'lethal_equipment', 'infrastructure', 'advisory', name='assistancekind', native_enum=False, length=32), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programme_kind_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('programme_id', 'kind', name=op.f('pk_programme_kind'))
    )
    with op.batch_alter_table('programme_kind', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_programme_kind_kind'), ['kind'], unique=False)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('url', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('confidence', sa.Enum('verified', 'unverified', name='sourceconfidence', native_enum=False, length=32), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_source_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source'))
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_programme_id'), ['programme_id'], unique=False)

    # The instruments are reference data every register needs, demo or not.
    instrument = sa.table(
        "instrument",
        sa.column("code", sa.String), sa.column("name", sa.String), sa.column("donor", sa.String),
        sa.column("responsible_bodies", sa.Text), sa.column("description", sa.Text),
        sa.column("position", sa.Integer),
    )
    op.bulk_insert(instrument, [
        {"code": code, "name": name, "donor": donor, "responsible_bodies": bodies,
         "description": description, "position": position}
        for position, (code, name, donor, bodies, description) in enumerate(INSTRUMENTS)
    ])


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_programme_id'))

    op.drop_table('source')
    with op.batch_alter_table('programme_kind', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_kind_kind'))

    op.drop_table('programme_kind')
    with op.batch_alter_table('funding_line', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_funding_line_programme_id'))

    op.drop_table('funding_line')
    with op.batch_alter_table('programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_programme_title'))
        batch_op.drop_index(batch_op.f('ix_programme_status'))
        batch_op.drop_index(batch_op.f('ix_programme_start_date'))
        batch_op.drop_index(batch_op.f('ix_programme_recipient_country'))
        batch_op.drop_index(batch_op.f('ix_programme_instrument_id'))

    op.drop_table('programme')
    op.drop_table('instrument')
