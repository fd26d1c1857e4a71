"""The scan engine: model files in, scores out. Pure Python: no Django here.

- load and validate model files (YAML) with `file:line:column` problems,
- score answers of one respondent or a team: scores, levels, spread, development points;
- a team's answers per statement, its discussion agenda and group gaps, shown only above
  the anonymity threshold.
"""

from imscan.engine.answers import AnswerError, check_answer, check_answers
from imscan.engine.diff import Change, ModelDiff, PartVerdict, diff_models
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
from imscan.engine.team import (
    AGENDA_MIN_ANSWERS,
    AGENDA_SIZE,
    Distribution,
    GroupGap,
    TeamReport,
    agenda,
    group_gaps,
    node_distributions,
    statement_distributions,
    team_report,
    visible_groups,
)
from imscan.engine.validate import load_model_path, load_model_text, validate_path, validate_text

__all__ = [
    "AGENDA_MIN_ANSWERS",
    "AGENDA_SIZE",
    "Advice",
    "AnswerError",
    "Band",
    "Change",
    "DevelopmentPoint",
    "Distribution",
    "GroupGap",
    "LeadTime",
    "Level",
    "Link",
    "MaturityModel",
    "ModelDiff",
    "ModelValidationError",
    "Node",
    "NodeScore",
    "PartVerdict",
    "Problem",
    "RespondentAnswers",
    "Scale",
    "ScaleOption",
    "ScoreResult",
    "Scoring",
    "Spread",
    "Statement",
    "TeamReport",
    "agenda",
    "check_answer",
    "check_answers",
    "diff_models",
    "group_gaps",
    "level_for_score",
    "level_start",
    "load_model_path",
    "load_model_text",
    "node_distributions",
    "score",
    "score_by_group",
    "score_many",
    "statement_distributions",
    "team_report",
    "tr",
    "validate_path",
    "validate_text",
    "visible_groups",
]
