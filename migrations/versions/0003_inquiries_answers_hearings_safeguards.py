"""Inquiries to government with numbered items, deadline rules, ministries, answers assessed
item by item, attachments, hearings with agendas, the safeguards scorecard, calendar feeds.

Seeds the inquiry types (deadline rules of the Bundestag), the federal ministries and the 14
safeguard criteria: data, so a committee can adapt them.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 22:40:29.194951

"""
from typing import Sequence, Union

from alembic import op
import sqlalchemy as sa
import sqlmodel  # noqa: F401


# revision identifiers, used by Alembic.
revision: str = '0003'
down_revision: Union[str, Sequence[str], None] = '0002'
branch_labels: Union[str, Sequence[str], None] = None
depends_on: Union[str, Sequence[str], None] = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table('hearing',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('committee', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('held_on', sa.Date(), nullable=False),
    sa.Column('starts_at', sa.Time(), nullable=True),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('location', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_hearing'))
    )
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_hearing_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_hearing_held_on'), ['held_on'], unique=False)

    op.create_table('inquiry_type',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('day_count', sa.Enum('calendar', 'working', 'none', name='daycount', native_enum=False, length=32), nullable=False),
    sa.Column('days', sa.Integer(), nullable=True),
    sa.Column('roll_to_working_day', sa.Boolean(), nullable=False),
    sa.Column('rule_source', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint('days IS NULL OR (days >= 1 AND days <= 366)', name=op.f('ck_inquiry_type_days_in_range')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_type')),
    sa.UniqueConstraint('code', name=op.f('uq_inquiry_type_code'))
    )
    op.create_table('ministry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ministry')),
    sa.UniqueConstraint('code', name=op.f('uq_ministry_code'))
    )
    op.create_table('safeguard_criterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
    sa.Column('anchor', sa.Text(), nullable=False),
    sa.Column('check_questions', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguard_criterion')),
    sa.UniqueConstraint('code', name=op.f('uq_safeguard_criterion_code'))
    )
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_feed_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_user_id'), ['user_id'], unique=False)

    op.create_table('inquiry',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_type_id', sa.Integer(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('title', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('asked_by', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('faction', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('preamble', sa.Text(), nullable=False),
    sa.Column('submitted_on', sa.Date(), nullable=True),
    sa.Column('set_due_date', sa.Date(), nullable=True),
    sa.Column('withdrawn_on', sa.Date(), nullable=True),
    sa.Column('follow_up_of_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['follow_up_of_id'], ['inquiry.id'], name=op.f('fk_inquiry_follow_up_of_id_inquiry'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['inquiry_type_id'], ['inquiry_type.id'], name=op.f('fk_inquiry_inquiry_type_id_inquiry_type'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry'))
    )
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_follow_up_of_id'), ['follow_up_of_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_inquiry_type_id'), ['inquiry_type_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_reference'), ['reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_submitted_on'), ['submitted_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_title'), ['title'], unique=False)

    op.create_table('agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('hearing_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.ForeignKeyConstraint(['hearing_id'], ['hearing.id'], name=op.f('fk_agenda_item_hearing_id_hearing'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_agenda_item_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agenda_item')),
    sa.UniqueConstraint('hearing_id', 'programme_id', name='uq_agenda_item_programme')
    )
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agenda_item_hearing_id'), ['hearing_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agenda_item_programme_id'), ['programme_id'], unique=False)

    op.create_table('answer',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('received_on', sa.Date(), nullable=False),
    sa.Column('reference', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=True),
    sa.Column('has_classified_annex', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_answer_inquiry_id_inquiry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministry.id'], name=op.f('fk_answer_ministry_id_ministry'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer')),
    sa.UniqueConstraint('inquiry_id', name=op.f('uq_answer_inquiry_id'))
    )
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_ministry_id'), ['ministry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_received_on'), ['received_on'], unique=False)

    op.create_table('deadline_extension',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('new_due_date', sa.Date(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_deadline_extension_inquiry_id_inquiry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_deadline_extension'))
    )
    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deadline_extension_inquiry_id'), ['inquiry_id'], unique=False)

    op.create_table('inquiry_item',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.CheckConstraint('number >= 1', name=op.f('ck_inquiry_item_number_positive')),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_inquiry_item_inquiry_id_inquiry'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_item')),
    sa.UniqueConstraint('inquiry_id', 'number', name='uq_inquiry_item_number')
    )
    with op.batch_alter_table('inquiry_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_item_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_item_inquiry_id'), ['inquiry_id'], unique=False)

    op.create_table('inquiry_ministry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('ministry_id', sa.Integer(), nullable=False),
    sa.Column('lead', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_inquiry_ministry_inquiry_id_inquiry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ministry_id'], ['ministry.id'], name=op.f('fk_inquiry_ministry_ministry_id_ministry'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_ministry')),
    sa.UniqueConstraint('inquiry_id', 'ministry_id', name='uq_inquiry_ministry_pair')
    )
    with op.batch_alter_table('inquiry_ministry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_ministry_inquiry_id'), ['inquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_ministry_ministry_id'), ['ministry_id'], unique=False)

    op.create_table('inquiry_programme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('inquiry_id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['inquiry_id'], ['inquiry.id'], name=op.f('fk_inquiry_programme_inquiry_id_inquiry'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_inquiry_programme_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inquiry_programme')),
    sa.UniqueConstraint('inquiry_id', 'programme_id', name='uq_inquiry_programme_pair')
    )
    with op.batch_alter_table('inquiry_programme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inquiry_programme_inquiry_id'), ['inquiry_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_inquiry_programme_programme_id'), ['programme_id'], unique=False)

    op.create_table('safeguard_rating',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('rating', sa.Enum('no_concern', 'some_concern', 'serious_concern', 'no_evidence', name='rating', native_enum=False, length=32), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['criterion_id'], ['safeguard_criterion.id'], name=op.f('fk_safeguard_rating_criterion_id_safeguard_criterion'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_safeguard_rating_programme_id_programme'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguard_rating')),
    sa.UniqueConstraint('programme_id', 'criterion_id', name='uq_safeguard_rating_criterion')
    )
    with op.batch_alter_table('safeguard_rating', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguard_rating_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_rating_criterion_id'), ['criterion_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_rating_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_rating_rating'), ['rating'], unique=False)

    op.create_table('answer_item',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('assessment', sa.Enum('complete', 'partial', 'evasive', 'refused', 'not_answered', name='assessment', native_enum=False, length=32), nullable=True),
    sa.Column('refusal_reason', sa.Enum('classified', 'third_party_rights', 'not_responsible', 'other', name='refusalreason', native_enum=False, length=32), nullable=True),
    sa.Column('assessment_note', sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
    sa.Column('follow_up', sa.Boolean(), nullable=False),
    sa.CheckConstraint("refusal_reason IS NULL OR assessment = 'refused'", name=op.f('ck_answer_item_reason_only_if_refused')),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_answer_item_answer_id_answer'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['item_id'], ['inquiry_item.id'], name=op.f('fk_answer_item_item_id_inquiry_item'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_answer_item')),
    sa.UniqueConstraint('answer_id', 'item_id', name='uq_answer_item_item')
    )
    with op.batch_alter_table('answer_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_answer_item_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_item_assessment'), ['assessment'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_item_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_answer_item_item_id'), ['item_id'], unique=False)

    op.create_table('attachment',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('stored_name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('size_bytes', sa.Integer(), nullable=False),
    sa.Column('sha256', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('page_count', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('is_annex', sa.Boolean(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['answer.id'], name=op.f('fk_attachment_answer_id_answer'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachment')),
    sa.UniqueConstraint('stored_name', name=op.f('uq_attachment_stored_name'))
    )
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachment_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachment_classification'), ['classification'], unique=False)

    op.create_table('safeguard_evidence',
    sa.Column('classification', sa.SmallInteger(), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rating_id', sa.Integer(), nullable=False),
    sa.Column('answer_item_id', sa.Integer(), nullable=True),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=False),
    sa.CheckConstraint('(answer_item_id IS NULL) != (source_id IS NULL)', name=op.f('ck_safeguard_evidence_one_target')),
    sa.ForeignKeyConstraint(['answer_item_id'], ['answer_item.id'], name=op.f('fk_safeguard_evidence_answer_item_id_answer_item'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rating_id'], ['safeguard_rating.id'], name=op.f('fk_safeguard_evidence_rating_id_safeguard_rating'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], name=op.f('fk_safeguard_evidence_source_id_source'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_safeguard_evidence'))
    )
    with op.batch_alter_table('safeguard_evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_safeguard_evidence_answer_item_id'), ['answer_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_evidence_classification'), ['classification'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_evidence_rating_id'), ['rating_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_safeguard_evidence_source_id'), ['source_id'], unique=False)

    _seed()


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table('safeguard_evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguard_evidence_source_id'))
        batch_op.drop_index(batch_op.f('ix_safeguard_evidence_rating_id'))
        batch_op.drop_index(batch_op.f('ix_safeguard_evidence_classification'))
        batch_op.drop_index(batch_op.f('ix_safeguard_evidence_answer_item_id'))

    op.drop_table('safeguard_evidence')
    with op.batch_alter_table('attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachment_classification'))
        batch_op.drop_index(batch_op.f('ix_attachment_answer_id'))

    op.drop_table('attachment')
    with op.batch_alter_table('answer_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_item_item_id'))
        batch_op.drop_index(batch_op.f('ix_answer_item_classification'))
        batch_op.drop_index(batch_op.f('ix_answer_item_assessment'))
        batch_op.drop_index(batch_op.f('ix_answer_item_answer_id'))

    op.drop_table('answer_item')
    with op.batch_alter_table('safeguard_rating', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_safeguard_rating_rating'))
        batch_op.drop_index(batch_op.f('ix_safeguard_rating_programme_id'))
        batch_op.drop_index(batch_op.f('ix_safeguard_rating_criterion_id'))
        batch_op.drop_index(batch_op.f('ix_safeguard_rating_classification'))

    op.drop_table('safeguard_rating')
    with op.batch_alter_table('inquiry_programme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_programme_programme_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_programme_inquiry_id'))

    op.drop_table('inquiry_programme')
    with op.batch_alter_table('inquiry_ministry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_ministry_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_ministry_inquiry_id'))

    op.drop_table('inquiry_ministry')
    with op.batch_alter_table('inquiry_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_item_inquiry_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_item_classification'))

    op.drop_table('inquiry_item')
    with op.batch_alter_table('deadline_extension', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deadline_extension_inquiry_id'))

    op.drop_table('deadline_extension')
    with op.batch_alter_table('answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_answer_received_on'))
        batch_op.drop_index(batch_op.f('ix_answer_ministry_id'))
        batch_op.drop_index(batch_op.f('ix_answer_classification'))

    op.drop_table('answer')
    with op.batch_alter_table('agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agenda_item_programme_id'))
        batch_op.drop_index(batch_op.f('ix_agenda_item_hearing_id'))

    op.drop_table('agenda_item')
    with op.batch_alter_table('inquiry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_inquiry_title'))
        batch_op.drop_index(batch_op.f('ix_inquiry_submitted_on'))
        batch_op.drop_index(batch_op.f('ix_inquiry_reference'))
        batch_op.drop_index(batch_op.f('ix_inquiry_inquiry_type_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_follow_up_of_id'))
        batch_op.drop_index(batch_op.f('ix_inquiry_classification'))

    op.drop_table('inquiry')
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_user_id'))

    op.drop_table('calendar_feed')
    op.drop_table('safeguard_criterion')
    op.drop_table('ministry')
    op.drop_table('inquiry_type')
    with op.batch_alter_table('hearing', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_hearing_held_on'))
        batch_op.drop_index(batch_op.f('ix_hearing_classification'))

    op.drop_table('hearing')


INQUIRY_TYPES = [
    # code, name, day count, days, roll to a working day, source of the rule
    ("written_question", "Written question", "calendar", 7, True,
     "GO-BT Anlage 4 (guidelines for question time and written questions): answer within "
     "one week of receipt"),
    ("minor_interpellation", "Minor interpellation (Kleine Anfrage)", "calendar", 14, True,
     "GO-BT § 104(2): answer within 14 days; extendable by agreement with the askers"),
    ("major_interpellation", "Major interpellation (Große Anfrage)", "none", None, True,
     "GO-BT §§ 100-103: no fixed deadline; the government says when it will answer"),
    ("oral_question", "Oral question (Fragestunde)", "none", None, True,
     "GO-BT § 105 and Anlage 4: answered in the question time it was tabled for"),
    ("committee_request", "Committee request for a report", "none", None, True,
     "No fixed deadline unless the committee sets one"),
    ("letter", "Letter", "none", None, True, "No fixed deadline unless the committee sets one"),
]

MINISTRIES = [
    ("AA", "Auswärtiges Amt (Federal Foreign Office)"),
    ("BMVg", "Bundesministerium der Verteidigung (Federal Ministry of Defence)"),
    ("BMI", "Bundesministerium des Innern (Federal Ministry of the Interior)"),
    ("BMZ", "Bundesministerium für wirtschaftliche Zusammenarbeit und Entwicklung "
            "(Federal Ministry for Economic Cooperation and Development)"),
    ("BMF", "Bundesministerium der Finanzen (Federal Ministry of Finance)"),
    ("BMWE", "Bundesministerium für Wirtschaft und Energie "
             "(Federal Ministry for Economic Affairs and Energy)"),
    ("BMJV", "Bundesministerium der Justiz und für Verbraucherschutz (Federal Ministry of Justice)"),
    ("BK", "Bundeskanzleramt (Federal Chancellery)"),
]

CRITERIA = [
    ("C1", "Do no harm / conflict sensitivity",
     "EPF Integrated Methodological Framework; EU conflict-sensitivity guidance",
     "Was a context/conflict analysis done? Could the support exacerbate local conflict "
     "dynamics or power imbalances?"),
    ("C2", "Human-rights vetting of recipient units",
     "Leahy laws (22 U.S.C. 2378d; 10 U.S.C. 362); EPF compliance principle",
     "Is the recipient unit identified? Was it vetted? Any credible allegations of gross "
     "violations of human rights? Remediation steps?"),
    ("C3", "IHL/IHRL compliance and training",
     "EPF Integrated Methodological Framework; 10 U.S.C. 333(c)(2)(A)",
     "Is compliance a stated condition? Was IHL/IHRL training delivered before equipment "
     "handover?"),
    ("C4", "End-use monitoring and anti-diversion",
     "EPF post-delivery controls; Arms Trade Treaty",
     "Are end-user certificates and re-transfer clauses in place? Who monitors, how often? "
     "Any reported diversion?"),
    ("C5", "Lethality and proportionality of equipment",
     "EPF proportionality; lethal/non-lethal distinction (Council Decisions 2022/338 and 2022/339)",
     "Lethal or non-lethal? Quantity proportionate to need? Risk of destabilising "
     "accumulation?"),
    ("C6", "Local / national ownership",
     "UNSCR 2553 (2020) preamble; OECD DAC Guidelines (2005)",
     "Is there a formal request from the partner? Is support aligned with a national security "
     "strategy or SSR plan?"),
    ("C7", "Governance focus / civilian oversight",
     "OECD DAC Handbook on SSR (2007), sections 2 and 7; CRS purpose code 15210",
     "Does the programme include governance or institution-building components (budgeting, "
     "parliamentary oversight, inspectorates) or only train-and-equip?"),
    ("C8", "Gender / Women, Peace and Security",
     "UNSCR 2553 (2020): gender perspective, women's representation",
     "Gender analysis? Women's participation targets? Protection from sexual and gender-based "
     "violence in training curricula?"),
    ("C9", "Corruption and fiduciary risk",
     "Synthesis from DAC accountability principles and CRS 15210 (audit of security "
     "expenditure)",
     "Procurement route? Audit coverage? Payroll or ghost-soldier risks for allowance "
     "funding?"),
    ("C10", "Civilian harm mitigation / protection of civilians",
     "EPF objectives (\"better protect the civilian population\")",
     "Does the measure include civilian-harm mitigation (targeting procedures, incident "
     "tracking)? Any reported civilian-harm incidents involving the recipient?"),
    ("C11", "Absorptive capacity and sustainment",
     "10 U.S.C. 333(e)(2),(4)",
     "Can the partner absorb and maintain the equipment? Who pays sustainment after the end "
     "date? Delays?"),
    ("C12", "Political conditionality / suspension triggers",
     "US Sec. 7008 coup restriction; EU suspension practice (Niger 2023)",
     "Is there a suspension clause? Has the measure been suspended?"),
    ("C13", "Transparency and parliamentary information",
     "OECD DAC transparency principle; classified annexes in Bundestag answers",
     "Is the decision published? Are parts classified? Is data published to IATI?"),
    ("C14", "Results and evaluation",
     "OECD DAC Handbook on SSR: monitoring, review and evaluation",
     "Are outcome indicators defined? Has an evaluation been done and published?"),
]


def _seed() -> None:
    inquiry_type = sa.table(
        "inquiry_type", sa.column("code"), sa.column("name"), sa.column("day_count"),
        sa.column("days"), sa.column("roll_to_working_day"), sa.column("rule_source"),
        sa.column("position"),
    )
    op.bulk_insert(inquiry_type, [
        {"code": code, "name": name, "day_count": count, "days": days,
         "roll_to_working_day": roll, "rule_source": source, "position": i}
        for i, (code, name, count, days, roll, source) in enumerate(INQUIRY_TYPES)
    ])
    ministry = sa.table("ministry", sa.column("code"), sa.column("name"), sa.column("position"))
    op.bulk_insert(ministry, [
        {"code": code, "name": name, "position": i} for i, (code, name) in enumerate(MINISTRIES)
    ])
    criterion = sa.table(
        "safeguard_criterion", sa.column("code"), sa.column("title"), sa.column("anchor"),
        sa.column("check_questions"), sa.column("position"),
    )
    op.bulk_insert(criterion, [
        {"code": code, "title": title, "anchor": anchor, "check_questions": questions,
         "position": i}
        for i, (code, title, anchor, questions) in enumerate(CRITERIA)
    ])
