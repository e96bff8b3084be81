from .ips import (
    ContractType,
    EmployerContact,
    EmployerContactKind,
    IPSPhase,
    Job,
    JobEndReason,
    PhaseChange,
)

__all__ = [
    "ContractType",
    "EmployerContact",
    "EmployerContactKind",
    "IPSPhase",
    "Job",
    "JobEndReason",
    "PhaseChange",
]
