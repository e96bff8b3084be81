from .fidelity import FidelityReview
from .interviews import (
    Assessment,
    Code,
    Coding,
    Expectation,
    ExpectationKind,
    Interview,
    InterviewRound,
    Level,
    Passage,
    RespondentRole,
)
from .qualitative import CodeChange, CodeChangeKind, Memo
from .questionnaires import (
    Answer,
    Invitation,
    Question,
    Questionnaire,
    QuestionnaireStatus,
    QuestionType,
    RespondentKind,
)
from .schedule import (
    EmployerContact,
    PortalInvitation,
    ScheduledInvitation,
    ScheduleEvent,
    ScheduleItem,
)
from .studies import (
    Allocation,
    Arm,
    Design,
    Participant,
    RecordedJob,
    Stage,
    StageEvent,
    Stratifier,
    Study,
    StudyStatus,
)
from .trial import Screening, ScreeningOutcome, StudyEvent, StudyEventKind

__all__ = [
    "Allocation", "Answer", "EmployerContact", "Arm", "Assessment", "Code", "CodeChange", "CodeChangeKind", "Coding", "Memo", "Design", "Expectation",
    "ExpectationKind", "FidelityReview", "Interview", "InterviewRound", "Invitation", "Level",
    "Participant", "Passage", "Question", "QuestionType", "Questionnaire", "QuestionnaireStatus",
    "RecordedJob", "RespondentKind", "RespondentRole", "Stage", "StageEvent", "Stratifier", "Study",
    "StudyStatus", "Screening", "PortalInvitation", "ScheduledInvitation", "ScheduleEvent", "ScheduleItem", "ScreeningOutcome", "StudyEvent", "StudyEventKind",
]
