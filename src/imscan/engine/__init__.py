"""The scan engine: model files in, scores out. Pure Python: no Django here.

- load and validate model files (YAML) with `file:line:column` problems,
- score answers of one respondent or a team: scores, levels, spread, development points.
"""

from imscan.engine.answers import AnswerError, check_answer, check_answers
from imscan.engine.problems import ModelValidationError, Problem
from imscan.engine.results import (
    DevelopmentPoint,
    NodeScore,
    RespondentAnswers,
    ScoreResult,
    Spread,
)
from imscan.engine.schema import (
    Advice,
    Band,
    LeadTime,
    Level,
    Link,
    MaturityModel,
    Node,
    Scale,
    ScaleOption,
    Scoring,
    Statement,
    tr,
)
from imscan.engine.scoring import level_for_score, level_start, score, score_by_group, score_many
from imscan.engine.validate import load_model_path, load_model_text, validate_path, validate_text

__all__ = [
    "Advice",
    "AnswerError",
    "Band",
    "DevelopmentPoint",
    "LeadTime",
    "Level",
    "Link",
    "MaturityModel",
    "ModelValidationError",
    "Node",
    "NodeScore",
    "Problem",
    "RespondentAnswers",
    "Scale",
    "ScaleOption",
    "ScoreResult",
    "Scoring",
    "Spread",
    "Statement",
    "check_answer",
    "check_answers",
    "level_for_score",
    "level_start",
    "load_model_path",
    "load_model_text",
    "score",
    "score_by_group",
    "score_many",
    "tr",
    "validate_path",
    "validate_text",
]
