from .ambassadors import Absence, AbsenceReason, Ambassador, Topic
from .groups import QuestionGroup
from .proposals import Audience, Proposal, ProposalEvent, ProposalStatus
from .questions import (
    EventKind,
    Message,
    MessageKind,
    Question,
    QuestionEvent,
    QuestionStatus,
    QuestionTerm,
    Urgency,
)

__all__ = [
    "Absence", "AbsenceReason", "Ambassador", "Audience", "EventKind", "Message", "MessageKind",
    "Proposal", "ProposalEvent", "ProposalStatus", "Question", "QuestionEvent", "QuestionGroup",
    "QuestionStatus", "QuestionTerm", "Topic", "Urgency",
]
