from .intake import Intake, IntakeStatus
from .trajectories import (
    CloseOutcome,
    CloseReason,
    PlanDirectorChange,
    TeamMembership,
    Trajectory,
    TrajectoryEvent,
    TrajectoryEventKind,
    TrajectoryStatus,
)

__all__ = [
    "CloseOutcome", "CloseReason", "Intake", "IntakeStatus", "PlanDirectorChange", "TeamMembership", "Trajectory",
    "TrajectoryEvent", "TrajectoryEventKind", "TrajectoryStatus",
]
