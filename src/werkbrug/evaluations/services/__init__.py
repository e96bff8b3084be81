"""Writes for evaluation research: studies, enrolment, randomisation, questionnaires, interviews.

Research happens on the same data as the trajectories, with privacy intact: a client enters a
study only with current research consent (`DataCategory.RESEARCH`) for the study's research
organisation, and is known to researchers only by a study pseudonym. Allocations are computed
at the moment of randomisation (see `randomisation.py`) and never changed. Every write by a
researcher is authorised once here (and so access-logged once); views do not authorise again.

One module per subdomain; this package re-exports them, so callers write
`from werkbrug.evaluations import services` and `services.participant_randomise(...)`.
"""

from __future__ import annotations

from .dictionary import DictionaryImport, questionnaire_dictionary_import
from .employer_contacts import employer_contact_remove, employer_contact_set
from .fidelity import fidelity_review_record
from .imports import ImportResult, study_import
from .participants import (
    FLOW_FLAGS,
    has_research_consent,
    participant_enrol,
    participant_flow_set,
    participant_randomise,
    participant_stage_set,
    participants_enrol_eligible,
    recorded_job_add,
)
from .qualitative import (
    code_create,
    codebook_import,
    coding_add,
    coding_remove,
    expectation_add,
    expectation_assess,
    interview_add,
    interview_round_create,
    split_passages,
)
from .questionnaires import (
    QUESTION_FIELDS,
    is_open,
    question_add,
    question_delete,
    question_update,
    questionnaire_close,
    questionnaire_create,
    questionnaire_remind,
    questionnaire_send,
    questionnaire_version_create,
    questionnaire_version_use,
    questions_reorder,
    response_submit,
    version_use_error,
)
from .schedules import (
    add_months,
    due_on,
    portal_account_accept,
    portal_account_user,
    schedule_event_add,
    schedule_event_delete,
    schedule_run,
    welcome_link,
)
from .screening import screening_record
from .studies import (
    AMENDABLE,
    study_amend,
    study_auditor_add,
    study_close,
    study_create,
    study_delete,
    study_researcher_add,
    study_start,
    study_unblind,
    study_update,
)

__all__ = [
    "AMENDABLE", "DictionaryImport", "FLOW_FLAGS", "QUESTION_FIELDS", "ImportResult",
    "code_create", "codebook_import", "employer_contact_remove", "employer_contact_set", "coding_add", "coding_remove", "expectation_add", "expectation_assess",
    "fidelity_review_record", "has_research_consent", "interview_add", "interview_round_create", "is_open",
    "participant_enrol", "participant_flow_set", "participant_randomise", "participant_stage_set",
    "participants_enrol_eligible", "question_add", "question_delete", "question_update", "questionnaire_close",
    "questionnaire_create", "questionnaire_dictionary_import",
    "questionnaire_remind", "questionnaire_send", "questionnaire_version_create", "questionnaire_version_use", "version_use_error", "questions_reorder", "recorded_job_add",
    "response_submit", "add_months", "due_on", "schedule_event_add", "schedule_event_delete", "schedule_run",
    "welcome_link", "portal_account_accept", "portal_account_user", "screening_record", "split_passages", "study_amend", "study_auditor_add", "study_close",
    "study_create", "study_delete", "study_import", "study_researcher_add", "study_start", "study_unblind",
    "study_update",
]
