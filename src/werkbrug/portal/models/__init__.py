from .corrections import CorrectionRequest, CorrectionState, CorrectionSubject

__all__ = ["CorrectionRequest", "CorrectionState", "CorrectionSubject"]
